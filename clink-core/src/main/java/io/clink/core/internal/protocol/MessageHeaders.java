package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
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
public final class MessageHeaders {
    /** No headers: {@code #{}}. */
    public static final MessageHeaders EMPTY =
            new MessageHeaders(ErlMap.EMPTY, null, null, null, null, null, List.of());

    private static final int MIN_MQTT_LEVEL = 3;
    private static final int MAX_MQTT_LEVEL = 5;

    private final ErlMap term;
    private final @Nullable MessageProperties properties;
    private final @Nullable String username;
    private final @Nullable InetAddress peerhost;
    private final @Nullable Integer protoVer;
    private final @Nullable String protocol;
    private final List<DroppedField> dropped;
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
        this.term = term;
        this.properties = properties;
        this.username = username;
        this.peerhost = peerhost;
        this.protoVer = protoVer;
        this.protocol = protocol;
        this.dropped = dropped;
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
        List<DroppedField> dropped = new ArrayList<>(0);
        Term props = map.get(EmqxAtoms.PROPERTIES);
        MessageProperties properties = null;
        if (props instanceof ErlMap) {
            properties = MessageProperties.fromTerm(props);
            dropped.addAll(properties.dropped());
        } else if (props != null) {
            dropped.add(DroppedField.PROPERTIES);
        }
        Term user = map.get(EmqxAtoms.USERNAME);
        String username = null;
        if (user instanceof ErlBinary) {
            username = ((ErlBinary) user).utf8OrNull();
        }
        if (username == null && user != null && !ErlAtom.UNDEFINED.equals(user)) {
            dropped.add(DroppedField.USERNAME);
        }
        Term host = map.get(EmqxAtoms.PEERHOST);
        InetAddress peerhost = host == null || ErlAtom.UNDEFINED.equals(host) ? null : ipAddressOrNull(host);
        if (peerhost == null && host != null && !ErlAtom.UNDEFINED.equals(host)) {
            dropped.add(DroppedField.PEERHOST);
        }
        Term ver = map.get(EmqxAtoms.PROTO_VER);
        Integer protoVer = null;
        if (ver instanceof ErlInteger
                && ((ErlInteger) ver).value() >= MIN_MQTT_LEVEL
                && ((ErlInteger) ver).value() <= MAX_MQTT_LEVEL) {
            protoVer = (int) ((ErlInteger) ver).value();
        } else if (ver != null) {
            dropped.add(DroppedField.PROTO_VER);
        }
        Term proto = map.get(EmqxAtoms.PROTOCOL);
        return new MessageHeaders(
                map,
                properties,
                username,
                peerhost,
                protoVer,
                proto instanceof ErlAtom ? ((ErlAtom) proto).name() : null,
                dropped.isEmpty() ? List.of() : Collections.unmodifiableList(dropped));
    }

    /** The address of an IPv4 4-tuple or IPv6 8-tuple; null for anything else. */
    private static @Nullable InetAddress ipAddressOrNull(Term t) {
        if (!(t instanceof ErlTuple) || (((ErlTuple) t).arity() != 4 && ((ErlTuple) t).arity() != 8)) {
            return null;
        }
        ErlTuple tuple = (ErlTuple) t;
        int width = tuple.arity() == 4 ? 1 : 2;
        byte[] bytes = new byte[tuple.arity() * width];
        for (int i = 0; i < tuple.arity(); i++) {
            if (!(tuple.get(i) instanceof ErlInteger)) {
                return null;
            }
            long part = ((ErlInteger) tuple.get(i)).value();
            if (part < 0 || part > (width == 1 ? 255 : 65535)) {
                return null;
            }
            if (width == 1) {
                bytes[i] = (byte) part;
            } else {
                bytes[2 * i] = (byte) (part >>> 8);
                bytes[2 * i + 1] = (byte) part;
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 address bytes are always valid", e);
        }
    }

    private static ErlTuple ipTuple(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ErlTuple.of(
                    ErlInteger.of(b[0] & 0xff),
                    ErlInteger.of(b[1] & 0xff),
                    ErlInteger.of(b[2] & 0xff),
                    ErlInteger.of(b[3] & 0xff));
        }
        Term[] parts = new Term[8];
        for (int i = 0; i < 8; i++) {
            parts[i] = ErlInteger.of(((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff));
        }
        return ErlTuple.of(parts);
    }

    /**
     * Returns the term to send.
     *
     * @return the headers map
     */
    public ErlMap toTerm() {
        return term;
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
            e = new byte[io.clink.core.internal.etf.EtfEncoder.termSize(term)];
            io.clink.core.internal.etf.EtfEncoder.writeTerm(term, java.nio.ByteBuffer.wrap(e));
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
     * Returns the headers and properties present in the map that the typed views leave out because their values
     * could not be typed, one entry per value; keys clink does not read at all (e.g. {@code client_attrs}) are not
     * listed.
     *
     * @return an unmodifiable list, empty when every value clink reads was typed
     */
    public List<DroppedField> dropped() {
        return dropped;
    }

    /**
     * Returns a builder with no headers.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageHeaders && ((MessageHeaders) o).term.equals(term);
    }

    @Override
    public int hashCode() {
        return term.hashCode();
    }

    @Override
    public String toString() {
        return term.toString();
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
            entries.put(EmqxAtoms.PEERHOST, ipTuple(address));
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
