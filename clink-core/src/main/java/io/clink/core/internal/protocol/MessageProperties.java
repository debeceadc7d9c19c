package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 PUBLISH properties of a forwarded message: {@code headers.properties}, a map with atom keys such as
 * {@code 'User-Property'}. The map is kept as decoded (so unknown properties such as {@code 'Topic-Alias'} survive a
 * round trip); the properties clink interprets are also validated and exposed typed. User properties keep their
 * order and duplicates, as MQTT requires. Decoding never fails on a property's value (see {@link #fromTerm}).
 */
public final class MessageProperties extends DecodedMap {
    /** No properties: {@code #{}}. */
    public static final MessageProperties EMPTY =
            new MessageProperties(ErlMap.EMPTY, List.of(), null, null, null, null, null, List.of());

    private static final long MAX_U32 = 0xffffffffL;

    private final List<UserProperty> userProperties;
    private final @Nullable Long messageExpiryInterval;
    private final @Nullable String contentType;
    private final @Nullable String responseTopic;
    private final @Nullable ErlBinary correlationData;
    private final @Nullable Integer payloadFormatIndicator;

    private MessageProperties(
            ErlMap term,
            List<UserProperty> userProperties,
            @Nullable Long messageExpiryInterval,
            @Nullable String contentType,
            @Nullable String responseTopic,
            @Nullable ErlBinary correlationData,
            @Nullable Integer payloadFormatIndicator,
            List<DroppedField> dropped) {
        super(term, dropped);
        this.userProperties = userProperties;
        this.messageExpiryInterval = messageExpiryInterval;
        this.contentType = contentType;
        this.responseTopic = responseTopic;
        this.correlationData = correlationData;
        this.payloadFormatIndicator = payloadFormatIndicator;
    }

