package io.clink.testkit.payload;

import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * zlib streams (RFC 1950, as {@link java.util.zip.Inflater} reads them) for decoder tests, in particular
 * decompression bombs: {@link #deflateZeros} writes a stream of gigabytes of zeros without ever holding them, so a
 * test can hand a decoder a few KiB that claim to be far more. Deflate compresses zeros about 1000 to 1: 16 MiB of
 * zeros weigh about 16 KiB.
 *
 * <p>Thread-safe (stateless); every method blocks only for the CPU work of compressing.
 *
 * @since 0.1.0
 */
public final class Zlib {

    /** Zeros fed to the deflater at a time: the most a bomb ever holds uncompressed. */
    private static final int CHUNK = 64 * 1024;

    private Zlib() {}

    /**
     * A zlib stream of {@code plain}.
     *
     * @param plain the bytes to compress, not null
     * @return a complete zlib stream that inflates to exactly {@code plain}
     * @throws NullPointerException if {@code plain} is null
     * @since 0.1.0
     */
    public static byte[] deflate(byte[] plain) {
        return deflateZeros(plain, 0);
    }

    /**
     * A zlib stream of {@code prefix} followed by {@code zeros} zero bytes, built a chunk at a time so that the
     * zeros are never in memory at once.
     *
     * @param prefix bytes that come first in the inflated data (may be empty), not null
     * @param zeros how many zero bytes follow the prefix, {@code >= 0}
     * @return a complete zlib stream that inflates to {@code prefix.length + zeros} bytes
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if {@code zeros} is negative
     * @since 0.1.0
     */
    public static byte[] deflateZeros(byte[] prefix, long zeros) {
        Objects.requireNonNull(prefix, "prefix");
        if (zeros < 0) {
            throw new IllegalArgumentException("zeros must be >= 0: " + zeros);
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[CHUNK];
        try {
            d.setInput(prefix);
            drain(d, buf, out);
            byte[] chunk = new byte[(int) Math.min(CHUNK, zeros)];
            for (long left = zeros; left > 0; ) {
                int n = (int) Math.min(left, chunk.length);
                d.setInput(chunk, 0, n);
                drain(d, buf, out);
                left -= n;
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

    private static void drain(Deflater d, byte[] buf, ByteArrayOutputStream out) {
        while (!d.needsInput()) {
            out.write(buf, 0, d.deflate(buf));
        }
    }
}
