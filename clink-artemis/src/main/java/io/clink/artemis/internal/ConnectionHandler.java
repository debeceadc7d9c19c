package io.clink.artemis.internal;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.broker.adapter.HookGuard;
import io.clink.api.broker.adapter.HooksHolder;
import io.clink.api.broker.adapter.LinkPublishAccess;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One MQTT connection's Netty handler, placed just before Artemis's MQTTProtocolHandler when the CONNECT is read, so it
 * sees every later packet in both directions before Artemis (inbound) or the encoder (outbound) does.
 *
 * What it does, and why here rather than in an Artemis interceptor (which can only pass a packet or kill the
 * connection, and whose broker answers PUBLISH only with SUCCESS or NOT_AUTHORIZED):
 * - SUBSCRIBE is remembered by packet id; the outbound SUBACK reports the granted filters to onSubscribe. On a
 *   connection outside the link acceptors, $LINK filters are cut out before Artemis sees them and refused in the SUBACK.
 * - UNSUBSCRIBE is remembered by packet id; the UNSUBACK reports the removed filters (MQTT 3.1.1 has no codes: all).
 * - CONNACK accepted with clean start reports onSessionEnd for the discarded session (the CONNECT-time report); the
 *   channel's close reports it again when the session ends with the connection and no newer connection took the
 *   client id over.
 * - PUBLISH to a $LINK topic is consumed: never passed to Artemis, so no subscriber and no retained store sees it; it
 *   goes to onLinkPublish (link acceptors only) and is answered with clink's code, and the connection is marked alive.
 *   QoS 2: PUBREC carries the code and the adapter answers the PUBREL itself; a DUP of a packet id awaiting its PUBREL
 *   gets another PUBREC without calling clink again.
 * - Any other PUBLISH goes to onPublish (topic aliases resolved here) and on to Artemis unchanged.
 *
 * Threads: the channel's event loop only (inbound and outbound events of a channel both run there), so one
 * connection's events reach clink in the order they happened. disconnect() is called from clink's threads and hops
 * onto the event loop.
 */
