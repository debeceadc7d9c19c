package io.clink.core.internal.etf;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A compressed term ({@code term_to_binary(T, [compressed])}, tag 80): a declared uncompressed size and a zlib stream.
 * Inflation trusts nothing: the declared size is checked against the limit first, the output grows only as inflation
 * really produces bytes and never past the declared size, so a zip bomb stops one byte after the size it claimed.
 */
final class CompressedTerm {
    private static final int INITIAL_INFLATE_CHUNK = 64 * 1024;

    /**
     * One inflater per thread, reset between uses, as the encoder keeps its deflaters: a new {@link Inflater} per
     * payload costs a native zlib stream and a cleaner registration for every compressed message received.
     */
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

    private CompressedTerm() {}

    /**
     * Inflates the compressed payload {@code data[offset..offset+length)} (version byte, tag 80, 4-byte size, zlib
     * stream) into a new array of exactly the declared size.
     *
     * @param maxInflated the most bytes the payload may declare
     * @return the uncompressed term's bytes, without a version byte
     * @throws ProtocolException if the size is out of bounds or the stream is truncated, corrupt, longer or shorter
     *     than declared, or followed by trailing bytes; offsets count from {@code offset}
     */
    static byte[] inflate(byte[] data, int offset, int length, long maxInflated) throws ProtocolException {
        if (length < 6) {
            throw new ProtocolException(
                    length, "compressed payload (tag 80) of " + length + " bytes ends inside its 4-byte size header");
        }
        long declared = ((data[offset + 2] & 0xffL) << 24)
                | ((data[offset + 3] & 0xff) << 16)
                | ((data[offset + 4] & 0xff) << 8)
                | (data[offset + 5] & 0xff);
        if (declared > maxInflated) {
            throw new ProtocolException(
                    2,
                    "compressed payload declares " + declared + " inflated bytes, above the limit of " + maxInflated);
        }
        if (declared == 0) {
            throw new ProtocolException(2, "compressed payload declares 0 inflated bytes; a term needs at least 1");
        }
        int size = (int) declared;
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        try {
            inflater.setInput(data, offset + 6, length - 6);
            byte[] out = new byte[Math.min(size, INITIAL_INFLATE_CHUNK)];
            int n = 0;
            int stalls = 0;
            while (!inflater.finished()) {
                int produced;
                if (n == out.length) {
                    if (n == size) {
                        // Full: the stream may only end here; one more byte means it lied about its size.
                        produced = inflater.inflate(new byte[1]);
                        if (produced > 0) {
                            throw new ProtocolException(
                                    6, "compressed data inflates to more than the declared " + size + " bytes");
                        }
                    } else {
                        // Growing by 4x keeps the copies' total under a third of the final size.
                        out = Arrays.copyOf(out, (int) Math.min(size, out.length * 4L));
                        continue;
                    }
                } else {
                    produced = inflater.inflate(out, n, out.length - n);
                    n += produced;
                }
                if (produced == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) {
                        throw new ProtocolException(6, "compressed data asks for a preset dictionary");
                    }
                    if (inflater.needsInput() || ++stalls > 2) {
                        throw new ProtocolException(
                                length,
                                "compressed data is truncated: the zlib stream ends after " + n + " of the declared "
                                        + size + " bytes");
                    }
                } else {
                    stalls = 0;
                }
            }
            if (n != size) {
                throw new ProtocolException(
                        2, "compressed data inflates to " + n + " bytes, but the header declares " + size);
            }
            if (inflater.getRemaining() > 0) {
                throw new ProtocolException(
                        length - inflater.getRemaining(),
                        inflater.getRemaining() + " trailing bytes after the zlib stream");
            }
            return out;
        } catch (DataFormatException e) {
            throw new ProtocolException(
                    6 + (int) Math.min(inflater.getBytesRead(), Integer.MAX_VALUE),
                    "corrupt zlib stream in compressed payload: " + e.getMessage());
        } finally {
            // Whatever happened (a corrupt stream included), leave it clean for the next payload on this thread;
            // reset() keeps the native stream for reuse.
            inflater.reset();
        }
    }
}
