package io.clink.api.store;

import java.util.List;
import java.util.Optional;

/**
 * Where the receiving side of cluster linking keeps remote actors (incarnation, lane, lease) and the routes they
 * advertise, shared by every broker node of one cluster (ARCHITECTURE.md, "Multi-node clusters"). clink ships an
 * in-process default for a single node; a clustered broker backs it with a distributed store. Each method that
 * changes state is meant to map onto one atomic step of such a store (for Hazelcast: one {@code IMap} entry
 * processor per actor or route key, and an entry listener for {@link #subscribe}).
 *
 * <p>Invariants every implementation keeps:
 *
 * <ul>
 *   <li><b>Atomic handshakes.</b> {@link #initActor} checks the incarnation and assigns the lane in one atomic step
 *       cluster-wide; two nodes racing on one actor never both win and never get different lanes for one
 *       incarnation.
 *   <li><b>Idempotent route ops</b> per (cluster, filter, route id, lane): a batch replayed after a failover
 *       converges to the same table. A route lives while any lane holds it.
 *   <li><b>Stale writers are fenced.</b> {@link #applyRoutes} and {@link #heartbeat} do nothing unless the actor's
 *       stored incarnation is still the one given.
 *   <li><b>Leases decide liveness</b>, in milliseconds of a clock every node shares: the wall clock for a store
 *       several processes share (comparable across nodes, unlike a monotonic clock); a store that is {@link
 *       #inProcess()} is given a monotonic clock's milliseconds instead, so a wall-clock jump cannot expire or
 *       prolong a lease. {@link #expireIfStillExpired} removes an actor and clears its lane everywhere only if its lease is
 *       still past due at that moment, atomically, so GC passes on several nodes remove each actor exactly once.
 *   <li><b>Ordered events, no gap.</b> {@link #subscribe} delivers a snapshot of all routes and then every later
 *       change, in order per key, with no change lost or applied before the snapshot entry it follows.
 * </ul>
 *
 * <p>Thread: every method may be called from any thread, concurrently, by the receivers of every node. Blocking:
 * the mutating methods may block on the network (the receiver never calls them from a broker's I/O thread nor from
 * the publish hot path, which only reads the node's local route index). Null policy: arguments and results are
 * never null. Exceptions: an unchecked exception from a mutating method means the change may or may not have been
 * applied; the receiver then closes the actor's connection (the peer reconnects and re-inits, which is safe because
 * every step is idempotent or fenced). Listener exceptions are the listener's fault: the store logs them and keeps
 * delivering.
 *
 * @since 0.1.0
 */
public interface RouteStore extends AutoCloseable {

    /** Most live actors one remote cluster may have: lanes are {@code [0, MAX_LANES)}. */
    int MAX_LANES = 1024;

    /**
     * A stored actor.
     *
     * @param key the actor
     * @param incarnation its current incarnation
     * @param lane its lane in its cluster
     * @param leaseUntilMillis the lease clock's time its lease ends
     */
    record ActorRecord(ActorKey key, long incarnation, int lane, long leaseUntilMillis) {}

    /**
     * Receives the store's route changes on one node, one event at a time (never concurrently for one
     * subscription), on a thread of the store's choosing. Must not block and must not call back into the store.
     */
    interface Listener {

        /**
         * One route change, or one entry of the initial snapshot (as {@link RouteEvent.LaneAdded}).
         *
         * @param event the change
         */
        void onEvent(RouteEvent event);

        /**
         * The snapshot is complete: every route that existed when the subscription started has been delivered, and
         * only live changes follow.
         */
        void onSnapshotComplete();
    }

    /** A live subscription; closing it stops delivery (events already in flight may still arrive once). */
    interface Subscription extends AutoCloseable {
        /** Stops delivery. Idempotent; never throws. */
        @Override
        void close();
    }

    /**
     * Whether this store lives in this process only. The receiver then calls it on the broker's thread (its methods
     * must never block) and measures leases with a monotonic clock; otherwise it calls the store from its own
     * threads, one serial queue per inbound connection, with wall-clock leases. Thread: any; never blocks.
     *
     * @return true for a store of one process; false (the default) for a store several nodes share
     */
    default boolean inProcess() {
        return false;
    }

