package io.clink.api.broker;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An application message crossing the broker SPI: a local publish handed to clink ({@link
 * ClusterLinkHooks#onPublish}) or a message from another cluster handed to the broker ({@link
 * LocalBroker#deliver}). Immutable; built by {@link #builder()}, whose setters reject invalid values at once.
 *
 * <p>Carries the topic, payload, QoS, retain flag, the MQTT 5 {@linkplain PublishProperties properties}, who
 * published it (client id, user name, peer host, protocol version), when, and, for a message that arrived over a
 * link, the {@linkplain #originCluster() cluster it came from}. Equal when every field is equal (payload by
 * content).
 *
 * <p>The payload is copied once into the message; {@link #payload()} hands out read-only views without copying.
 *
 * @since 0.1.0
 */
public final class MqttMessage {

    /** MQTT 3.1 (protocol level 3). */
    public static final int MQTT_3_1 = 3;
    /** MQTT 3.1.1 (protocol level 4). */
    public static final int MQTT_3_1_1 = 4;
    /** MQTT 5.0 (protocol level 5). */
    public static final int MQTT_5 = 5;

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retain;
    private final PublishProperties properties;
    private final @Nullable String publisherClientId;
    private final @Nullable String username;
    private final @Nullable String peerHost;
    private final int protocolVersion;
    private final long timestampMillis;
    private final @Nullable String originCluster;

    private MqttMessage(Builder b, String topic, byte[] payload) {
        this.topic = topic;
        this.payload = payload;
        this.qos = b.qos;
        this.retain = b.retain;
        this.properties = b.properties;
        this.publisherClientId = b.publisherClientId;
        this.username = b.username;
        this.peerHost = b.peerHost;
        this.protocolVersion = b.protocolVersion;
        this.timestampMillis = b.timestampMillis;
        this.originCluster = b.originCluster;
    }

    /**
     * Starts a builder. {@link Builder#topic} and {@link Builder#timestampMillis} are required; the payload defaults
     * to empty, QoS to 0, retain to false, properties to none, protocol version to {@link #MQTT_5}.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this message's fields, to derive a changed copy (the payload is shared, not copied).
     *
     * @return a new builder
     * @since 0.1.0
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.topic = topic;
        b.payload = payload;
        b.payloadOwned = true;
        b.qos = qos;
        b.retain = retain;
        b.properties = properties;
        b.publisherClientId = publisherClientId;
        b.username = username;
        b.peerHost = peerHost;
        b.protocolVersion = protocolVersion;
        b.timestampMillis = timestampMillis;
        b.originCluster = originCluster;
        return b;
    }

    /**
     * The topic name the message was published to.
     *
     * @return a topic name without wildcards
     * @since 0.1.0
     */
    public String topic() {
        return topic;
    }

    /**
     * The payload as a read-only buffer positioned at 0. Each call returns a new view; no bytes are copied.
     *
     * @return a read-only view of the payload
     * @since 0.1.0
     */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /**
     * A copy of the payload.
     *
     * @return a new array the caller owns
     * @since 0.1.0
     */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    /**
     * The payload's length.
     *
     * @return bytes, zero or more
     * @since 0.1.0
     */
    public int payloadSize() {
        return payload.length;
    }

    /**
     * The QoS the message was published with.
     *
     * @return 0, 1 or 2
     * @since 0.1.0
     */
    public int qos() {
        return qos;
    }

    /**
     * The retain flag.
     *
     * @return {@code true} if the publisher asked the broker to retain the message
     * @since 0.1.0
     */
    public boolean retain() {
        return retain;
    }

    /**
     * The MQTT 5 properties.
     *
     * @return the properties, {@link PublishProperties#EMPTY} if none
     * @since 0.1.0
     */
    public PublishProperties properties() {
        return properties;
    }

    /**
     * The client id of the original publisher.
     *
     * @return the client id, or empty if unknown (for example a message injected by the broker itself)
     * @since 0.1.0
     */
    public Optional<String> publisherClientId() {
        return Optional.ofNullable(publisherClientId);
    }

    /**
     * The user name the original publisher authenticated with.
     *
     * @return the user name, or empty if none or unknown
     * @since 0.1.0
     */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The original publisher's peer host (IP address or host name).
     *
     * @return the peer host, or empty if unknown
     * @since 0.1.0
     */
    public Optional<String> peerHost() {
        return Optional.ofNullable(peerHost);
    }

    /**
     * The MQTT protocol level of the original publisher's connection.
     *
     * @return {@link #MQTT_3_1}, {@link #MQTT_3_1_1} or {@link #MQTT_5}
     * @since 0.1.0
     */
    public int protocolVersion() {
        return protocolVersion;
    }

    /**
     * When the broker received the original publish.
     *
     * @return wall-clock milliseconds since the Unix epoch
     * @since 0.1.0
     */
    public long timestampMillis() {
        return timestampMillis;
    }

    /**
     * The cluster this message was forwarded from. Present exactly on messages that arrived over a link; clink never
     * forwards such a message again, which is what keeps a full mesh of links free of loops.
     *
     * @return the remote cluster's name, or empty for a local publish
     * @since 0.1.0
     */
    public Optional<String> originCluster() {
        return Optional.ofNullable(originCluster);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MqttMessage)) {
            return false;
        }
        MqttMessage m = (MqttMessage) o;
        return qos == m.qos
                && retain == m.retain
                && protocolVersion == m.protocolVersion
                && timestampMillis == m.timestampMillis
                && topic.equals(m.topic)
                && Arrays.equals(payload, m.payload)
                && properties.equals(m.properties)
                && Objects.equals(publisherClientId, m.publisherClientId)
                && Objects.equals(username, m.username)
                && Objects.equals(peerHost, m.peerHost)
                && Objects.equals(originCluster, m.originCluster);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(
                topic,
                qos,
                retain,
                properties,
                publisherClientId,
                username,
                peerHost,
                protocolVersion,
                timestampMillis,
                originCluster);
        return 31 * h + Arrays.hashCode(payload);
    }

    /** Describes the message without its payload bytes, which may be large or sensitive. */
    @Override
    public String toString() {
        return "MqttMessage{topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", payloadSize=" + payload.length
                + ", properties=" + properties + ", publisherClientId=" + publisherClientId + ", username=" + username
                + ", peerHost=" + peerHost + ", protocolVersion=" + protocolVersion + ", timestampMillis="
                + timestampMillis + (originCluster == null ? "" : ", originCluster=" + originCluster) + '}';
    }

    /**
     * Builds {@link MqttMessage}. Not thread-safe. Every setter checks its value at once and throws {@link
     * IllegalArgumentException} naming the field and the value.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private static final byte[] NO_BYTES = new byte[0];

        private @Nullable String topic;
        private byte[] payload = NO_BYTES;
        // True when payload is already a private array (from toBuilder) that build() need not copy.
        private boolean payloadOwned = true;
        private int qos;
        private boolean retain;
        private PublishProperties properties = PublishProperties.EMPTY;
        private @Nullable String publisherClientId;
        private @Nullable String username;
        private @Nullable String peerHost;
        private int protocolVersion = MQTT_5;
        private long timestampMillis = -1;
        private @Nullable String originCluster;

        private Builder() {}

        /**
         * Sets the topic name. Required.
         *
         * @param topic a valid topic name (see {@link io.clink.api.topic.TopicName#of}): not empty, no wildcards, no
         *     U+0000, at most 65535 UTF-8 bytes
         * @return this builder
         * @throws io.clink.api.topic.InvalidTopicException if the topic is not a valid topic name
         */
        public Builder topic(String topic) {
            Objects.requireNonNull(topic, "topic");
            MqttStrings.checkTopicName("topic", topic);
            this.topic = topic;
            return this;
        }

        /**
         * Sets the payload. The array is copied when {@link #build()} runs, so the caller may reuse it afterwards.
         *
         * @param payload the bytes, not null, may be empty
         * @return this builder
         */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            this.payloadOwned = false;
            return this;
        }

        /**
         * Sets the payload from the remaining bytes of a buffer, which are copied now; the buffer's position does not
         * change.
         *
         * @param payload the buffer, not null
         * @return this builder
         */
        public Builder payload(ByteBuffer payload) {
            ByteBuffer b = Objects.requireNonNull(payload, "payload").duplicate();
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            this.payload = copy;
            this.payloadOwned = true;
            return this;
        }

        /**
         * Sets the QoS (default 0).
         *
         * @param qos 0, 1 or 2
         * @return this builder
         * @throws IllegalArgumentException if not 0, 1 or 2
         */
        public Builder qos(int qos) {
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
            }
            this.qos = qos;
            return this;
        }

        /**
         * Sets the retain flag (default false).
         *
         * @param retain the flag
         * @return this builder
         */
        public Builder retain(boolean retain) {
            this.retain = retain;
            return this;
        }

        /**
         * Sets the MQTT 5 properties (default none).
         *
         * @param properties the properties, not null
         * @return this builder
         */
        public Builder properties(PublishProperties properties) {
            this.properties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /**
         * Sets the original publisher's client id.
         *
         * @param clientId the client id, or null if unknown
         * @return this builder
         * @throws IllegalArgumentException if the client id is empty or contains U+0000
         */
        public Builder publisherClientId(@Nullable String clientId) {
            if (clientId != null) {
                nonEmpty("publisherClientId", clientId);
            }
            this.publisherClientId = clientId;
            return this;
        }

        /**
         * Sets the original publisher's user name.
         *
         * @param username the user name, or null if none
         * @return this builder
         * @throws IllegalArgumentException if it contains U+0000
         */
        public Builder username(@Nullable String username) {
            if (username != null) {
                MqttStrings.checkUtf8String("username", username);
            }
            this.username = username;
            return this;
        }

        /**
         * Sets the original publisher's peer host.
         *
         * @param peerHost an IP address or host name, or null if unknown
         * @return this builder
         * @throws IllegalArgumentException if empty or containing whitespace
         */
        public Builder peerHost(@Nullable String peerHost) {
            if (peerHost != null && (peerHost.isEmpty() || peerHost.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("peerHost must be an address or host name: '" + peerHost + "'");
            }
            this.peerHost = peerHost;
            return this;
        }

        /**
         * Sets the original publisher's MQTT protocol level (default {@link #MQTT_5}).
         *
         * @param version 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)
         * @return this builder
         * @throws IllegalArgumentException if not 3, 4 or 5
         */
        public Builder protocolVersion(int version) {
            if (version < MQTT_3_1 || version > MQTT_5) {
                throw new IllegalArgumentException("protocolVersion must be 3, 4 or 5: " + version);
            }
            this.protocolVersion = version;
            return this;
        }

        /**
         * Sets when the broker received the original publish. Required: clink never reads the clock for a value type.
         *
         * @param millis wall-clock milliseconds since the Unix epoch, zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder timestampMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("timestampMillis must not be negative: " + millis);
            }
            this.timestampMillis = millis;
            return this;
        }

        /**
         * Marks the message as forwarded from another cluster.
         *
         * @param cluster the remote cluster's name, or null for a local publish
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or contains U+0000
         */
        public Builder originCluster(@Nullable String cluster) {
            if (cluster != null) {
                nonEmpty("originCluster", cluster);
            }
            this.originCluster = cluster;
            return this;
        }

        private static void nonEmpty(String what, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            MqttStrings.checkUtf8String(what, value);
        }

        /**
         * Builds the message.
         *
         * @return the immutable message
         * @throws IllegalStateException if the topic or the timestamp is missing
         */
        public MqttMessage build() {
            String t = topic;
            if (t == null) {
                throw new IllegalStateException("topic is required");
            }
            if (timestampMillis < 0) {
                throw new IllegalStateException("timestampMillis is required");
            }
            byte[] p = payloadOwned ? payload : payload.clone();
            // Once built, the array may be shared with the message; a later payload(byte[]) call replaces it anyway.
            payloadOwned = true;
            payload = p;
            return new MqttMessage(this, t, p);
        }
    }
}
