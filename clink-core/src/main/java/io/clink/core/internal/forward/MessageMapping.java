package io.clink.core.internal.forward;

import com.google.common.hash.Hashing;
import com.google.common.net.InetAddresses;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.UserProperty;
import io.clink.api.time.Ticker;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.core.internal.protocol.MessageHeaders;
import io.clink.core.internal.protocol.MessageProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Maps a broker's {@link MqttMessage} to the protocol's {@code #message{}} record (protocol section 3.7) and back,
 * and makes the record's 16-byte id.
 *
 * <p>Forward direction, field by field: {@code id} a new GUID; {@code qos} the original QoS (the link PUBLISH uses
 * {@code min(1, qos)}, the receiver delivers with this one); {@code from} the publisher's client id, an empty binary
 * when unknown; {@code flags} {@code #{dup => false, retain => R}}; {@code headers} {@code properties} (always
 * present, {@code #{}} when none), {@code username} ({@code undefined} when none), {@code peerhost} (an IP tuple,
 * only when the peer host is an IP literal: a host name is never resolved and is then left out), {@code proto_ver},
 * {@code protocol => mqtt}; {@code topic}; {@code payload} (not copied); {@code timestamp} the original publish time
 * in ms; {@code extra => #{}}.
 *
 * <p>Reverse direction: every field above maps back; a missing {@code peerhost} falls back to the address in
 * {@code peername} ({@code {IpTuple, Port}}), which EMQX also carries; header keys clink does not know are ignored.
 * A value the broker SPI cannot carry (an invalid topic, a Payload-Format-Indicator other than 0 or 1, U+0000 in a
 * string) is a {@link ProtocolException}: the peer broke the protocol.
 *
 * <p>GUID layout (EMQX's {@code emqx_guid}): 64-bit microsecond timestamp, 48-bit node hash, 16-bit sequence, big
 * endian. The timestamp is the injected wall clock in microseconds, forced strictly increasing per instance (it runs
 * ahead of the clock only while more than one id per microsecond is asked for), so ids of one instance never repeat
 * even when the wall clock steps back; the node hash is the first 48 bits of SHA-256 of the node name.
 *
 * <p>Thread-safe and lock-free: {@link #toForwarded} is called concurrently by publisher threads. Headers of publishes
 * without properties are reused per publisher identity (user name, peer host, protocol level) from a bounded cache,
 * so the common case builds and encodes no headers map per message.
 */
public final class MessageMapping {
    private static final int GUID_BYTES = 16;
    private static final int MIN_PROTOCOL_VERSION = MqttMessage.MQTT_3_1;
    private static final int MAX_PROTOCOL_VERSION = MqttMessage.MQTT_5;
    private static final int HEADERS_CACHE_SIZE = 4096;

    private final Ticker ticker;
    private final byte[] nodeHash;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger sequence = new AtomicInteger();
    /** Headers of property-less publishes by publisher identity; bounded by clearing when full. */
    private final ConcurrentMap<HeadersKey, MessageHeaders> headersCache = new ConcurrentHashMap<>();

    private record HeadersKey(@Nullable String username, @Nullable String peerHost, int protocolVersion) {
    }

    /**
     * @param nodeName this node's name, hashed into every id
     * @param ticker the wall clock of the id timestamps
     */
    public MessageMapping(String nodeName, Ticker ticker) {
        Objects.requireNonNull(nodeName, "nodeName");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        byte[] sha = Hashing.sha256().hashString(nodeName, StandardCharsets.UTF_8).asBytes();
        this.nodeHash = new byte[] {sha[0], sha[1], sha[2], sha[3], sha[4], sha[5]};
    }

    /**
     * Makes a new message id.
     *
     * @return 16 bytes: timestamp (µs), node hash, sequence
     */
    public byte[] newGuid() {
        long now = Math.multiplyExact(ticker.wallClockMillis(), 1000L);
        long micros;
        while (true) {
            long last = lastMicros.get();
            micros = last == Long.MIN_VALUE || now > last ? now : last + 1;
            if (lastMicros.compareAndSet(last, micros)) {
                break;
            }
        }
        int seq = sequence.getAndIncrement() & 0xFFFF;
        byte[] id = new byte[GUID_BYTES];
        for (int i = 0; i < 8; i++) {
            id[i] = (byte) (micros >>> (56 - 8 * i));
        }
        System.arraycopy(nodeHash, 0, id, 8, nodeHash.length);
        id[14] = (byte) (seq >>> 8);
        id[15] = (byte) seq;
        return id;
    }

    /**
     * Maps a local publish to the record to forward, with a new id.
     *
     * @param message the local publish
     * @return the record
     */
    public ForwardedMessage toForwarded(MqttMessage message) {
        MessageHeaders headers;
        if (message.properties().isEmpty()) {
            // Most publishes carry no properties, and their headers then depend on the publisher alone: reuse them,
            // with their cached encoding, instead of building and encoding the same map for every message.
            HeadersKey key = new HeadersKey(message.username().orElse(null), message.peerHost().orElse(null),
                    message.protocolVersion());
            headers = headersCache.get(key);
            if (headers == null) {
                if (headersCache.size() >= HEADERS_CACHE_SIZE) {
                    headersCache.clear();
                }
                headers = headers(message);
                headersCache.put(key, headers);
            }
        } else {
            headers = headers(message);
        }
        return record(message, newGuid(), headers);
    }

    /**
     * Maps a local publish to the record to forward.
     *
     * @param message the local publish
     * @param guid the 16-byte id
     * @return the record; its payload shares the message's bytes
     * @throws IllegalArgumentException if the id is not 16 bytes
     */
    public static ForwardedMessage toForwarded(MqttMessage message, byte[] guid) {
        return record(message, guid, headers(message));
    }

    private static MessageHeaders headers(MqttMessage message) {
        MessageHeaders.Builder headers = MessageHeaders.builder()
                .properties(toMessageProperties(message.properties()))
                .username(message.username().orElse(null));
        peerAddress(message.peerHost()).ifPresent(headers::peerhost);
        return headers.protoVer(message.protocolVersion()).protocolMqtt().build();
    }

    private static ForwardedMessage record(MqttMessage message, byte[] guid, MessageHeaders headers) {
        return ForwardedMessage.builder()
                .id(guid)
                .qos(message.qos())
                .from(message.publisherClientId().orElse(""))
                .dup(false)
                .retain(message.retain())
                .headers(headers)
                .topic(message.topic())
                .payload(message.payload())
                .timestamp(message.timestampMillis())
                .build();
    }

    /**
     * Maps a forwarded record to the message to deliver locally.
     *
     * @param message the decoded record
     * @param originCluster the cluster it came from (the sender's name in the topic suffix)
     * @return the message, marked with its origin
     * @throws ProtocolException if a field holds a value the broker SPI does not allow
     */
    public static MqttMessage toMqttMessage(ForwardedMessage message, String originCluster)
            throws ProtocolException {
        try {
            MqttMessage.Builder b = MqttMessage.builder()
                    .topic(message.topic())
                    .payload(message.payload())
                    .qos(message.qos())
                    .retain(message.retain())
                    .timestampMillis(message.timestamp())
                    .originCluster(originCluster);
            if (!message.from().isEmpty()) {
                b.publisherClientId(message.from());
            }
            MessageHeaders headers = message.headers();
            MessageProperties properties = headers.properties();
            if (properties != null) {
                b.properties(toPublishProperties(properties));
            }
            b.username(headers.username());
            b.peerHost(peerHost(headers));
            Integer version = headers.protoVer();
            // Metadata only: a level outside 3..5 (no MQTT client has one) keeps the default rather than losing the
            // message.
            if (version != null && version >= MIN_PROTOCOL_VERSION && version <= MAX_PROTOCOL_VERSION) {
                b.protocolVersion(version);
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ProtocolException("forwarded message on topic '" + message.topic()
                    + "' cannot be delivered: " + e.getMessage());
        }
    }

    static MessageProperties toMessageProperties(PublishProperties p) {
        if (p.isEmpty()) {
            return MessageProperties.EMPTY;
        }
        MessageProperties.Builder b = MessageProperties.builder();
        for (UserProperty u : p.userProperties()) {
            b.userProperty(u.name(), u.value());
        }
        p.messageExpiryIntervalSeconds().ifPresent(b::messageExpiryInterval);
        p.contentType().ifPresent(b::contentType);
        p.responseTopic().ifPresent(b::responseTopic);
        p.correlationData().ifPresent(b::correlationData);
        p.payloadFormatIndicator().ifPresent(b::payloadFormatIndicator);
        return b.build();
    }

    static PublishProperties toPublishProperties(MessageProperties p) {
        if (p.toTerm().size() == 0) {
            return PublishProperties.EMPTY;
        }
        PublishProperties.Builder b = PublishProperties.builder();
        List<UserProperty> users = new ArrayList<>(p.userProperties().size());
        for (MessageProperties.UserProperty u : p.userProperties()) {
            users.add(new UserProperty(u.key(), u.value()));
        }
        b.userProperties(users);
        Long expiry = p.messageExpiryInterval();
        if (expiry != null) {
            b.messageExpiryIntervalSeconds(expiry);
        }
        b.contentType(p.contentType());
        b.responseTopic(p.responseTopic());
        ErlBinary correlation = p.correlationData();
        b.correlationData(correlation == null ? null : correlation.toByteArray());
        b.payloadFormatIndicator(p.payloadFormatIndicator());
        return b.build();
    }

    /** The address of an IP literal (IPv4, IPv6, bracketed IPv6); empty for a host name, which is never resolved. */
    static Optional<InetAddress> peerAddress(Optional<String> peerHost) {
        if (peerHost.isEmpty()) {
            return Optional.empty();
        }
        String host = peerHost.get();
        if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            host = host.substring(1, host.length() - 1);
        }
        return InetAddresses.isInetAddress(host) ? Optional.of(InetAddresses.forString(host)) : Optional.empty();
    }

    private static @Nullable String peerHost(MessageHeaders headers) {
        InetAddress address = headers.peerhost();
        if (address == null) {
            address = peernameAddress(headers.toTerm().get(EmqxAtoms.PEERNAME));
        }
        return address == null ? null : InetAddresses.toAddrString(address);
    }

    /** The IP of EMQX's {@code peername => {IpTuple, Port}}; null when absent or not shaped like that. */
    private static @Nullable InetAddress peernameAddress(@Nullable Term peername) {
        if (!(peername instanceof ErlTuple) || ((ErlTuple) peername).arity() != 2
                || !(((ErlTuple) peername).get(0) instanceof ErlTuple)) {
            return null;
        }
        ErlTuple ip = (ErlTuple) ((ErlTuple) peername).get(0);
        int width = ip.arity() == 4 ? 1 : ip.arity() == 8 ? 2 : 0;
        if (width == 0) {
            return null;
        }
        byte[] bytes = new byte[ip.arity() * width];
        for (int i = 0; i < ip.arity(); i++) {
            if (!(ip.get(i) instanceof ErlInteger)) {
                return null;
            }
            long part = ((ErlInteger) ip.get(i)).value();
            if (part < 0 || part >= (1L << (8 * width))) {
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
}
