package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import io.clink.api.broker.ClusterLinkHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/*
 * One connection's SUBSCRIBE, SUBACK and UNSUBSCRIBE interceptors, reporting subscription changes to clink.
 *
 * Invariants: HiveMQ runs SUBSCRIBE interception before authorization, so a SUBSCRIBE is only remembered (by packet
 * id, in ConnectionState) and clink hears of a filter only when the matching SUBACK grants it; a SUBACK that matches no
 * remembered SUBSCRIBE reports nothing. An UNSUBSCRIBE is reported as is. The link protocol's own $LINK/... filters are
 * never reported: they are not application routes. Nothing is reported while no engine is attached (clink's periodic
 * resync catches up).
 *
 * Threads: HiveMQ's interceptor threads, one call at a time for this connection, in packet order.
 */
/** Reports one connection's granted subscriptions and unsubscriptions to clink. One per connection. */
public final class SubscriptionTracker
        implements SubscribeInboundInterceptor, SubackOutboundInterceptor, UnsubscribeInboundInterceptor {

    private final ConnectionState state;
    private final AttachedHooks hooks;

    public SubscriptionTracker(ConnectionState state, AttachedHooks hooks) {
        this.state = Objects.requireNonNull(state, "state");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    @Override
    public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
        List<String> filters = new ArrayList<>();
        for (Subscription s : input.getSubscribePacket().getSubscriptions()) {
            filters.add(s.getTopicFilter());
        }
        state.subscribeSent(input.getSubscribePacket().getPacketId(), filters);
    }

    @Override
    public void onOutboundSuback(SubackOutboundInput input, SubackOutboundOutput output) {
        List<String> filters = state.subackSent(input.getSubackPacket().getPacketIdentifier());
        List<SubackReasonCode> codes = input.getSubackPacket().getReasonCodes();
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return;
        }
        for (int i = 0; i < Math.min(filters.size(), codes.size()); i++) {
            String filter = filters.get(i);
            if (Codes.granted(codes.get(i)) && !ClusterLinkHooks.isLinkTopic(filter)) {
                AttachedHooks.guard("subscribe " + filter, () -> h.onSubscribe(state.clientId(), filter));
            }
        }
    }

    @Override
    public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return;
        }
        for (String filter : input.getUnsubscribePacket().getTopicFilters()) {
            if (!ClusterLinkHooks.isLinkTopic(filter)) {
                AttachedHooks.guard("unsubscribe " + filter, () -> h.onUnsubscribe(state.clientId(), filter));
            }
        }
    }
}
