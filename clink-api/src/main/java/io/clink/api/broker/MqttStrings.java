package io.clink.api.broker;

import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.TopicName;
import java.nio.charset.StandardCharsets;

/** Checks shared by the value types of this package. */
final class MqttStrings {

    static final int MAX_UTF8_BYTES = 65_535;

    private MqttStrings() {}

    /** Rejects what an MQTT UTF-8 encoded string may not contain (MQTT-1.5.4-1, -2) or exceed. */
    static void checkUtf8String(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException(what + " must not contain U+0000: '" + printable(s) + "'");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " must be well-formed UTF-16 (lone surrogate at index " + i
                        + "): '" + printable(s) + "'");
            }
        }
        if (s.length() > MAX_UTF8_BYTES / 3 && s.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            throw new IllegalArgumentException(
                    what + " must be at most 65535 bytes in UTF-8: " + s.length() + " chars");
        }
    }

    /** A short, safe rendering of a possibly long or odd string for an error message. */
    static String printable(String s) {
        String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        StringBuilder sb = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Checks a topic name (no wildcards) with the topic package's rules, naming the field in the message. */
    static void checkTopicName(String what, String topic) {
        try {
            TopicName.of(topic);
        } catch (InvalidTopicException e) {
            throw new InvalidTopicException(what + " (a topic name)", topic, e.rule());
        }
    }
}
