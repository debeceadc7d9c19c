package io.clink.core.internal.forward;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.time.Ticker;
import io.clink.api.topic.TopicAlgebra;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.DroppedField;
import io.clink.core.internal.protocol.ForwardedMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives messages a remote cluster forwards on {@code $LINK/cluster/msg/<sender>} (protocol sections 3.7, 4.10)
 * and delivers them to local subscribers, marked with their origin so they are never forwarded again.
 *
 * <p>Decision, in order, with the PUBACK reason code returned and what is counted on the sender's link:
 * <ol>
 *   <li>no link named after the sender, or that link disabled: {@code 0x10}, {@code filtered} (the payload is not
 *       even decoded);
 *   <li>payload not a {@code #message{}} record (not ETF, wrong tag or arity, a field of the wrong term type, QoS
 *       outside 0-2, an empty or wildcard topic, a payload that is not iodata): {@code 0x83}, {@code rejected} and
 *       {@code protocolErrors}, <em>no disconnect</em>;
 *   <li>topic the broker SPI cannot carry although EMQX accepted it (not UTF-8, U+0000, over 65535 bytes):
 *       {@code 0x90}, {@code rejected}, no disconnect;
 *   <li>topic matched by none of the link's <em>current</em> topics (read from the configuration on every message,
 *       so a topic change or a disable takes effect with the next message): {@code 0x10}, {@code filtered};
 *   <li>Message-Expiry-Interval already elapsed since the original publish timestamp: {@code 0x10},
 *       {@code filtered}. Delivering it would only make the broker drop it, and MQTT 5 forbids forwarding an
 *       expired message. Elapsed time uses this node's wall clock against the sender's timestamp, so clock skew
 *       between clusters shifts expiry, exactly as in EMQX; a timestamp in the future counts as just published;
 *   <li>otherwise {@link io.clink.api.broker.LocalBroker#deliver} with the remaining expiry interval (MQTT 5:
 *       a forwarded message carries its remaining lifetime, at least 1 s): {@code 0x00}, {@code received}; if the
 *       broker throws, {@code 0x80}, {@code rejected} and {@code brokerErrors}.
 * </ol>
 * Metadata (headers, properties, {@code from}) never decides between these: what the SPI cannot carry is left out
 * of the delivered message and counted in {@code fieldsDropped}, one per value (see {@link MessageMapping}), and the
 * first drop of each {@link DroppedField kind} is logged at DEBUG (one flag per kind: bounded, however many
 * messages a peer sends).
 *
 * <p>Why no disconnect, not even for a payload that is not a message: EMQX's forwarding pool classifies a
 * disconnect as recoverable, reconnects and sends the same payload again until its request TTL (45 s) runs out,
 * and every other message in flight on that connection is lost or resent with it: a loop that fixes nothing. A
 * PUBACK code of 0x80 or more is final for EMQX (counted {@code failed}, not retried). No EMQX version disconnects a
 * sender over a bad forwarded message either: its hook drops a record it cannot use and answers 0x10 (5.8.0-5.8.1
 * never disconnect on any receiver error). Staying connected costs nothing: each payload is bounded by the decoder's
 * limits and the connection's Receive Maximum bounds what is in flight. Protocol errors on the route topic still
 * disconnect (that receiver's state would be wrong otherwise).
 *
 * <p>No reason code other than 0x00, 0x10, 0x80, 0x83 or 0x90 is ever returned. EMQX's senders count 0x10 as
 * success, as EMQX's own receiver answers it for filtered messages.
 *
 * <p>Concurrency: apart from the thread-safe parts it is given, only the per-kind log flags and the WARN throttle (atomics);
 * called concurrently on broker threads, one call per inbound publish, never blocking.
 */
public final class ForwardedReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardedReceiver.class);
    private static final long MILLIS_PER_SECOND = 1000L;
    /** At most one WARN per this interval for refused messages; the rest go to DEBUG (a peer may send thousands). */
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final Supplier<ClusterLinkConfig> config;
    private final GuardedBroker broker;
    private final CounterRegistry registry;
    private final Ticker ticker;
    private final EtfDecoder decoder;
    private final AtomicBoolean[] droppedLogged = new AtomicBoolean[DroppedField.values().length];
    private final AtomicLong lastWarnNanos = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param config the configuration in force, read on every message (its links' current topics and enable flag)
     * @param broker local deliveries go through it
     * @param counters the counters charged per sender cluster
     * @param ticker the clock of message expiry and of the WARN throttle
     * @param etfLimits decoder bounds for every inbound payload
     */
    public ForwardedReceiver(
            Supplier<ClusterLinkConfig> config,
            GuardedBroker broker,
            CounterRegistry counters,
            Ticker ticker,
            EtfLimits etfLimits) {
        this.config = Objects.requireNonNull(config, "config");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.registry = Objects.requireNonNull(counters, "counters");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.decoder = new EtfDecoder(Objects.requireNonNull(etfLimits, "etfLimits"));
        for (int i = 0; i < droppedLogged.length; i++) {
            droppedLogged[i] = new AtomicBoolean();
        }
    }

    /**
     * Handles one forwarded-message publish.
     *
     * @param conn the inbound link connection it arrived on
     * @param senderCluster the sender's cluster name, from the topic suffix
     * @param payload the publish payload (not modified, not kept after the call returns)
     * @return the PUBACK reason code
     */
    public int onMessagePublish(LinkConnection conn, String senderCluster, byte[] payload) {
        LinkCounters counters = registry.countersOf(senderCluster);
        Optional<LinkConfig> link = config.get().link(senderCluster);
        if (link.isEmpty() || !link.get().enable()) {
            counters.filtered.increment();
            LOG.debug(
                    "[{}] forwarded message filtered: link {}",
                    senderCluster,
                    link.isEmpty() ? "not configured" : "disabled");
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        }
        MessageMapping.Mapped mapped;
        try {
            mapped = MessageMapping.toMqttMessage(
                    ForwardedMessage.decode(decoder, payload), senderCluster, ticker.wallClockMillis());
        } catch (ProtocolException e) {
            counters.protocolErrors.increment();
            counters.rejected.increment();
            refused(
                    senderCluster,
                    conn,
                    "malformed forwarded message refused with PUBACK 0x83",
                    String.valueOf(e.getMessage()));
            return ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR;
        } catch (UndeliverableMessageException e) {
            counters.rejected.increment();
            refused(
                    senderCluster,
                    conn,
                    "undeliverable forwarded message refused with PUBACK 0x" + Integer.toHexString(e.reasonCode()),
                    String.valueOf(e.getMessage()));
            return e.reasonCode();
        }
        MqttMessage message = mapped.message();
        if (!matchesAny(link.get().topics(), message.topic())) {
            counters.filtered.increment();
            LOG.debug(
                    "[{}] forwarded message filtered: topic {} outside the link's topics",
                    senderCluster,
                    message.topic());
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        }
        OptionalLong expiry = message.properties().messageExpiryIntervalSeconds();
        if (expiry.isPresent()) {
            long elapsedMillis = Math.max(0, ticker.wallClockMillis() - message.timestampMillis());
            if (elapsedMillis > expiry.getAsLong() * MILLIS_PER_SECOND) {
                counters.filtered.increment();
                LOG.debug("[{}] forwarded message on {} expired in transit", senderCluster, message.topic());
                return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
            }
            message = withRemainingExpiry(message, expiry.getAsLong(), elapsedMillis);
        }
        if (!broker.deliver(senderCluster, counters, message)) {
            counters.rejected.increment();
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
        counters.received.increment();
        // Counted for delivered messages only: a filtered one loses everything, not just what MQTT cannot carry.
        countDropped(senderCluster, counters, mapped.dropped());
        return ReasonCodes.SUCCESS;
    }

    private void countDropped(String senderCluster, LinkCounters counters, List<DroppedField> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        counters.fieldsDropped.add(dropped.size());
        for (DroppedField kind : dropped) {
            // Only spent while DEBUG is on, so turning it on later still shows each kind once.
            if (LOG.isDebugEnabled()
                    && !droppedLogged[kind.ordinal()].get()
                    && droppedLogged[kind.ordinal()].compareAndSet(false, true)) {
                LOG.debug(
                        "[{}] forwarded message delivered without its {}: the value cannot be carried by an MQTT "
                                + "broker (logged once per field kind; see the fields_dropped metric)",
                        senderCluster,
                        kind.field());
            }
        }
    }

    /** WARN for the first refusal and then at most once per interval, DEBUG otherwise. */
    private void refused(String senderCluster, LinkConnection conn, String what, String detail) {
        long now = ticker.nanoTime();
        long last = lastWarnNanos.get();
        boolean warn = warned.compareAndSet(false, true)
                || (now - last >= WARN_INTERVAL_NANOS && lastWarnNanos.compareAndSet(last, now));
        if (warn) {
            lastWarnNanos.set(now);
            LOG.warn(
                    "[{}] {} on connection {} ({}), the connection is kept: {} (further ones for {} s at DEBUG; "
                            + "see the messages_rejected metric)",
                    senderCluster,
                    what,
                    conn.connectionId(),
                    conn.clientId(),
                    detail,
                    WARN_INTERVAL_NANOS / 1_000_000_000L);
        } else {
            LOG.debug(
                    "[{}] {} on connection {} ({}): {}",
                    senderCluster,
                    what,
                    conn.connectionId(),
                    conn.clientId(),
                    detail);
        }
    }

    private static boolean matchesAny(List<String> filters, String topic) {
        for (String filter : filters) {
            if (TopicAlgebra.match(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    private static MqttMessage withRemainingExpiry(MqttMessage message, long intervalSeconds, long elapsedMillis) {
        long elapsedSeconds = elapsedMillis / MILLIS_PER_SECOND;
        if (intervalSeconds == 0 || elapsedSeconds == 0) {
            return message;
        }
        long remaining = Math.max(1, intervalSeconds - elapsedSeconds);
        PublishProperties properties = message.properties().toBuilder()
                .messageExpiryIntervalSeconds(remaining)
                .build();
        return message.toBuilder().properties(properties).build();
    }
}
