package io.clink.testkit;

import io.clink.api.broker.PublishProperties;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message a test client received from the broker under test, as a {@link LocalBrokerHarness.TestClient} reports
 * it to the {@link LocalBrokerContract}.
 *
 * @param topic the topic name
 * @param payload the payload bytes (owned by this record)
 * @param qos the delivery QoS
 * @param retain the retain flag as received
 * @param properties the MQTT 5 properties received (User-Property, Content-Type, Response-Topic, Correlation-Data,
 *     Message-Expiry-Interval, Payload-Format-Indicator); {@link PublishProperties#EMPTY} if the client cannot read
 *     them
 * @since 0.1.0
 */
public record ReceivedMessage(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException if the QoS is not 0, 1 or 2
     */
    public ReceivedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }

    /**
     * The payload decoded as UTF-8.
     *
     * @return the text
     * @since 0.1.0
     */
    public String payloadUtf8() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ReceivedMessage r
                && topic.equals(r.topic)
                && Arrays.equals(payload, r.payload)
                && qos == r.qos
                && retain == r.retain
                && properties.equals(r.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "ReceivedMessage{" + topic + ", '" + payloadUtf8() + "', qos=" + qos + ", retain=" + retain + ", "
                + properties + '}';
    }
}