    /**
     * The actor handshake ({@code actor_init}), one atomic step. Unknown actor: assign its cluster's lowest free
     * lane ({@link ActorInit.Outcome#CREATED}). Announced incarnation equal to the stored one: keep the lane ({@link
     * ActorInit.Outcome#RESUMED}). Announced greater than stored: clear the old lane everywhere (event {@link
     * RouteEvent.LaneCleared}) and keep the actor on a lane with empty routes ({@link
     * ActorInit.Outcome#REINCARNATED}). Announced smaller than stored: refuse ({@link ActorInit.Outcome#OUTDATED}).
     * An accepted init sets the lease to {@code nowMillis + leaseMillis}.
     *
     * @param actor the actor
     * @param incarnation the incarnation it announced
     * @param nowMillis the lease clock's time now (see the class comment)
     * @param leaseMillis the lease (the actor TTL), positive
     * @return the outcome and lane
     * @throws IllegalArgumentException if {@code leaseMillis} is not positive
     */
    ActorInit initActor(ActorKey actor, long incarnation, long nowMillis, long leaseMillis);

    /**
     * Extends an actor's lease to {@code nowMillis + leaseMillis} if its stored incarnation is still {@code
     * incarnation}; any node may call it for any actor.
     *
     * @return true if extended, false if the actor is unknown or has another incarnation
     * @throws IllegalArgumentException if {@code leaseMillis} is not positive
     */
    boolean heartbeat(ActorKey actor, long incarnation, long nowMillis, long leaseMillis);

    /**
     * Applies decoded, validated route ops of one actor in order, under the actor's lane, if its stored
     * incarnation is still {@code incarnation}. Each op that changes the table emits one event. Does not extend the
     * lease (as in EMQX). The receiver decodes and validates a batch before calling this, outside any store lock.
     *
     * @param actor the actor
     * @param incarnation the incarnation the ops were sent under
     * @param ops the ops, in arrival order; the list is not kept
     * @return true if applied (possibly as no-ops), false if fenced out because the actor is unknown or has another
     *     incarnation
     */
    boolean applyRoutes(ActorKey actor, long incarnation, List<RouteOp> ops);

    /**
     * The stored record of an actor.
     *
     * @return the record, or empty if the actor is unknown
     */
    Optional<ActorRecord> actor(ActorKey actor);

    /**
     * The stored actors of one remote cluster, for status views.
     *
     * @param cluster the remote cluster
     * @return its actors, in no particular order; a new list the caller owns, empty if there are none
     */
    List<ActorRecord> actors(String cluster);

    /**
     * Actors whose lease ended before {@code nowMillis}, as candidates for {@link #expireIfStillExpired}. May be
     * stale by the time it returns; it removes nothing.
     *
     * @return the candidates, possibly empty; a new list the caller owns
     */
    List<ActorRecord> expiredActors(long nowMillis);

    /**
     * GC of one actor, one atomic step: if the actor still has {@code incarnation} and its lease still ended before
     * {@code nowMillis}, remove it and clear its lane from every route of its cluster (event {@link
     * RouteEvent.LaneCleared}). Several nodes may race on it; exactly one gets {@code true}.
     *
     * @return true if this call removed the actor
     */
    boolean expireIfStillExpired(ActorKey actor, long incarnation, long nowMillis);

    /**
     * Removes every actor and route of a cluster (the link was deleted), emitting {@link RouteEvent.ClusterRemoved}.
     *
     * @return the removed actors
     */
    List<ActorRecord> removeCluster(String cluster);

    /**
     * Starts delivering this store's routes to {@code listener}: first a snapshot of every route lane as {@link
     * RouteEvent.LaneAdded} events, then {@link Listener#onSnapshotComplete()}, then every later change in order per
     * key. A change that races with the snapshot is delivered after it, never lost and never applied before the
     * entry it modifies; applying a {@code LaneAdded} that the snapshot already delivered is harmless because route
     * ops are idempotent.
     *
     * @param listener receives the events
     * @return the subscription, to close when the node shuts down
     */
    Subscription subscribe(Listener listener);

    /** Releases the store's resources on this node (not the shared data). Idempotent; never throws. */
    @Override
    void close();
}
