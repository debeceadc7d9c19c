package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A route id as it travels on the wire: an opaque, immutable byte string. EMQX does not validate the client ids
 * inside {@code $p/<client-id>/<filter>} and {@code $sp/<group>/<client-id>/<filter>}, so an id need not be UTF-8;
 * it is only a key, compared, hashed and deleted by its exact bytes.
 *
 * <p>{@link #toString()} is the escaped text form shown to users (see {@link #escape(byte[])}). Thread-safe
 * (immutable). Methods reject null arguments with {@link NullPointerException}.
 *
 * @since 0.1.0
 */
public final class RouteId {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final byte[] bytes;
    private final int hash;

    private RouteId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * A route id of the given bytes.
     *
     * @param bytes the id's bytes; copied
     * @return the id
     * @since 0.1.0
     */
    public static RouteId of(byte[] bytes) {
        return new RouteId(requireNonNull(bytes, "bytes").clone());
    }

    /**
     * A route id over the given array, without a copy: for a decoder that has just made the array.
     *
     * @param bytes the id's bytes; the caller must not modify the array afterwards
     * @return the id
     * @since 0.1.0
     */
    public static RouteId wrap(byte[] bytes) {
        return new RouteId(requireNonNull(bytes, "bytes"));
    }

    /**
     * A route id of the UTF-8 encoding of {@code text} (what clink's own senders use).
     *
     * @param text the id as text
     * @return the id
     * @since 0.1.0
     */
    public static RouteId utf8(String text) {
        return new RouteId(requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The id's length in bytes.
     *
     * @return the length
     * @since 0.1.0
     */
    public int length() {
        return bytes.length;
    }

    /**
     * A copy of the id's bytes.
     *
     * @return a fresh array
     * @since 0.1.0
     */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * The id decoded as UTF-8, or null if its bytes are not valid UTF-8.
     *
     * @return the text, or null
     * @since 0.1.0
     */
    public @org.jspecify.annotations.Nullable String utf8OrNull() {
        return isUtf8(bytes, 0, bytes.length) ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    /** The id's bytes, not copied: for the index's lookups, which only read them. */
    byte[] bytes() {
        return bytes;
    }

    /** This id followed by {@code tail}. */
    RouteId concat(byte[] tail) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + tail.length);
        System.arraycopy(tail, 0, out, bytes.length, tail.length);
        return new RouteId(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteId && ((RouteId) o).hash == hash && Arrays.equals(((RouteId) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * The escaped text form, {@link #escape(byte[])} of the bytes.
     *
     * @return the id as unambiguous text
     */
    @Override
    public String toString() {
        return escape(bytes);
    }

    /**
     * Turns bytes that are meant to be UTF-8 into unambiguous text: every well-formed UTF-8 sequence becomes its
     * character, a backslash becomes {@code \\}, and each byte that is not part of a well-formed sequence (a stray
     * continuation byte, a truncated or overlong sequence, an encoded surrogate, a code point above U+10FFFF)
     * becomes {@code \xNN} with two upper-case hex digits. Valid UTF-8 without a backslash is returned unchanged; the
     * escaping is reversible, since a backslash in the output is always followed by {@code \} or {@code x}.
     *
     * @param bytes the bytes
     * @return the text
     * @since 0.1.0
     */
    public static String escape(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        StringBuilder out = null;
        int i = 0;
        int n = bytes.length;
        int copied = 0;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            int len = b == '\\' ? -1 : sequenceLength(bytes, i);
            if (len > 0) {
                i += len;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
            }
            out.append(new String(bytes, copied, i - copied, StandardCharsets.UTF_8));
            if (b == '\\') {
                out.append("\\\\");
            } else {
                out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
            }
            i++;
            copied = i;
        }
        if (out == null) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return out.append(new String(bytes, copied, n - copied, StandardCharsets.UTF_8))
                .toString();
    }

    static boolean isUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int len = sequenceLength(b, i);
            if (len <= 0 || i + len > to) {
                return false;
            }
            i += len;
        }
        return true;
    }

    /** Length of the well-formed UTF-8 sequence starting at {@code i} (RFC 3629 table), or 0 if there is none. */
    private static int sequenceLength(byte[] b, int i) {
        int n = b.length;
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int len;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            // Second-byte ranges exclude overlong forms (E0) and UTF-16 surrogates (ED).
            lo = b0 == 0xE0 ? 0xA0 : 0x80;
            hi = b0 == 0xED ? 0x9F : 0xBF;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            // Exclude overlong forms (F0) and code points above U+10FFFF (F4).
            lo = b0 == 0xF0 ? 0x90 : 0x80;
            hi = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + len > n) {
            return 0;
        }
        int b1 = b[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < len; k++) {
            int c = b[i + k] & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return 0;
            }
        }
        return len;
    }
}
