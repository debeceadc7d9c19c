package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.broker.LinkConnection;
import io.clink.api.topic.TopicFilter;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.RouteIndex;
import org.jspecify.annotations.Nullable;

/*
 * A route batch is applied only on a BOUND, non-stale connection, for the same {C, Actor} it was bound to; the
 * incarnation in the message is ignored, as in EMQX. The ops are applied in list order on the actor's lane. An op
 * that cannot be applied (its filter is not a valid MQTT topic filter or not UTF-8, or the element is not shaped like
 * an op) is skipped: counted in routesSkipped, logged through SkippedOpsLog, and the rest of the batch is applied;
 * the connection stays up (a disconnect would only make EMQX resend the same batch until its request TTL ends,
 * losing the good ops with the bad). Route ids are opaque bytes, keyed exactly as received. Route ops do not extend
 * the lease. routesReceived counts the applied ops.
 */

/**
 * Applies the route ops of a {@code route} message to the route index, on the lane of the connection's actor.
 * Not thread-safe: called under the receiver's lock, which makes it the index's single writer.
 */
final class RouteBatchApplier {

    private final RouteIndex routes;
    private final ActorTable actors;
    private final CounterRegistry counters;
    private final ProtocolErrors errors;
    private final SkippedOpsLog skippedLog;

    RouteBatchApplier(
            RouteIndex routes,
            ActorTable actors,
            CounterRegistry counters,
            ProtocolErrors errors,
            SkippedOpsLog skippedLog) {
        this.routes = routes;
        this.actors = actors;
        this.counters = counters;
        this.errors = errors;
        this.skippedLog = skippedLog;
    }

    ReceiveOutcome apply(
            LinkConnection conn, InboundConnection state, String cluster, RouteBatch batch, long nowNanos) {
        if (state.bound == null) {
            return errors.raise(
                    conn, state, cluster, "route operations of actor " + batch.actor() + " before actor_init");
        }
        int lane = state.boundLane(actors, cluster, batch.actor());
        if (lane < 0) {
            return errors.raise(
                    conn, state, cluster, state.staleOrMismatch(cluster, batch.actor(), "route operations"));
        }
        int applied = 0;
        int skipped = batch.skipped();
        @Nullable String firstSkipped = batch.firstSkipped();
        for (RouteOp op : batch.ops()) {
            try {
                TopicFilter.of(op.filter());
                if (op.delete()) {
                    routes.delete(op.filter(), cluster, op.routeId(), lane);
                } else {
                    routes.add(op.filter(), cluster, op.routeId(), lane);
                }
                applied++;
            } catch (IllegalArgumentException e) {
                // InvalidTopicException, or the index's own filter check: the index is unchanged by either.
                if (skipped++ == 0) {
                    firstSkipped =
                            (op.delete() ? "delete" : "add") + " of route id " + op.routeId() + ": " + e.getMessage();
                }
            }
        }
        LinkCounters c = counters.countersOf(cluster);
        c.routesReceived.add(applied);
        if (skipped > 0) {
            c.routesSkipped.add(skipped);
            skippedLog.skipped(cluster, batch.actor(), skipped, requireNonNull(firstSkipped), nowNanos);
        }
        return ReceiveOutcome.HANDLED;
    }
}
