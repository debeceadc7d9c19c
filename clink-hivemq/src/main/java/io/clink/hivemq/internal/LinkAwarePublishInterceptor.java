package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.ReasonCodes;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One connection's inbound PUBLISH interceptor: a local publish is reported to ClusterLinkHooks.onPublish and
 * delivered by HiveMQ as usual; a $LINK/... publish is always consumed (preventPublishDelivery), so no subscriber
 * ever receives one, and answered with the reason code clink returns.
 *
 * Invariants: a $LINK publish reaches clink only from a connection on a link listener that is not being closed and,
 * for a link user restricted to one cluster, only on that cluster's route and message topics (ConnectionState
 * decides); otherwise it is refused with 0x87, and the cluster-restriction case also closes the connection. With no
 * engine attached a $LINK publish gets 0x83. The interceptor never waits: clink only matches routes and queues. At
 * QoS 2 HiveMQ itself answers PUBREL and DUP retransmissions without calling it again, so clink sees a message once.
 *
 * Threads: HiveMQ's interceptor threads, one call at a time for this connection, in packet order.
 */
/** Reports local publishes to clink and consumes {@code $LINK/...} publishes for it. One per connection. */
public final class LinkAwarePublishInterceptor implements PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(LinkAwarePublishInterceptor.class);

    private final ConnectionState state;
    private final int protocolVersion;
    private final AttachedHooks hooks;
    private final LinkClientCloser closer;

    /**
     * @param state the connection's state
     * @param protocolVersion the connection's MQTT protocol version (3, 4 or 5), reported with local publishes
     * @param hooks the engine's hooks, if attached
     * @param closer closes the connection when a link user publishes for another cluster
     */
    public LinkAwarePublishInterceptor(
            ConnectionState state, int protocolVersion, AttachedHooks hooks, LinkClientCloser closer) {
        this.state = Objects.requireNonNull(state, "state");
        this.protocolVersion = protocolVersion;
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.closer = Objects.requireNonNull(closer, "closer");
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        String topic = packet.getTopic();
        if (ClusterLinkHooks.isLinkTopic(topic)) {
            // Counted before HiveMQ counts it (when this returns), so the dropped figure may read low, never high.
            hooks.linkPublishConsumed();
            onLinkPublish(packet, output);
            return;
        }
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return;
        }
        // Before the connection-start event has run (HiveMQ does not order it before the interceptors), the user name
        // is not known yet and is reported absent; ConnectionState swaps in the handle with it once it is known.
        AttachedHooks.guard(
                "publish on " + topic,
                () -> h.onPublish(Messages.fromPacket(
                        packet,
                        state.clientId(),
                        state.link().username(),
                        state.link().peerHost(),
                        protocolVersion)));
    }

    private void onLinkPublish(PublishPacket packet, PublishInboundOutput output) {
        switch (state.checkLinkPublish(packet.getTopic())) {
            case REFUSE_NOT_LINK_LISTENER:
                output.preventPublishDelivery(
                        AckReasonCode.NOT_AUTHORIZED, "link topics are accepted only on the link listener");
                return;
            case REFUSE_CLOSING:
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "connection is being closed");
                return;
            case DISCONNECT_NOT_AUTHORIZED:
                String reason = "link user " + state.link().username() + " may not publish to " + packet.getTopic()
                        + ": it speaks only for its own cluster";
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, reason);
                closer.close(state, ReasonCodes.NOT_AUTHORIZED, reason);
                return;
            case ACCEPT:
            default:
                break;
        }
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "cluster link not running");
            return;
        }
        LinkConnection connection = state.markLinkUsed();
        int code;
        try {
            code = h.onLinkPublish(
                    connection, packet.getTopic(), Messages.payload(packet), Messages.properties(packet));
        } catch (RuntimeException e) {
            LOG.warn(
                    "clink failed on link publish {} from {}: {}",
                    packet.getTopic(),
                    state.clientId(),
                    e.toString(),
                    e);
            code = ReasonCodes.UNSPECIFIED_ERROR;
        }
        AckReasonCode ack = Codes.ack(code);
        if (ack == AckReasonCode.SUCCESS) {
            output.preventPublishDelivery();
        } else {
            output.preventPublishDelivery(ack);
        }
    }
}
