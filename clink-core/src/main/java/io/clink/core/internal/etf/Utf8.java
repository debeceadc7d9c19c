package io.clink.core.internal.etf;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Strict UTF-8 (RFC 3629) checks and decoding without a {@link java.nio.charset.CharsetDecoder}: the decoder path
 * reads several short texts per message (atoms, topic, client id, properties), and a JDK decoder costs a decoder
 * object, a byte buffer, a char buffer and a compacting copy each time. Strict as a decoder with
 * {@code CodingErrorAction.REPORT}: overlong forms, encoded surrogates, code points above U+10FFFF and truncated
 * sequences are all invalid. Stateless.
 */
final class Utf8 {
    private Utf8() {}

    /**
     * Decodes {@code bytes[from..to)} when it is valid UTF-8.
     *
     * @return the text, or {@code null} when the bytes are not valid UTF-8
     */
    static @Nullable String decodeOrNull(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && bytes[i] >= 0) {
            i++;
        }
        if (i == to) {
            // ASCII, by far the common case: one compact copy.
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
        if (!isValid(bytes, i, to)) {
            return null;
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    /** Whether {@code bytes[from..to)} is valid UTF-8. */
    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int len = sequenceLength(bytes, i, to);
            if (len == 0) {
                return false;
            }
            i += len;
        }
        return true;
    }

    /** Length of the well-formed sequence starting at {@code i} and ending by {@code to}, or 0 if there is none. */
    private static int sequenceLength(byte[] b, int i, int to) {
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
            // The second byte's range excludes overlong forms (E0) and UTF-16 surrogates (ED).
            lo = b0 == 0xE0 ? 0xA0 : 0x80;
            hi = b0 == 0xED ? 0x9F : 0xBF;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            // Excludes overlong forms (F0) and code points above U+10FFFF (F4).
            lo = b0 == 0xF0 ? 0x90 : 0x80;
            hi = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (len > to - i) {
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
