package io.clink.api.broker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 PUBLISH properties that clink carries across a link: User-Property (order and duplicates kept),
 * Message-Expiry-Interval, Content-Type, Response-Topic, Correlation-Data and Payload-Format-Indicator. Immutable;
 * built by {@link #builder()}, whose setters reject invalid values at once. Equal when every property is equal
 * (Correlation-Data by content).
 *
 * <p>Properties that only make sense on one hop (Topic-Alias, Subscription-Identifier) are not part of the model.
 *
 * @since 0.1.0
 */
public final class PublishProperties {

    /** No properties at all. */
    public static final PublishProperties EMPTY = builder().build();

    private static final long ABSENT = -1;
    private static final long MAX_FOUR_BYTE_INTEGER = 0xFFFF_FFFFL;

    private final List<UserProperty> userProperties;
    private final long messageExpiryInterval;
    private final @Nullable String contentType;
    private final @Nullable String responseTopic;
    private final byte @Nullable [] correlationData;
    private final int payloadFormatIndicator;

    private PublishProperties(Builder b) {
        this.userProperties = List.copyOf(b.userProperties);
        this.messageExpiryInterval = b.messageExpiryInterval;
        this.contentType = b.contentType;
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData == null ? null : b.correlationData.clone();
        this.payloadFormatIndicator = b.payloadFormatIndicator;
    }

    /**
     * Starts an empty builder.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this object's properties, to derive a changed copy.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.userProperties.addAll(userProperties);
        b.messageExpiryInterval = messageExpiryInterval;
        b.contentType = contentType;
        b.responseTopic = responseTopic;
        b.correlationData = correlationData;
        b.payloadFormatIndicator = payloadFormatIndicator;
        return b;
    }

    /**
     * The User-Property pairs in the order they were given, duplicates included.
     *
     * @return an immutable list, empty if none
     * @since 0.1.0
     */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * The Message-Expiry-Interval.
     *
     * @return seconds (0..4294967295), or empty when the message does not expire
     * @since 0.1.0
     */
    public OptionalLong messageExpiryIntervalSeconds() {
        return messageExpiryInterval == ABSENT ? OptionalLong.empty() : OptionalLong.of(messageExpiryInterval);
    }

    /**
     * The Content-Type.
     *
     * @return the content type, or empty
     * @since 0.1.0
     */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /**
     * The Response-Topic.
     *
     * @return a topic name, or empty
     * @since 0.1.0
     */
    public Optional<String> responseTopic() {
        return Optional.ofNullable(responseTopic);
    }

    /**
     * The Correlation-Data. A copy: callers may modify it.
     *
     * @return the bytes, or empty
     * @since 0.1.0
     */
    public Optional<byte[]> correlationData() {
        return Optional.ofNullable(correlationData).map(byte[]::clone);
    }

    /**
     * The Payload-Format-Indicator.
     *
     * @return 0 (unspecified bytes) or 1 (UTF-8 text), or empty when absent
     * @since 0.1.0
     */
    public OptionalInt payloadFormatIndicator() {
        return payloadFormatIndicator < 0 ? OptionalInt.empty() : OptionalInt.of(payloadFormatIndicator);
    }

    /**
     * Whether no property is set.
     *
     * @return {@code true} if this equals {@link #EMPTY}
     * @since 0.1.0
     */
    public boolean isEmpty() {
        return userProperties.isEmpty()
                && messageExpiryInterval == ABSENT
                && contentType == null
                && responseTopic == null
                && correlationData == null
                && payloadFormatIndicator < 0;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PublishProperties)) {
            return false;
        }
        PublishProperties p = (PublishProperties) o;
        return messageExpiryInterval == p.messageExpiryInterval
                && payloadFormatIndicator == p.payloadFormatIndicator
                && userProperties.equals(p.userProperties)
                && Objects.equals(contentType, p.contentType)
                && Objects.equals(responseTopic, p.responseTopic)
                && Arrays.equals(correlationData, p.correlationData);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(userProperties, messageExpiryInterval, contentType, responseTopic, payloadFormatIndicator);
        return 31 * h + Arrays.hashCode(correlationData);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PublishProperties{");
        String sep = "";
        if (!userProperties.isEmpty()) {
            sb.append("userProperties=").append(userProperties);
            sep = ", ";
        }
        if (messageExpiryInterval != ABSENT) {
            sb.append(sep).append("messageExpiryInterval=").append(messageExpiryInterval);
            sep = ", ";
        }
        if (contentType != null) {
            sb.append(sep).append("contentType=").append(contentType);
            sep = ", ";
        }
        if (responseTopic != null) {
            sb.append(sep).append("responseTopic=").append(responseTopic);
            sep = ", ";
        }
        if (correlationData != null) {
            sb.append(sep).append("correlationData=0x").append(HexFormat.of().formatHex(correlationData));
            sep = ", ";
        }
        if (payloadFormatIndicator >= 0) {
            sb.append(sep).append("payloadFormatIndicator=").append(payloadFormatIndicator);
        }
        return sb.append('}').toString();
    }

    /**
     * Builds {@link PublishProperties}. Not thread-safe. Every setter checks its value at once and throws {@link
     * IllegalArgumentException} naming the property and the value.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final List<UserProperty> userProperties = new ArrayList<>();
        private long messageExpiryInterval = ABSENT;
        private @Nullable String contentType;
        private @Nullable String responseTopic;
        private byte @Nullable [] correlationData;
        private int payloadFormatIndicator = -1;

        private Builder() {}

        /**
         * Appends one User-Property; earlier ones, including ones with the same name, are kept.
         *
         * @param name the name, not null
         * @param value the value, not null
         * @return this builder
         * @throws IllegalArgumentException if either string contains U+0000
         */
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        /**
         * Replaces the User-Property list.
         *
         * @param properties the pairs in order, not null, no null elements
         * @return this builder
         */
        public Builder userProperties(List<UserProperty> properties) {
            List<UserProperty> copy = List.copyOf(Objects.requireNonNull(properties, "properties"));
            userProperties.clear();
            userProperties.addAll(copy);
            return this;
        }

        /**
         * Sets the Message-Expiry-Interval.
         *
         * @param seconds 0..4294967295
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder messageExpiryIntervalSeconds(long seconds) {
            if (seconds < 0 || seconds > MAX_FOUR_BYTE_INTEGER) {
                throw new IllegalArgumentException(
                        "messageExpiryInterval must be in 0..4294967295 seconds: " + seconds);
            }
            this.messageExpiryInterval = seconds;
            return this;
        }

        /**
         * Removes the Message-Expiry-Interval (the message does not expire).
         *
         * @return this builder
         */
        public Builder noMessageExpiry() {
            this.messageExpiryInterval = ABSENT;
            return this;
        }

        /**
         * Sets the Content-Type.
         *
         * @param contentType the content type, or null to remove it
         * @return this builder
         * @throws IllegalArgumentException if it contains U+0000 or is too long
         */
        public Builder contentType(@Nullable String contentType) {
            if (contentType != null) {
                MqttStrings.checkUtf8String("contentType", contentType);
            }
            this.contentType = contentType;
            return this;
        }

        /**
         * Sets the Response-Topic.
         *
         * @param topic a topic name without wildcards, or null to remove it
         * @return this builder
         * @throws io.clink.api.topic.InvalidTopicException if the topic is not a valid topic name
         */
        public Builder responseTopic(@Nullable String topic) {
            if (topic != null) {
                MqttStrings.checkTopicName("responseTopic", topic);
            }
            this.responseTopic = topic;
            return this;
        }

        /**
         * Sets the Correlation-Data. The array is copied.
         *
         * @param data at most 65535 bytes, or null to remove it
         * @return this builder
         * @throws IllegalArgumentException if longer than 65535 bytes
         */
        public Builder correlationData(byte @Nullable [] data) {
            if (data != null && data.length > MqttStrings.MAX_UTF8_BYTES) {
                throw new IllegalArgumentException("correlationData must be at most 65535 bytes: " + data.length);
            }
            this.correlationData = data == null ? null : data.clone();
            return this;
        }

        /**
         * Sets the Payload-Format-Indicator.
         *
         * @param indicator 0 (unspecified bytes) or 1 (UTF-8), or null to remove it
         * @return this builder
         * @throws IllegalArgumentException if neither 0 nor 1
         */
        public Builder payloadFormatIndicator(@Nullable Integer indicator) {
            if (indicator != null && indicator != 0 && indicator != 1) {
                throw new IllegalArgumentException("payloadFormatIndicator must be 0 or 1: " + indicator);
            }
            this.payloadFormatIndicator = indicator == null ? -1 : indicator;
            return this;
        }

        /**
         * Builds the properties.
         *
         * @return the immutable properties
         */
        public PublishProperties build() {
            return new PublishProperties(this);
        }
    }
}
