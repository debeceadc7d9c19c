package io.clink.api.transport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message clink publishes on a link connection: a control message on {@code $LINK/cluster/route/...} or a
 * forwarded message on {@code $LINK/cluster/msg/...}. Only the MQTT 5 properties the link protocol uses are
 * carried: Response-Topic and Correlation-Data (the {@code actor_init} handshake).
 *
 * <p>For speed on the forwarding path the arrays are not copied: the caller hands them over and must not modify
 * them afterwards.
 *
 * @param topic topic name, not null, not empty
 * @param payload payload bytes, not null (may be empty)
 * @param qos 0 or 1 (links never use QoS 2 on the wire)
 * @param retain the retain flag (always {@code false} for link traffic today)
 * @param responseTopic the Response-Topic property, or null
 * @param correlationData the Correlation-Data property, or null
 * @since 0.1.0
 */
public record OutgoingPublish(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        @Nullable String responseTopic,
        byte @Nullable [] correlationData) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if {@code topic} or {@code payload} is null
     * @throws IllegalArgumentException if the topic is empty or the QoS is not 0 or 1
     */
    public OutgoingPublish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1 on a link connection: " + qos);
        }
    }

    /**
     * A publish without properties and without the retain flag.
     *
     * @param topic topic name
     * @param payload payload bytes (not copied)
     * @param qos 0 or 1
     * @return the publish
     */
    public static OutgoingPublish of(String topic, byte[] payload, int qos) {
        return new OutgoingPublish(topic, payload, qos, false, null, null);
    }
}
