package io.clink.paho.internal;

import io.clink.api.transport.OutgoingPublish;
import java.nio.charset.StandardCharsets;

/**
 * The encoded size of an MQTT 5 PUBLISH packet, for checking it against the peer's Maximum-Packet-Size before it
 * is sent (MQTT 5 section 3.1.2.11.4: the size counts the whole packet, fixed header included).
 */
public final class PublishSizes {

    /** Topic Alias property: 1 byte identifier + 2 byte value. */
    private static final int TOPIC_ALIAS_PROPERTY = 3;

    private PublishSizes() {}

    /**
     * The size of the PUBLISH Paho sends for this message.
     *
     * @param publish the message
     * @param topicAliasPossible whether the peer allows topic aliases (CONNACK Topic-Alias-Maximum above 0): Paho then
     *     may add a Topic Alias property, so the bound includes it with the full topic name
     * @return the packet size in bytes: exact without aliases, an upper bound with them
     */
    public static long encodedSize(OutgoingPublish publish, boolean topicAliasPossible) {
        long properties = 0;
        if (publish.responseTopic() != null) {
            properties += 1 + 2 + publish.responseTopic().getBytes(StandardCharsets.UTF_8).length;
        }
        if (publish.correlationData() != null) {
            properties += 1 + 2 + publish.correlationData().length;
        }
        if (topicAliasPossible) {
            properties += TOPIC_ALIAS_PROPERTY;
        }
        long remaining = 2L
                + publish.topic().getBytes(StandardCharsets.UTF_8).length
                + (publish.qos() > 0 ? 2 : 0)
                + variableByteIntegerSize(properties)
                + properties
                + publish.payload().length;
        return 1 + variableByteIntegerSize(remaining) + remaining;
    }

    /** Bytes taken by a Variable Byte Integer (MQTT 5 section 1.5.5). */
    static int variableByteIntegerSize(long value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }
}
