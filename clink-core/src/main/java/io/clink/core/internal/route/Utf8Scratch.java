package io.clink.core.internal.route;

import java.nio.charset.StandardCharsets;

/**
 * A reusable buffer holding the UTF-8 bytes of one string, so that the writer can compare and look up filters and
 * route ids by their bytes without a new array per write. Grows to the longest string it was given and keeps that
 * size (bounded by the longest filter or route id the writer accepted). Writer only; not thread-safe.
 */
final class Utf8Scratch {
    /** The bytes; only {@code [0, length)} are meaningful. */
    byte[] bytes = new byte[128];

    /** How many bytes of {@link #bytes} the last string took. */
    int length;

    /** Makes the buffer hold the UTF-8 encoding of {@code s}, exactly as {@link String#getBytes} would give it. */
    void set(String s) {
        int n = s.length();
        if (n > bytes.length) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // Not ASCII: rare for filters and ids, and the JDK's encoder is the reference for the rest.
                byte[] all = s.getBytes(StandardCharsets.UTF_8);
                if (all.length > bytes.length) {
                    bytes = new byte[Math.max(all.length, bytes.length * 2)];
                }
                System.arraycopy(all, 0, bytes, 0, all.length);
                length = all.length;
                return;
            }
            bytes[i] = (byte) c;
        }
        length = n;
    }
}
