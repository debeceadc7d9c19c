package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.broker.LinkConnection;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteStore;
import io.clink.api.topic.TopicFilter;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.RouteIndex;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * A route batch is applied only on a BOUND connection, for the same {C, Actor} it was bound to, and only while the
 * store still holds that actor's bound incarnation (the store fences stale writers); the incarnation in the message
 * is ignored, as in EMQX. Every op is decoded and validated here, before the store sees the batch and outside any
 * store lock: an op that cannot be applied (its filter is not a valid MQTT topic filter or not UTF-8, or the element
 * is not shaped like an op) is skipped: counted in routesSkipped, logged through SkippedOpsLog, and the rest of the
 * batch is applied in list order on the actor's lane; the connection stays up (a disconnect would only make EMQX
 * resend the same batch until its request TTL ends, losing the good ops with the bad). Route ids are opaque bytes,
 * keyed exactly as received. Route ops do not extend the lease. routesReceived counts the applied ops.
 */

/** Validates the route ops of a {@code route} message and applies them through the store, on the actor's lane. */
final class RouteBatchApplier {

    private final RouteStore store;
    private final CounterRegistry counters;
    private final ProtocolErrors errors;
    private final SkippedOpsLog skippedLog;

    RouteBatchApplier(RouteStore store, CounterRegistry counters, ProtocolErrors errors, SkippedOpsLog skippedLog) {
        this.store = store;
        this.counters = counters;
        this.errors = errors;
        this.skippedLog = skippedLog;
    }

    ReceiveOutcome apply(
            LinkConnection conn, InboundConnection state, String cluster, RouteBatch batch, long nowNanos) {
        ActorKey bound = state.bound;
        if (bound == null) {
            return errors.raise(
                    conn, state, cluster, "route operations of actor " + batch.actor() + " before actor_init");
        }
        if (!state.isBoundTo(cluster, batch.actor())) {
            return errors.raise(
                    conn, state, cluster, state.staleOrMismatch(cluster, batch.actor(), "route operations"));
        }
        int skipped = batch.skipped();
        @Nullable String firstSkipped = batch.firstSkipped();
        List<io.clink.api.store.RouteOp> valid = new ArrayList<>(batch.ops().size());
        for (RouteOp op : batch.ops()) {
            try {
                TopicFilter.of(op.filter());
                RouteIndex.checkFilter(op.filter());
                valid.add(new io.clink.api.store.RouteOp(
                        new RouteKey(cluster, op.filter(), op.routeId().toByteArray()), !op.delete()));
            } catch (IllegalArgumentException e) {
                // InvalidTopicException, or the index's own filter check.
                if (skipped++ == 0) {
                    firstSkipped =
                            (op.delete() ? "delete" : "add") + " of route id " + op.routeId() + ": " + e.getMessage();
                }
            }
        }
        if (!store.applyRoutes(bound, state.incarnation, valid)) {
            return errors.raise(
                    conn, state, cluster, state.staleOrMismatch(cluster, batch.actor(), "route operations"));
        }
        LinkCounters c = counters.countersOf(cluster);
        c.routesReceived.add(valid.size());
        if (skipped > 0) {
            c.routesSkipped.add(skipped);
            skippedLog.skipped(cluster, batch.actor(), skipped, requireNonNull(firstSkipped), nowNanos);
        }
        return ReceiveOutcome.HANDLED;
    }
}
