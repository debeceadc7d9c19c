package io.clink.api.transport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message received on a {@link LinkClient} subscription (for clink: the {@code actor_init_ack} on the actor's
 * response topic). The arrays belong to the receiver; the transport does not reuse them.
 *
 * @param topic topic name, not null
 * @param payload payload bytes, not null
 * @param qos QoS of the delivery
 * @param retain the retain flag
 * @param responseTopic the Response-Topic property, or null
 * @param correlationData the Correlation-Data property, or null
 * @since 0.1.0
 */
public record InboundPublish(
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
     * @throws IllegalArgumentException if the QoS is not 0, 1 or 2
     */
    public InboundPublish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }
}