    /**
     * One MQTT 5 User-Property pair.
     *
     * @param key the key
     * @param value the value
     */
    public record UserProperty(String key, String value) {
        /** Validates the fields. */
        public UserProperty {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Reads properties from the term EMQX sends. Lenient, as EMQX does not validate them ({@code strict_mode =
     * false}): a property clink cannot type (not UTF-8, out of range, wrong term type) is left out of the typed views
     * and listed in {@link #dropped()}; the map itself is kept as decoded.
     *
     * @param t the value of {@code headers.properties}
     * @return the properties
     * @throws ProtocolException if it is not a map
     */
    public static MessageProperties fromTerm(Term t) throws ProtocolException {
        ErlMap map = Fields.map(t, "headers.properties");
        if (map.size() == 0) {
            return EMPTY;
        }
        LenientReader reader = new LenientReader();
        List<UserProperty> users = userProperties(map.get(EmqxAtoms.USER_PROPERTY), reader);
        Long mei = reader.integer(
                map.get(EmqxAtoms.MESSAGE_EXPIRY_INTERVAL), 0, MAX_U32, DroppedField.MESSAGE_EXPIRY_INTERVAL);
        String ct = reader.text(map.get(EmqxAtoms.CONTENT_TYPE), DroppedField.CONTENT_TYPE);
        String rt = reader.text(map.get(EmqxAtoms.RESPONSE_TOPIC), DroppedField.RESPONSE_TOPIC);
        ErlBinary cd = reader.binary(map.get(EmqxAtoms.CORRELATION_DATA), DroppedField.CORRELATION_DATA);
        Long pfi = reader.integer(
                map.get(EmqxAtoms.PAYLOAD_FORMAT_INDICATOR), 0, 1, DroppedField.PAYLOAD_FORMAT_INDICATOR);
        return new MessageProperties(
                map, users, mei, ct, rt, cd, pfi == null ? null : pfi.intValue(), reader.dropped());
    }

    /** The pairs whose key and value are both UTF-8; each other element, or a value that is no list, is dropped. */
    private static List<UserProperty> userProperties(@Nullable Term up, LenientReader reader) {
        if (up == null) {
            return List.of();
        }
        if (!(up instanceof ErlList) || !((ErlList) up).isProper()) {
            reader.drop(DroppedField.USER_PROPERTY);
            return List.of();
        }
        List<Term> elements = ((ErlList) up).elements();
        UserProperty[] pairs = new UserProperty[elements.size()];
        int n = 0;
        for (int i = 0; i < elements.size(); i++) {
            Term e = elements.get(i);
            String key = e instanceof ErlTuple && ((ErlTuple) e).arity() == 2
                    ? LenientReader.utf8OrNull(((ErlTuple) e).get(0))
                    : null;
            String value = key == null ? null : LenientReader.utf8OrNull(((ErlTuple) e).get(1));
            if (key == null || value == null) {
                reader.drop(DroppedField.USER_PROPERTY);
            } else {
                pairs[n++] = new UserProperty(key, value);
            }
        }
        // One or two pairs, the usual case, fit List.of's smallest form: no array and no wrapper kept.
        switch (n) {
            case 0:
                return List.of();
            case 1:
                return List.of(pairs[0]);
            case 2:
                return List.of(pairs[0], pairs[1]);
            default:
                return List.of(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
        }
    }

    /**
     * Returns the User-Property pairs whose key and value are both UTF-8, in order, duplicates kept.
     *
     * @return an unmodifiable list, empty if none
     */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * Returns the Message-Expiry-Interval in seconds.
     *
     * @return the interval, or {@code null} if absent or not an integer from 0 to 2^32-1
     */
    public @Nullable Long messageExpiryInterval() {
        return messageExpiryInterval;
    }

    /**
     * Returns the Content-Type.
     *
     * @return the content type, or {@code null} if absent or not UTF-8
     */
    public @Nullable String contentType() {
        return contentType;
    }

    /**
     * Returns the Response-Topic.
     *
     * @return the topic, or {@code null} if absent or not UTF-8
     */
    public @Nullable String responseTopic() {
        return responseTopic;
    }

    /**
     * Returns the Correlation-Data.
     *
     * @return the bytes, or {@code null} if absent or not a binary
     */
    public @Nullable ErlBinary correlationData() {
        return correlationData;
    }

    /**
     * Returns the Payload-Format-Indicator (0 bytes, 1 UTF-8).
     *
     * @return the indicator, or {@code null} if absent or neither 0 nor 1
     */
    public @Nullable Integer payloadFormatIndicator() {
        return payloadFormatIndicator;
    }

    /**
     * Returns a builder with no properties.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MessageProperties} from MQTT 5 values; writes only atoms EMQX has. */
    public static final class Builder {
        private final List<Term> userProperties = new ArrayList<>();
        private final Map<Term, Term> entries = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Appends a User-Property pair (order and duplicates are kept).
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder userProperty(String key, String value) {
            userProperties.add(ErlTuple.of(ErlBinary.utf8(key), ErlBinary.utf8(value)));
            return this;
        }

        /**
         * Sets the Message-Expiry-Interval.
         *
         * @param seconds 0 to 2^32-1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder messageExpiryInterval(long seconds) {
            if (seconds < 0 || seconds > MAX_U32) {
                throw new IllegalArgumentException(
                        "Message-Expiry-Interval must be between 0 and " + MAX_U32 + " seconds, got " + seconds);
            }
            entries.put(EmqxAtoms.MESSAGE_EXPIRY_INTERVAL, ErlInteger.of(seconds));
            return this;
        }

        /**
         * Sets the Content-Type.
         *
         * @param contentType the content type
         * @return this builder
         */
        public Builder contentType(String contentType) {
            entries.put(EmqxAtoms.CONTENT_TYPE, ErlBinary.utf8(contentType));
            return this;
        }

        /**
         * Sets the Response-Topic.
         *
         * @param topic the topic
         * @return this builder
         */
        public Builder responseTopic(String topic) {
            entries.put(EmqxAtoms.RESPONSE_TOPIC, ErlBinary.utf8(topic));
            return this;
        }

        /**
         * Sets the Correlation-Data.
         *
         * @param data the bytes (copied)
         * @return this builder
         */
        public Builder correlationData(byte[] data) {
            entries.put(EmqxAtoms.CORRELATION_DATA, ErlBinary.wrap(data.clone()));
            return this;
        }

        /**
         * Sets the Payload-Format-Indicator.
         *
         * @param indicator 0 (bytes) or 1 (UTF-8)
         * @return this builder
         * @throws IllegalArgumentException if not 0 or 1
         */
        public Builder payloadFormatIndicator(int indicator) {
            if (indicator != 0 && indicator != 1) {
                throw new IllegalArgumentException("Payload-Format-Indicator must be 0 or 1, got " + indicator);
            }
            entries.put(EmqxAtoms.PAYLOAD_FORMAT_INDICATOR, ErlInteger.of(indicator));
            return this;
        }

        /**
         * Builds the properties.
         *
         * @return the properties
         */
        public MessageProperties build() {
            Map<Term, Term> all = new LinkedHashMap<>(entries);
            if (!userProperties.isEmpty()) {
                all.put(EmqxAtoms.USER_PROPERTY, ErlList.of(userProperties));
            }
            try {
                return fromTerm(ErlMap.of(all));
            } catch (ProtocolException e) {
                throw new IllegalStateException("the builder produced properties it cannot read back", e);
            }
        }
    }
}
