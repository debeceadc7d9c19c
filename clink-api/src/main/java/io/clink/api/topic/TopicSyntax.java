package io.clink.api.topic;

/**
 * The MQTT 5.0 section 4.7 checks shared by {@link TopicName}, {@link TopicFilter} and {@link Subscription}. Each
 * check scans the string once and allocates nothing unless it throws.
 */
final class TopicSyntax {

    /** MQTT-1.5.4 / MQTT-4.7.3-3: a UTF-8 encoded string is at most 65535 bytes long. */
    static final int MAX_UTF8_BYTES = 65_535;

    static final String RULE_EMPTY = "must be at least one character long (MQTT-4.7.3-1)";
    static final String RULE_NUL = "must not contain the null character U+0000 (MQTT-4.7.3-2)";
    static final String RULE_SURROGATE = "must be well-formed UTF-8, but has an unpaired surrogate (MQTT-1.5.4-1)";
    static final String RULE_TOO_LONG = "must be at most 65535 bytes in UTF-8 (MQTT-4.7.3-3)";
    static final String RULE_NAME_WILDCARD =
            "a topic name must not contain the wildcard characters '+' or '#' (MQTT-4.7.0-1, MQTT-3.3.2-2)";
    static final String RULE_HASH_LAST = "'#' must be the whole last level (MQTT-4.7.1-1)";
    static final String RULE_PLUS_LEVEL = "'+' must occupy a whole level (MQTT-4.7.1-2)";

    private TopicSyntax() {}

    /** Checks the rules common to names and filters: non-empty, no U+0000, well-formed, at most 65535 bytes. */
    static void checkString(String kind, String s) {
        int n = s.length();
        if (n == 0) {
            throw new InvalidTopicException(kind, s, RULE_EMPTY);
        }
        // Fast exit for the length rule: 3 bytes per char is the most UTF-16 text can need (pairs need 4 per 2).
        boolean mayBeTooLong = (long) n * 3 > MAX_UTF8_BYTES;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0) {
                    throw new InvalidTopicException(kind, s, RULE_NUL);
                }
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new InvalidTopicException(kind, s, RULE_SURROGATE);
                }
                i++;
                bytes += 4;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidTopicException(kind, s, RULE_SURROGATE);
            } else {
                bytes += 3;
            }
        }
        if (mayBeTooLong && bytes > MAX_UTF8_BYTES) {
            throw new InvalidTopicException(kind, s, RULE_TOO_LONG + "; it has " + bytes + " bytes");
        }
    }

    static void checkName(String s) {
        checkString("topic name", s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException("topic name", s, RULE_NAME_WILDCARD);
            }
        }
    }

    static void checkFilter(String s) {
        checkString("topic filter", s);
        checkFilterLevels("topic filter", s, s, 0);
    }

    /**
     * Checks the wildcard placement of the filter that starts at {@code from} in {@code whole}; errors name
     * {@code whole}, so a shared subscription's error shows the subscription the user wrote.
     */
    static void checkFilterLevels(String kind, String whole, String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '#') {
                boolean startsLevel = i == from || s.charAt(i - 1) == '/';
                boolean endsLevel = i + 1 == n || s.charAt(i + 1) == '/';
                if (c == '#' && !(startsLevel && i + 1 == n)) {
                    throw new InvalidTopicException(kind, whole, RULE_HASH_LAST);
                }
                if (c == '+' && !(startsLevel && endsLevel)) {
                    throw new InvalidTopicException(kind, whole, RULE_PLUS_LEVEL);
                }
            }
        }
    }
}
