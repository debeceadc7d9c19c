package io.clink.api.topic;

/**
 * Thrown when a string is not a valid MQTT topic name, topic filter or subscription.
 *
 * <p>The message names the offending input (quoted, with control characters and lone surrogates escaped, and
 * shortened when very long) and the rule it breaks, for example
 * {@code invalid topic filter "a/#/b": '#' must be the whole last level (MQTT-4.7.1-1)}.
 *
 * @since 0.1.0
 */
public final class InvalidTopicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Inputs longer than this are shown shortened in the message; the full input stays in {@link #input()}. */
    private static final int MAX_SHOWN_CHARS = 120;

    /** The rejected input, unchanged and in full. */
    private final String input;
    /** The broken rule, in words. */
    private final String rule;

    /**
     * Creates the exception.
     *
     * @param kind  what the input was meant to be, e.g. {@code "topic filter"}
     * @param input the rejected input, unchanged
     * @param rule  the rule the input breaks, in words
     * @since 0.1.0
     */
    public InvalidTopicException(String kind, String input, String rule) {
        super("invalid " + kind + " " + quote(input) + ": " + rule);
        this.input = input;
        this.rule = rule;
    }

    /**
     * Returns the rejected input exactly as it was given.
     *
     * @return the rejected input
     * @since 0.1.0
     */
    public String input() {
        return input;
    }

    /**
     * Returns the rule the input breaks, in words (the part of the message after the quoted input).
     *
     * @return the broken rule
     * @since 0.1.0
     */
    public String rule() {
        return rule;
    }

    /**
     * Quotes {@code s} for a log line: escapes quotes, backslashes, control characters and lone surrogates, and
     * keeps only the head of a very long input so a 64 KiB topic cannot flood the log.
     */
    static String quote(String s) {
        int shown = Math.min(s.length(), MAX_SHOWN_CHARS);
        if (shown < s.length()
                && Character.isHighSurrogate(s.charAt(shown - 1))
                && Character.isLowSurrogate(s.charAt(shown))) {
            // Do not cut a surrogate pair in two: the message itself must stay well-formed.
            shown--;
        }
        StringBuilder sb = new StringBuilder(shown + 32).append('"');
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isLoneSurrogate(s, i)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (shown < s.length()) {
            sb.append("... (").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
