package io.clink.core.internal.sender;

import io.clink.api.topic.Subscription;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the route actor still owes the remote on one link: the stash of incremental ops, the snapshot of a bootstrap
 * in progress, and the one batch in flight, with whether this incarnation was ever fully bootstrapped.
 *
 * <p>It keeps two promises of the actor (see {@link ActorSender}): a stashed op is only given up when the remote's
 * view is rebuilt from a snapshot read afterwards ({@link #beginBootstrap} with {@code remoteIsEmpty}), and an
 * incremental batch that was not acknowledged goes back into the stash, whereas an unfinished snapshot is simply
 * abandoned, to be redone from a fresh one.
 *
 * <p>Not thread-safe: confined to the actor's serial executor.
 */
final class RouteOutbox {

    private final ReplicationSet replication;
    private final SyncerStash stash = new SyncerStash();
    private @Nullable SyncerStash snapshot;
    private @Nullable List<RouteOp> inFlight;
    private boolean inFlightIsSnapshot;
    private boolean bootstrapped;

    RouteOutbox(ReplicationSet replication) {
        this.replication = Objects.requireNonNull(replication, "replication");
    }

    /** A new run: nothing owed, and the new incarnation still needs a bootstrap. */
    void reset() {
        bootstrapped = false;
        stash.clear();
    }

    /** The actor stops: incremental ops are forgotten, the next run bootstraps from the routes of that moment. */
    void clearStash() {
        stash.clear();
    }

    /** Stashes the ops one local route's appearance or disappearance produces on this link. */
    void record(Subscription route, boolean delete) {
        for (RouteOp op : replication.ops(route, delete)) {
            stash.push(op);
        }
    }

    /** Whether a whole snapshot was acknowledged in this incarnation. */
    boolean bootstrapped() {
        return bootstrapped;
    }

    /**
     * Starts a bootstrap from a snapshot of {@code routes}.
     *
     * @param remoteIsEmpty the remote holds nothing of this incarnation ({@code need_bootstrap = true})
     * @param routes this node's current routes
     * @return the number of ops in the snapshot
     */
    int beginBootstrap(boolean remoteIsEmpty, Collection<Subscription> routes) {
        bootstrapped = false;
        if (remoteIsEmpty) {
            // The remote holds nothing of this incarnation and the snapshot below is newer than every stashed op.
            // When the remote does hold routes (an earlier bootstrap of this incarnation broke off), pending deletes
            // must survive, so the stash is kept; its adds are merely sent twice.
            stash.clear();
        }
        SyncerStash ops = new SyncerStash(routes.size());
        for (Subscription route : routes) {
            for (RouteOp op : replication.ops(route, false)) {
                ops.push(op);
            }
        }
        snapshot = ops;
        return ops.size();
    }

    /**
     * Ends the bootstrap if its whole snapshot was sent and acknowledged.
     *
     * @return whether the bootstrap is complete now
     * @throws NullPointerException if no bootstrap is in progress
     */
    boolean completeBootstrapIfSent() {
        if (!Objects.requireNonNull(snapshot, "bootstrapOps").isEmpty()) {
            return false;
        }
        snapshot = null;
        bootstrapped = true;
        return true;
    }

    /**
     * Where the next batch comes from: the snapshot while bootstrapping, else the stash.
     *
     * @throws NullPointerException if {@code bootstrapping} and no bootstrap is in progress
     */
    SyncerStash source(boolean bootstrapping) {
        return bootstrapping ? Objects.requireNonNull(snapshot, "bootstrapOps") : stash;
    }

    /** Whether a batch awaits its PUBACK: at most one may. */
    boolean hasInFlight() {
        return inFlight != null;
    }

    /** Whether {@code batch} is the one in flight (by identity). */
    boolean isInFlight(List<RouteOp> batch) {
        return inFlight == batch;
    }

    /** {@code batch}, taken from {@link #source}, was published. */
    void sent(List<RouteOp> batch, boolean fromSnapshot) {
        inFlight = batch;
        inFlightIsSnapshot = fromSnapshot;
    }

    /** The batch in flight got its answer, whatever it was; another may be sent. */
    void settled() {
        inFlight = null;
    }

    /** Where the last batch sent came from: the place to put it back for a resend on the same connection. */
    SyncerStash sourceOfLastSent() {
        return source(inFlightIsSnapshot);
    }

    /** The last batch sent failed and its connection ends: an incremental one goes back into the stash. */
    void unsent(List<RouteOp> batch) {
        if (!inFlightIsSnapshot) {
            stash.restore(batch);
        }
    }

    /** The connection is torn down: an unacknowledged incremental batch goes back, a bootstrap is abandoned. */
    void abandon() {
        List<RouteOp> unacked = inFlight;
        if (unacked != null && !inFlightIsSnapshot) {
            stash.restore(unacked);
        }
        inFlight = null;
        snapshot = null;
    }
}
