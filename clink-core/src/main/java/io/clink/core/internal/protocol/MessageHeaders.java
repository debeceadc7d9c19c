package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code headers} map of a forwarded {@code #message{}}. Kept exactly as decoded, so keys clink does not know
 * (hooks add their own, e.g. {@code client_attrs}, {@code peername}) survive a round trip; the keys clink reads are
 * exposed typed when their values can be typed: {@code properties}, {@code username}, {@code peerhost},
 * {@code proto_ver}, {@code protocol}; see {@link #fromTerm} for the rest.
 *
 * <p>An IPv4-mapped IPv6 {@code peerhost} (an 8-tuple) reads as its IPv4 address, as {@link InetAddress} does; the
 * decoded term itself is unchanged and is what gets re-encoded.
 */
public final class MessageHeaders extends DecodedMap {
    /** No headers: {@code #{}}. */
    public static final MessageHeaders EMPTY =
            new MessageHeaders(ErlMap.EMPTY, null, null, null, null, null, List.of());

    private static final int MIN_MQTT_LEVEL = 3;
    private static final int MAX_MQTT_LEVEL = 5;

    private final @Nullable MessageProperties properties;
    private final @Nullable String username;
    private final @Nullable InetAddress peerhost;
    private final @Nullable Integer protoVer;
    private final @Nullable String protocol;
    /**
     * The encoded headers term, made on first use. Volatile so a thread that sees the array also sees its
     * contents; two threads racing may both compute it, which is harmless (same bytes).
     */
    private volatile byte @Nullable [] encoded;

    private MessageHeaders(
            ErlMap term,
            @Nullable MessageProperties properties,
            @Nullable String username,
            @Nullable InetAddress peerhost,
            @Nullable Integer protoVer,
            @Nullable String protocol,
            List<DroppedField> dropped) {
        super(term, dropped);
        this.properties = properties;
        this.username = username;
        this.peerhost = peerhost;
        this.protoVer = protoVer;
        this.protocol = protocol;
    }

    /**
     * Reads headers from the term EMQX sends. Lenient, as the headers are EMQX's metadata and not validated there
     * (gateways put a binary in {@code proto_ver} and any atom in {@code protocol}; {@code strict_mode = false}
     * lets invalid UTF-8 through): a value clink cannot type is left out of the typed views and listed in
     * {@link #dropped()}; the map itself is kept as decoded.
     *
     * @param t the headers term
     * @return the headers
     * @throws ProtocolException if it is not a map
     */
    public static MessageHeaders fromTerm(Term t) throws ProtocolException {
        ErlMap map = Fields.map(t, "#message.headers");
        if (map.size() == 0) {
            return EMPTY;
        }
        LenientReader reader = new LenientReader();
        Term props = map.get(EmqxAtoms.PROPERTIES);
        MessageProperties properties = null;
        if (props instanceof ErlMap) {
            properties = MessageProperties.fromTerm(props);
            reader.dropAll(properties.dropped());
        } else if (props != null) {
            reader.drop(DroppedField.PROPERTIES);
        }
        Term user = map.get(EmqxAtoms.USERNAME);
        String username = LenientReader.absent(user) ? null : reader.text(user, DroppedField.USERNAME);
        Term host = map.get(EmqxAtoms.PEERHOST);
        InetAddress peerhost = LenientReader.absent(host) ? null : reader.ipAddress(host, DroppedField.PEERHOST);
        Long protoVer =
                reader.integer(map.get(EmqxAtoms.PROTO_VER), MIN_MQTT_LEVEL, MAX_MQTT_LEVEL, DroppedField.PROTO_VER);
        Term proto = map.get(EmqxAtoms.PROTOCOL);
        return new MessageHeaders(
                map,
                properties,
                username,
                peerhost,
                protoVer == null ? null : protoVer.intValue(),
                proto instanceof ErlAtom ? ((ErlAtom) proto).name() : null,
                reader.dropped());
    }

    /**
     * Returns the ETF encoding of {@link #toTerm()} (no version byte), computed once: a message's headers are
     * sized and written on every encode, and map keys must be sorted to write them.
     *
     * @return the bytes; callers must not modify them
     */
    byte[] encodedTerm() {
        byte[] e = encoded;
        if (e == null) {
            e = new byte[EtfEncoder.termSize(toTerm())];
            EtfEncoder.writeTerm(toTerm(), ByteBuffer.wrap(e));
            encoded = e;
        }
        return e;
    }

    /**
     * Returns the MQTT 5 properties.
     *
     * @return the properties, or {@code null} if the key is absent (EMQX then means: none)
     */
    public @Nullable MessageProperties properties() {
        return properties;
    }

    /**
     * Returns the publisher's username.
     *
     * @return the username, or {@code null} if absent, {@code undefined}, or not UTF-8
     */
    public @Nullable String username() {
        return username;
    }

    /**
     * Returns the publisher's IP address.
     *
     * @return the address, or {@code null} if absent or not an IP tuple
     */
    public @Nullable InetAddress peerhost() {
        return peerhost;
    }

    /**
     * Returns the publisher's MQTT protocol level (3, 4 or 5).
     *
     * @return the level, or {@code null} if absent or not 3, 4 or 5 (e.g. a gateway's binary)
     */
    public @Nullable Integer protoVer() {
        return protoVer;
    }

    /**
     * Returns the publisher's protocol, e.g. {@code mqtt}.
     *
     * @return the atom text, or {@code null} if absent or not an atom
     */
    public @Nullable String protocol() {
        return protocol;
    }

    /**
     * Returns a builder with no headers.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MessageHeaders} the way EMQX's {@code emqx_packet:to_message/3} fills them. */
    public static final class Builder {
        private final Map<Term, Term> entries = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the MQTT 5 properties.
         *
         * @param properties the properties ({@link MessageProperties#EMPTY} for none)
         * @return this builder
         */
        public Builder properties(MessageProperties properties) {
            entries.put(EmqxAtoms.PROPERTIES, properties.toTerm());
            return this;
        }

        /**
         * Sets the username.
         *
         * @param username the username, or {@code null} for an anonymous publisher ({@code undefined})
         * @return this builder
         */
        public Builder username(@Nullable String username) {
            entries.put(EmqxAtoms.USERNAME, username == null ? ErlAtom.UNDEFINED : ErlBinary.utf8(username));
            return this;
        }

        /**
         * Sets the publisher's IP address; no name lookup happens.
         *
         * @param address an IPv4 or IPv6 address
         * @return this builder
         */
        public Builder peerhost(InetAddress address) {
            entries.put(EmqxAtoms.PEERHOST, IpTuples.of(address));
            return this;
        }

        /**
         * Sets the MQTT protocol level.
         *
         * @param level 3, 4 or 5
         * @return this builder
         * @throws IllegalArgumentException if not 3, 4 or 5
         */
        public Builder protoVer(int level) {
            if (level < 3 || level > 5) {
                throw new IllegalArgumentException("proto_ver must be 3, 4 or 5 (MQTT 3.1, 3.1.1, 5), got " + level);
            }
            entries.put(EmqxAtoms.PROTO_VER, ErlInteger.of(level));
            return this;
        }

        /**
         * Sets {@code protocol => mqtt}, the only protocol clink speaks.
         *
         * @return this builder
         */
        public Builder protocolMqtt() {
            entries.put(EmqxAtoms.PROTOCOL, EmqxAtoms.MQTT);
            return this;
        }

        /**
         * Sets another header, such as {@code client_attrs}.
         *
         * @param key an atom from {@link EmqxAtoms#KNOWN}
         * @param value a term whose atoms are all from {@link EmqxAtoms#KNOWN}
         * @return this builder
         * @throws IllegalArgumentException if an atom could be unknown to EMQX
         */
        public Builder header(ErlAtom key, Term value) {
            EmqxAtoms.requireKnownAtoms(key, "header key");
            entries.put(key, EmqxAtoms.requireKnownAtoms(value, "header " + key.name()));
            return this;
        }

        /**
         * Builds the headers.
         *
         * @return the headers
         */
        public MessageHeaders build() {
            try {
                return fromTerm(ErlMap.of(entries));
            } catch (ProtocolException e) {
                throw new IllegalArgumentException("headers do not have the types EMQX expects: " + e.getMessage(), e);
            }
        }
    }
}