/** Reports one MQTT connection's events to clink and consumes its {@code $LINK/...} publishes. One per connection. */
public final class ConnectionHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    // A hook failure is logged here, never thrown onto the event loop (the hooks promise not to throw anyway).
    private static final HookGuard GUARD =
            new HookGuard((what, e) -> LOG.warn("clink failed on {}: {}", what, e.toString(), e));
    private static final int TOPIC_ALIAS_INVALID = 0x94;

    private final ConnectionState state;
    private final ConnectionRegistry registry;
    private final HooksHolder hooks;
    private final RemotingConnection connection;
    private @Nullable ChannelHandlerContext context;

    public ConnectionHandler(
            ConnectionState state, ConnectionRegistry registry, HooksHolder hooks, RemotingConnection connection) {
        this.state = state;
        this.registry = registry;
        this.hooks = hooks;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof MqttMessage m && (m.decoderResult().isFailure() || m.fixedHeader() == null)) {
            // A malformed packet: Artemis answers it (it disconnects); its parts may be missing, so do not look.
            ctx.fireChannelRead(msg);
        } else if (msg instanceof MqttPublishMessage publish) {
            if (onPublish(ctx, publish)) {
                ctx.fireChannelRead(msg);
            }
        } else if (msg instanceof MqttSubscribeMessage subscribe) {
            MqttSubscribeMessage passed = onSubscribe(ctx, subscribe);
            if (passed != null) {
                ctx.fireChannelRead(passed);
            }
        } else if (msg instanceof MqttUnsubscribeMessage unsubscribe) {
            List<String> topics = unsubscribe.payload().topics();
            state.unsubscribeSent(unsubscribe.variableHeader().messageId(), topics);
            ctx.fireChannelRead(msg);
        } else if (msg instanceof MqttMessage m
                && m.fixedHeader().messageType() == MqttMessageType.PUBREL
                && m.variableHeader() instanceof MqttMessageIdVariableHeader id
                && state.linkQos2Released(id.messageId())) {
            // The PUBREL of a consumed link publish: Artemis never saw its packet id.
            KeepAlive.mark(connection);
            ctx.writeAndFlush(Packets.reply(MqttMessageType.PUBCOMP, id.messageId(), ReasonCodes.SUCCESS));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Object out = msg;
        try {
            if (msg instanceof MqttSubAckMessage suback) {
                out = onSuback(suback);
            } else if (msg instanceof MqttUnsubAckMessage unsuback) {
                onUnsuback(unsuback);
            } else if (msg instanceof MqttConnAckMessage connack) {
                onConnack(connack);
            }
        } catch (RuntimeException e) {
            // The client still gets Artemis's answer; clink's periodic resync repairs what it missed.
            LOG.warn("clink could not follow {} on connection {}: {}", msg, state.connectionId(), e.toString(), e);
        }
        ctx.write(out, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            onClose();
        } finally {
            ctx.fireChannelInactive();
        }
    }

    /** Closes the connection with DISCONNECT (MQTT 5) carrying the code; any thread, idempotent. */
    public void disconnect(int reasonCode, String reasonString) {
        state.linkAccess().markDisconnected();
        ChannelHandlerContext ctx = context;
        if (ctx == null || !ctx.channel().isActive()) {
            return;
        }
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (state.isMqtt5()) {
                ctx.writeAndFlush(Packets.disconnect(reasonCode, reasonString)).addListener(f -> ctx.close());
            } else {
                // MQTT 3.1.1 servers send no DISCONNECT: closing the connection is the only signal.
                ctx.close();
            }
        });
    }

    private void closeForProtocolError(ChannelHandlerContext ctx, int code, String reason) {
        LOG.debug("closing MQTT connection {}: {}", state.connectionId(), reason);
        if (state.isMqtt5()) {
            ctx.writeAndFlush(Packets.disconnect(code, reason)).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }

    /** @return whether to pass the publish on to Artemis */
    private boolean onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        String sent = publish.variableHeader().topicName();
        Integer alias = Packets.topicAlias(publish);
        if (alias != null && !state.aliasAllowed(alias)) {
            // Not passed on: a $LINK publish must never reach Artemis, whatever Artemis would make of the alias.
            ReferenceCountUtil.release(publish);
            closeForProtocolError(ctx, TOPIC_ALIAS_INVALID, "topic alias " + alias + " is not one the server granted");
            return false;
        }
        String topic = state.resolveTopic(sent, alias);
        if (topic == null || !state.identified()) {
            // An unknown alias is a protocol error Artemis answers itself.
            return true;
        }
        if (ClusterLinkHooks.isLinkTopic(topic)) {
            try {
                onLinkPublish(ctx, publish, topic);
            } finally {
                ReferenceCountUtil.release(publish);
            }
            return false;
        }
        ClusterLinkHooks h = hooks.current();
        if (h != null) {
            GUARD.run("publish on " + topic, () -> h.onPublish(Packets.fromPublish(publish, topic, state)));
        }
        return true;
    }

    private void onLinkPublish(ChannelHandlerContext ctx, MqttPublishMessage publish, String topic) {
        KeepAlive.mark(connection);
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        if (qos == 2 && !state.linkQos2Received(packetId)) {
            // A retransmission of a QoS 2 publish clink already had: answer again, hand it over once.
            ctx.writeAndFlush(Packets.reply(MqttMessageType.PUBREC, packetId, ReasonCodes.SUCCESS));
            return;
        }
        int code = linkPublishCode(publish, topic);
        if (qos == 0) {
            return;
        }
        if (!state.isMqtt5() && code >= 0x80) {
            // MQTT 3.1.1 has no failure code in PUBACK; the spec's alternative to a positive ack is closing.
            if (qos == 2) {
                state.linkQos2Released(packetId);
            }
            LOG.debug("closing MQTT 3.1.1 link connection {}: clink answered 0x{}", state.connectionId(), hex(code));
            ctx.close();
            return;
        }
        if (qos == 2 && code >= 0x80) {
            // A failed PUBREC ends the exchange: no PUBREL follows.
            state.linkQos2Released(packetId);
        }
        ctx.writeAndFlush(Packets.reply(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, code));
    }

    private int linkPublishCode(MqttPublishMessage publish, String topic) {
        // This adapter never restricts a connection to one cluster, so a refusal is all a verdict other than ACCEPT
        // asks of it.
        if (state.linkAccess().check(topic) != LinkPublishAccess.Verdict.ACCEPT) {
            return ReasonCodes.NOT_AUTHORIZED;
        }
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR;
        }
        state.linkAccess().markLinkUsed();
        try {
            return h.onLinkPublish(state.link(), topic, Packets.payload(publish), Packets.properties(publish));
        } catch (RuntimeException e) {
            LOG.warn("clink failed on link publish {} from {}: {}", topic, state.clientId(), e.toString(), e);
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
    }

    /** @return the SUBSCRIBE to pass on (without refused filters), or null when every filter was refused */
    private @Nullable MqttSubscribeMessage onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> all = subscribe.payload().topicSubscriptions();
        List<String> filters = new ArrayList<>(all.size());
        List<Boolean> refused = new ArrayList<>(all.size());
        List<MqttTopicSubscription> passed = new ArrayList<>(all.size());
        for (MqttTopicSubscription s : all) {
            boolean refuse = !state.linkAccess().onLinkListener() && ClusterLinkHooks.isLinkTopic(s.topicName());
            filters.add(s.topicName());
            refused.add(refuse);
            if (!refuse) {
                passed.add(s);
            }
        }
        MqttMessageIdAndPropertiesVariableHeader header = subscribe.idAndPropertiesVariableHeader();
        state.subscribeSent(header.messageId(), new ConnectionState.PendingSubscribe(filters, refused));
        if (passed.size() == all.size()) {
            return subscribe;
        }
        if (passed.isEmpty()) {
            int[] codes = new int[all.size()];
            Arrays.fill(codes, state.subackRefusal());
            state.subackSent(header.messageId());
            ctx.writeAndFlush(new MqttSubAckMessage(
                    new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(header.messageId(), MqttProperties.NO_PROPERTIES),
                    new MqttSubAckPayload(codes)));
            return null;
        }
        return new MqttSubscribeMessage(subscribe.fixedHeader(), header, new MqttSubscribePayload(passed));
    }

    private Object onSuback(MqttSubAckMessage suback) {
        ConnectionState.PendingSubscribe pending =
                state.subackSent(suback.variableHeader().messageId());
        if (pending == null) {
            return suback;
        }
        List<Integer> artemisCodes = suback.payload().reasonCodes();
        int[] codes = new int[pending.filters().size()];
        int next = 0;
        boolean spliced = false;
        for (int i = 0; i < codes.length; i++) {
            if (pending.refused().get(i)) {
                codes[i] = state.subackRefusal();
                spliced = true;
            } else {
                codes[i] = next < artemisCodes.size() ? artemisCodes.get(next++) : state.subackRefusal();
            }
        }
        ClusterLinkHooks h = hooks.current();
        if (h != null && state.identified()) {
            for (int i = 0; i < codes.length; i++) {
                String filter = pending.filters().get(i);
                if (codes[i] < 0x80 && !ClusterLinkHooks.isLinkTopic(filter)) {
                    GUARD.run("subscribe " + filter, () -> h.onSubscribe(state.clientId(), filter));
                }
            }
        }
        if (!spliced) {
            return suback;
        }
        return new MqttSubAckMessage(suback.fixedHeader(), suback.variableHeader(), new MqttSubAckPayload(codes));
    }

    private void onUnsuback(MqttUnsubAckMessage unsuback) {
        List<String> filters = state.unsubackSent(unsuback.variableHeader().messageId());
        ClusterLinkHooks h = hooks.current();
        if (filters == null || h == null || !state.identified()) {
            return;
        }
        List<Short> codes =
                unsuback.payload() == null ? List.of() : unsuback.payload().unsubscribeReasonCodes();
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            // MQTT 3.1.1 UNSUBACKs carry no codes; 0x11 (no subscription existed) removed nothing.
            boolean removed = i >= codes.size() || codes.get(i) == 0;
            if (removed && !ClusterLinkHooks.isLinkTopic(filter)) {
                GUARD.run("unsubscribe " + filter, () -> h.onUnsubscribe(state.clientId(), filter));
            }
        }
    }

    private void onConnack(MqttConnAckMessage connack) {
        boolean accepted = connack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED;
        if (!accepted) {
            if (state.identified()) {
                registry.refuse(state, state.replacedConnectionId());
            }
            return;
        }
        MqttProperties props = connack.variableHeader().properties();
        Integer aliasMaximum =
                props == null ? null : Packets.intProperty(props, MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
        state.topicAliasMaximum(aliasMaximum == null ? 0 : aliasMaximum);
        if (!state.identified()) {
            // Artemis assigned the client id; nobody else can hold it, so claiming it now is safe.
            String assigned = connection.getClientID();
            if (assigned == null || assigned.isEmpty()) {
                LOG.warn("Artemis accepted connection {} without a client id; clink ignores it", state.connectionId());
                return;
            }
            state.identify(assigned);
            registry.claim(state);
        }
        ClusterLinkHooks h = hooks.current();
        if (state.cleanStart() && h != null) {
            String clientId = state.clientId();
            GUARD.run("session end of " + clientId, () -> h.onSessionEnd(clientId));
        }
    }

    private void onClose() {
        if (!state.identified()) {
            return;
        }
        boolean wasCurrent = registry.remove(state);
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return;
        }
        String clientId = state.clientId();
        if (state.linkAccess().linkUsed()) {
            GUARD.run("close of " + clientId, () -> h.onConnectionClosed(state.link()));
        }
        // A newer connection of the client id owns the session now; its own CONNECT decided about the old one.
        if (state.sessionEndsOnClose() && wasCurrent) {
            GUARD.run("session end of " + clientId, () -> h.onSessionEnd(clientId));
        }
    }

    private static String hex(int code) {
        return Integer.toHexString(code);
    }
}
