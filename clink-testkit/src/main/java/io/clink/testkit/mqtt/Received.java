package io.clink.testkit.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A message an {@link MqttTestClient} received, with its MQTT 5 properties.
 *
 * @param topic the topic it was published to, not null
 * @param message Paho's message (payload, QoS, retain flag, properties), not null
 * @since 0.1.0
 */
public record Received(String topic, MqttMessage message) {

    /**
     * Checks the arguments.
     *
     * @throws NullPointerException if an argument is null
     */
    public Received {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The payload decoded as UTF-8 (invalid sequences replaced).
     *
     * @return the payload text
     */
    public String payload() {
        return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    /**
     * The payload bytes.
     *
     * @return a copy of the payload
     */
    public byte[] payloadBytes() {
        return message.getPayload().clone();
    }

    /**
     * The QoS the message was delivered with.
     *
     * @return 0, 1 or 2
     */
    public int qos() {
        return message.getQos();
    }

    /**
     * The message's MQTT 5 properties (user properties, content type, expiry...).
     *
     * @return the properties, empty when it had none
     */
    public MqttProperties properties() {
        MqttProperties p = message.getProperties();
        return p == null ? new MqttProperties() : p;
    }
}
