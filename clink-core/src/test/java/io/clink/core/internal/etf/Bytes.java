package io.clink.core.internal.etf;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/** Test helpers for building raw ETF bytes. */
final class Bytes {
    private Bytes() {}

    /** Bytes from ints (each taken mod 256). */
    static byte[] of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** A tag-80 payload with the given declared size around a zlib stream of {@code inner}. */
    static byte[] compressed(long declaredSize, byte[] inner) {
        return concat(
                of(131, 80, (int) (declaredSize >>> 24), (int) (declaredSize >>> 16), (int) (declaredSize >>> 8), (int)
                        declaredSize),
                zlib(inner));
    }

    static byte[] zlib(byte[] data) {
        Deflater d = new Deflater(6);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** A zlib stream of {@code megabytes} MiB of zeros, built without holding them in memory. */
    static byte[] zlibZeros(int megabytes) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            byte[] zeros = new byte[1 << 20];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int i = 0; i < megabytes; i++) {
                d.setInput(zeros);
                while (!d.needsInput()) {
                    out.write(buf, 0, d.deflate(buf));
                }
            }
            d.finish();
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
