package io.clink.core.internal.etf;

import io.clink.testkit.payload.Zlib;
import java.io.ByteArrayOutputStream;

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
                Zlib.deflate(inner));
    }
}
