package io.clink.core.internal.forward;

import com.google.common.hash.Hashing;
import com.google.common.net.InetAddresses;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.broker.UserProperty;
import io.clink.api.time.Ticker;
import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.DroppedField;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.core.internal.protocol.IpTuples;
import io.clink.core.internal.protocol.MessageHeaders;
import io.clink.core.internal.protocol.MessageProperties;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>Reverse direction ({@link #toMqttMessage}): headers and properties are EMQX's best-effort metadata, and EMQX
 * does not validate them ({@code strict_mode = false}, gateways with their own header values). Everything the broker
 * SPI can carry is mapped; a value it cannot carry is left out of the delivered message and listed as a
 * {@link DroppedField}; the message is still delivered. The table follows what MQTT lets a broker send to an MQTT
 * subscriber: every MQTT string is well-formed UTF-8 without U+0000 (MQTT-1.5.4-1, -2), so such a value cannot be
 * passed on, not even as a User-Property.
 * <table>
 *   <caption>From {@code #message{}} to {@link MqttMessage}</caption>
 *   <tr><th>Field as EMQX sends it</th><th>Delivered as</th><th>Dropped (counted) when</th></tr>
 *   <tr><td>{@code topic}</td><td>topic</td><td>never: not UTF-8, U+0000 or too long makes the message
 *       undeliverable ({@link UndeliverableMessageException}, PUBACK 0x90); empty or a wildcard is not a
 *       message at all (the decoder's {@code ProtocolException})</td></tr>
 *   <tr><td>{@code qos}, {@code flags.retain}, {@code payload}</td><td>QoS, retain, payload</td><td>never (a
 *       bad value is a malformed record)</td></tr>
 *   <tr><td>{@code timestamp}</td><td>timestamp</td><td>negative: the receive time is used</td></tr>
 *   <tr><td>{@code from}: binary</td><td>publisher client id (none when empty)</td><td>not UTF-8, or
 *       U+0000</td></tr>
 *   <tr><td>{@code from}: atom</td><td>none</td><td>any atom but {@code undefined} (e.g. {@code bridge}: not a
 *       client id)</td></tr>
 *   <tr><td>{@code headers.username}</td><td>username ({@code undefined}: none)</td><td>not a binary, not UTF-8,
 *       or U+0000</td></tr>
 *   <tr><td>{@code headers.peerhost}</td><td>peer host (an IP literal); when absent, the IP of
 *       {@code peername => {IpTuple, Port}}</td><td>not a 4- or 8-tuple of integers in range</td></tr>
 *   <tr><td>{@code headers.proto_ver}</td><td>protocol version 3, 4 or 5 (absent: the SPI's default,
 *       5)</td><td>anything else, e.g. a gateway's {@code <<"1.2">>}</td></tr>
 *   <tr><td>{@code headers.properties}</td><td>the properties below</td><td>not a map (one drop; no properties
 *       then)</td></tr>
 *   <tr><td>{@code 'User-Property'}</td><td>user properties, order and duplicates kept</td><td>per pair: not a
 *       2-tuple of UTF-8 binaries, or U+0000; the whole list when it is not a list (one drop)</td></tr>
 *   <tr><td>{@code 'Message-Expiry-Interval'}</td><td>expiry (the receiver then delivers the remaining
 *       interval)</td><td>not an integer from 0 to 2^32-1</td></tr>
 *   <tr><td>{@code 'Content-Type'}</td><td>content type</td><td>not a UTF-8 binary, or U+0000</td></tr>
 *   <tr><td>{@code 'Response-Topic'}</td><td>response topic</td><td>not UTF-8, or not a valid topic name
 *       (wildcards, U+0000)</td></tr>
 *   <tr><td>{@code 'Correlation-Data'}</td><td>correlation data</td><td>not a binary, or over 65535
 *       bytes</td></tr>
 *   <tr><td>{@code 'Payload-Format-Indicator'}</td><td>payload format indicator</td><td>neither 0 nor 1 (EMQX
 *       lets any byte through)</td></tr>
 *   <tr><td>{@code protocol}, {@code peername}, {@code client_attrs}, other properties ({@code 'Topic-Alias'},
 *       ...), unknown header keys, {@code extra}, {@code id}, {@code flags.dup}</td><td>not delivered: the SPI
 *       has no place for them</td><td>never counted (every message would count)</td></tr>
 * </table>
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
    private static final int HEADERS_CACHE_SIZE = 4096;

    private final Ticker ticker;
    private final byte[] nodeHash;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger sequence = new AtomicInteger();
    /** Headers of property-less publishes by publisher identity; bounded by clearing when full. */
    private final ConcurrentMap<HeadersKey, MessageHeaders> headersCache = new ConcurrentHashMap<>();

    private record HeadersKey(
            @Nullable String username, @Nullable String peerHost, int protocolVersion) {}

    /**
     * @param nodeName this node's name, hashed into every id
     * @param ticker the wall clock of the id timestamps
     */
    public MessageMapping(String nodeName, Ticker ticker) {
        Objects.requireNonNull(nodeName, "nodeName");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        byte[] sha =
                Hashing.sha256().hashString(nodeName, StandardCharsets.UTF_8).asBytes();
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
            HeadersKey key = new HeadersKey(
                    message.username().orElse(null), message.peerHost().orElse(null), message.protocolVersion());
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
     * A forwarded record mapped for local delivery.
     *
     * @param message the message to deliver, marked with its origin
     * @param dropped the metadata values left out, one entry per value; empty for most messages
     */
    public record Mapped(MqttMessage message, List<DroppedField> dropped) {}

    /**
     * Maps a forwarded record to the message to deliver locally: everything the broker SPI can carry is mapped,
     * every metadata value it cannot carry is left out and listed (see the class comment for the table).
     *
     * @param message the decoded record
     * @param originCluster the cluster it came from (the sender's name in the topic suffix)
     * @param receivedAtMillis this node's wall clock, the timestamp of a record whose own one is negative
     * @return the message and what was left out of it
     * @throws UndeliverableMessageException if the topic is not one the broker SPI can carry (not UTF-8, U+0000,
     *     longer than 65535 bytes): the message itself cannot be delivered
     */
    public static Mapped toMqttMessage(ForwardedMessage message, String originCluster, long receivedAtMillis)
            throws UndeliverableMessageException {
        List<DroppedField> dropped = new ArrayList<>(0);
        dropped.addAll(message.headers().dropped());
        MqttMessage.Builder b = MqttMessage.builder()
                .payload(message.payload())
                .qos(message.qos())
                .retain(message.retain())
                .originCluster(originCluster);
        String topic = message.topic();
        if (topic == null) {
            throw new UndeliverableMessageException(
                    ReasonCodes.TOPIC_NAME_INVALID,
                    "topic " + message.topicBytes() + " is not UTF-8, which an MQTT topic name must be");
        }
        try {
            b.topic(topic);
        } catch (IllegalArgumentException e) {
            throw new UndeliverableMessageException(ReasonCodes.TOPIC_NAME_INVALID, String.valueOf(e.getMessage()));
        }
        if (message.timestamp() >= 0) {
            b.timestampMillis(message.timestamp());
        } else {
            dropped.add(DroppedField.TIMESTAMP);
            b.timestampMillis(Math.max(0, receivedAtMillis));
        }
        String from = message.from();
        Term fromField = message.fromField();
        if (from != null && !from.isEmpty()) {
            set(() -> b.publisherClientId(from), DroppedField.FROM, dropped);
        } else if (from == null && !ErlAtom.UNDEFINED.equals(fromField)) {
            dropped.add(DroppedField.FROM);
        }
        MessageHeaders headers = message.headers();
        MessageProperties properties = headers.properties();
        if (properties != null) {
            b.properties(toPublishProperties(properties, dropped));
        }
        String username = headers.username();
        if (username != null) {
            set(() -> b.username(username), DroppedField.USERNAME, dropped);
        }
        b.peerHost(peerHost(headers));
        Integer version = headers.protoVer();
        if (version != null) {
            b.protocolVersion(version);
        }
        return new Mapped(b.build(), dropped.isEmpty() ? List.of() : Collections.unmodifiableList(dropped));
    }

    /** Applies one metadata setter; a value the SPI refuses (U+0000, too long, not a topic name) is dropped. */
    private static void set(Runnable setter, DroppedField kind, List<DroppedField> dropped) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            dropped.add(kind);
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

    static PublishProperties toPublishProperties(MessageProperties p, List<DroppedField> dropped) {
        if (p.toTerm().size() == 0) {
            return PublishProperties.EMPTY;
        }
        PublishProperties.Builder b = PublishProperties.builder();
        List<UserProperty> users = new ArrayList<>(p.userProperties().size());
        for (MessageProperties.UserProperty u : p.userProperties()) {
            try {
                users.add(new UserProperty(u.key(), u.value()));
            } catch (IllegalArgumentException e) {
                dropped.add(DroppedField.USER_PROPERTY);
            }
        }
        b.userProperties(users);
        Long expiry = p.messageExpiryInterval();
        if (expiry != null) {
            b.messageExpiryIntervalSeconds(expiry);
        }
        String contentType = p.contentType();
        if (contentType != null) {
            set(() -> b.contentType(contentType), DroppedField.CONTENT_TYPE, dropped);
        }
        String responseTopic = p.responseTopic();
        if (responseTopic != null) {
            set(() -> b.responseTopic(responseTopic), DroppedField.RESPONSE_TOPIC, dropped);
        }
        ErlBinary correlation = p.correlationData();
        if (correlation != null) {
            set(() -> b.correlationData(correlation.toByteArray()), DroppedField.CORRELATION_DATA, dropped);
        }
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
        if (!(peername instanceof ErlTuple) || ((ErlTuple) peername).arity() != 2) {
            return null;
        }
        return IpTuples.addressOrNull(((ErlTuple) peername).get(0));
    }
}
