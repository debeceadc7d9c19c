package io.clink.core.internal.forward;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.LinkConfig;
import io.clink.api.topic.TopicAlgebra;
import io.clink.core.internal.engine.EngineContext;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ForwardedMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
 *   <li>payload not a {@code #message{}} record, or holding values the broker SPI cannot carry: DISCONNECT
 *       {@code 0x83}, {@code protocolErrors}, returns {@code 0x83};
 *   <li>topic matched by none of the link's <em>current</em> topics (read from the configuration on every message,
 *       so a topic change or a disable takes effect with the next message): {@code 0x10}, {@code filtered};
 *   <li>Message-Expiry-Interval already elapsed since the original publish timestamp: {@code 0x10},
 *       {@code filtered}. Delivering it would only make the broker drop it, and MQTT 5 forbids forwarding an
 *       expired message. Elapsed time uses this node's wall clock against the sender's timestamp, so clock skew
 *       between clusters shifts expiry, exactly as in EMQX; a timestamp in the future counts as just published;
 *   <li>otherwise {@link io.clink.api.broker.LocalBroker#deliver} with the remaining expiry interval (MQTT 5:
 *       a forwarded message carries its remaining lifetime, at least 1 s): {@code 0x00}, {@code received}; if the
 *       broker throws, {@code 0x80} (the sender counts it failed) and {@code brokerErrors}.
 * </ol>
 * No reason code other than 0x00, 0x10, 0x80 or 0x83 is ever returned. EMQX's senders count 0x10 as success, as
 * EMQX's own receiver answers it for filtered messages.
 *
 * <p>Concurrency: stateless apart from the shared context; called concurrently on broker threads, one call per
 * inbound publish, never blocking.
 */
public final class ForwardedReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardedReceiver.class);
    private static final long MILLIS_PER_SECOND = 1000L;

    private final EngineContext ctx;
    private final EtfDecoder decoder;

    /**
     * @param ctx the engine context: configuration, broker, time, counters
     */
    public ForwardedReceiver(EngineContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.decoder = new EtfDecoder(ctx.etfLimits());
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
        LinkCounters counters = ctx.countersOf(senderCluster);
        Optional<LinkConfig> link = ctx.link(senderCluster);
        if (link.isEmpty() || !link.get().enable()) {
            counters.filtered.increment();
            LOG.debug("[{}] forwarded message filtered: link {}", senderCluster,
                    link.isEmpty() ? "not configured" : "disabled");
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        }
        MqttMessage message;
        try {
            message = MessageMapping.toMqttMessage(ForwardedMessage.decode(decoder, payload), senderCluster);
        } catch (ProtocolException e) {
            counters.protocolErrors.increment();
            LOG.warn("[{}] malformed forwarded message on connection {} ({}), disconnecting: {}", senderCluster,
                    conn.connectionId(), conn.clientId(), e.getMessage());
            ctx.broker().disconnect(senderCluster, counters, conn, ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR,
                    "cluster link protocol error: malformed forwarded message");
            return ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR;
        }
        if (!matchesAny(link.get().topics(), message.topic())) {
            counters.filtered.increment();
            LOG.debug("[{}] forwarded message filtered: topic {} outside the link's topics", senderCluster,
                    message.topic());
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        }
        OptionalLong expiry = message.properties().messageExpiryIntervalSeconds();
        if (expiry.isPresent()) {
            long elapsedMillis = Math.max(0, ctx.ticker().wallClockMillis() - message.timestampMillis());
            if (elapsedMillis > expiry.getAsLong() * MILLIS_PER_SECOND) {
                counters.filtered.increment();
                LOG.debug("[{}] forwarded message on {} expired in transit", senderCluster, message.topic());
                return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
            }
            message = withRemainingExpiry(message, expiry.getAsLong(), elapsedMillis);
        }
        if (!ctx.broker().deliver(senderCluster, counters, message)) {
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
        counters.received.increment();
        return ReasonCodes.SUCCESS;
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
        PublishProperties properties = message.properties().toBuilder().messageExpiryIntervalSeconds(remaining)
                .build();
        return message.toBuilder().properties(properties).build();
    }
}
