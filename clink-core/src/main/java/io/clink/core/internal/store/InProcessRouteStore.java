package io.clink.core.internal.store;

import io.clink.api.store.ActorInit;
import io.clink.api.store.ActorKey;
import io.clink.api.store.ListenerQueue;
import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The route store of a single node, in memory: the default when no distributed store is given.
 *
 * State: the actors (incarnation, lane, lease), each cluster's lanes in use, and the route table: per cluster, a map
 * from route (cluster, filter, route id) to the lanes holding it (a word for lanes 0..63, which is every lane of any
 * real cluster, and a bit set beyond), so clearing a lane or a cluster touches only that cluster's routes and a
 * route op costs one map lookup. One lock guards all of it, so every RouteStore method is one atomic step, as the interface asks;
 * the operations are map and bit-set updates, short enough that a lock is cheaper than anything finer.
 *
 * Events: each change queues its event, under the lock, on every subscription's queue, so each subscriber sees the
 * changes in the order they were applied. subscribe() registers the subscription and queues the snapshot (one
 * LaneAdded per route and lane, then the snapshot-complete marker) in one locked step: no change can fall between the
 * snapshot and the live events. Listeners are called outside the lock, by whichever thread wins a subscription's
 * draining flag after a change, one event at a time; a listener that throws is logged and delivery goes on.
 */
/** The default {@link RouteStore}: this node's actors and remote routes, in memory. Thread-safe. */
public final class InProcessRouteStore implements RouteStore {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessRouteStore.class);

    private final Object lock = new Object();
    private final Map<ActorKey, ActorRecord> actors = new HashMap<>(); // guarded by lock
    private final Map<String, BitSet> lanesInUse = new HashMap<>(); // guarded by lock
    private final Map<String, Map<RouteKey, Lanes>> routes = new HashMap<>(); // guarded by lock
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public ActorInit initActor(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        Objects.requireNonNull(actor, "actor");
        requirePositive(leaseMillis);
        ActorInit result;
        synchronized (lock) {
            ActorRecord r = actors.get(actor);
            if (r == null) {
                BitSet used = lanesInUse.computeIfAbsent(actor.cluster(), c -> new BitSet());
                int lane = used.nextClearBit(0);
                if (lane >= MAX_LANES) {
                    return new ActorInit(ActorInit.Outcome.NO_FREE_LANE, -1);
                }
                used.set(lane);
                actors.put(actor, new ActorRecord(actor, incarnation, lane, nowMillis + leaseMillis));
                result = new ActorInit(ActorInit.Outcome.CREATED, lane);
            } else if (incarnation == r.incarnation()) {
                actors.put(actor, new ActorRecord(actor, incarnation, r.lane(), nowMillis + leaseMillis));
                result = new ActorInit(ActorInit.Outcome.RESUMED, r.lane());
            } else if (incarnation > r.incarnation()) {
                clearLaneLocked(actor.cluster(), r.lane());
                actors.put(actor, new ActorRecord(actor, incarnation, r.lane(), nowMillis + leaseMillis));
                result = new ActorInit(ActorInit.Outcome.REINCARNATED, r.lane());
            } else {
                return new ActorInit(ActorInit.Outcome.OUTDATED, -1);
            }
        }
        drainAll();
        return result;
    }

    @Override
    public boolean heartbeat(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        Objects.requireNonNull(actor, "actor");
        requirePositive(leaseMillis);
        synchronized (lock) {
            ActorRecord r = actors.get(actor);
            if (r == null || r.incarnation() != incarnation) {
                return false;
            }
            actors.put(actor, new ActorRecord(actor, incarnation, r.lane(), nowMillis + leaseMillis));
            return true;
        }
    }

    @Override
    public boolean applyRoutes(ActorKey actor, long incarnation, List<RouteOp> ops) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(ops, "ops");
        for (RouteOp op : ops) {
            if (!op.route().cluster().equals(actor.cluster())) {
                throw new IllegalArgumentException("actor " + actor + " may not change a route of cluster "
                        + op.route().cluster() + " (" + op.route().filter() + ")");
            }
        }
        synchronized (lock) {
            ActorRecord r = actors.get(actor);
            if (r == null || r.incarnation() != incarnation) {
                return false;
            }
            int lane = r.lane();
            Map<RouteKey, Lanes> table = routes.get(actor.cluster());
            for (RouteOp op : ops) {
                RouteKey key = op.route();
                if (op.add()) {
                    if (table == null) {
                        table = new HashMap<>();
                        routes.put(actor.cluster(), table);
                    }
                    Lanes lanes = table.get(key);
                    if (lanes == null) {
                        lanes = new Lanes();
                        table.put(key, lanes);
                    }
                    if (lanes.set(lane)) {
                        publishLocked(new RouteEvent.LaneAdded(key, lane));
                    }
                } else if (table != null) {
                    Lanes lanes = table.get(key);
                    if (lanes != null && lanes.clear(lane)) {
                        if (lanes.isEmpty()) {
                            table.remove(key);
                        }
                        publishLocked(new RouteEvent.LaneDeleted(key, lane));
                    }
                }
            }
            if (table != null && table.isEmpty()) {
                routes.remove(actor.cluster());
            }
        }
        drainAll();
        return true;
    }

    @Override
    public Optional<ActorRecord> actor(ActorKey actor) {
        Objects.requireNonNull(actor, "actor");
        synchronized (lock) {
            return Optional.ofNullable(actors.get(actor));
        }
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public List<ActorRecord> actors(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        List<ActorRecord> out = new ArrayList<>();
        synchronized (lock) {
            for (ActorRecord r : actors.values()) {
                if (r.key().cluster().equals(cluster)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public List<ActorRecord> expiredActors(long nowMillis) {
        List<ActorRecord> out = new ArrayList<>();
        synchronized (lock) {
            for (ActorRecord r : actors.values()) {
                if (r.leaseUntilMillis() < nowMillis) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public boolean expireIfStillExpired(ActorKey actor, long incarnation, long nowMillis) {
        Objects.requireNonNull(actor, "actor");
        synchronized (lock) {
            ActorRecord r = actors.get(actor);
            if (r == null || r.incarnation() != incarnation || r.leaseUntilMillis() >= nowMillis) {
                return false;
            }
            actors.remove(actor);
            clearLaneLocked(actor.cluster(), r.lane());
            BitSet used = lanesInUse.get(actor.cluster());
            if (used != null) {
                used.clear(r.lane());
            }
        }
        drainAll();
        return true;
    }

    @Override
    public List<ActorRecord> removeCluster(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        List<ActorRecord> removed = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<ActorRecord> it = actors.values().iterator(); it.hasNext(); ) {
                ActorRecord r = it.next();
                if (r.key().cluster().equals(cluster)) {
                    removed.add(r);
                    it.remove();
                }
            }
            lanesInUse.remove(cluster);
            routes.remove(cluster);
            publishLocked(new RouteEvent.ClusterRemoved(cluster));
        }
        drainAll();
        return removed;
    }

    @Override
    public Subscription subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Sub sub = new Sub(listener);
        synchronized (lock) {
            for (Map<RouteKey, Lanes> table : routes.values()) {
                for (Map.Entry<RouteKey, Lanes> e : table.entrySet()) {
                    RouteKey key = e.getKey();
                    e.getValue().forEach(lane -> sub.queue.add(new RouteEvent.LaneAdded(key, lane)));
                }
            }
            sub.queue.addSnapshotComplete();
            subscriptions.add(sub);
        }
        sub.drain();
        return sub;
    }

    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(Sub::close);
    }

    private void clearLaneLocked(String cluster, int lane) {
        Map<RouteKey, Lanes> table = routes.get(cluster);
        if (table != null) {
            table.values().removeIf(lanes -> lanes.clear(lane) && lanes.isEmpty());
            if (table.isEmpty()) {
                routes.remove(cluster);
            }
        }
        publishLocked(new RouteEvent.LaneCleared(cluster, lane));
    }

    private void publishLocked(RouteEvent event) {
        for (Sub s : subscriptions) {
            s.queue.add(event);
        }
    }

    private void drainAll() {
        for (Sub s : subscriptions) {
            s.drain();
        }
    }

    private static void requirePositive(long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be positive, got " + leaseMillis);
        }
    }

    /** The lanes holding one route: lanes 0..63 in a word, higher ones in a bit set made on first use. */
    private static final class Lanes {
        private long low;
        private @Nullable BitSet high;

        /** @return true if the lane was not set before */
        boolean set(int lane) {
            if (lane < Long.SIZE) {
                long before = low;
                low |= 1L << lane;
                return low != before;
            }
            BitSet h = high;
            if (h == null) {
                h = new BitSet();
                high = h;
            }
            boolean was = h.get(lane);
            h.set(lane);
            return !was;
        }

        /** @return true if the lane was set before */
        boolean clear(int lane) {
            if (lane < Long.SIZE) {
                long before = low;
                low &= ~(1L << lane);
                return low != before;
            }
            BitSet h = high;
            if (h == null || !h.get(lane)) {
                return false;
            }
            h.clear(lane);
            return true;
        }

        boolean isEmpty() {
            BitSet h = high;
            return low == 0 && (h == null || h.isEmpty());
        }

        void forEach(IntConsumer action) {
            for (long bits = low; bits != 0; bits &= bits - 1) {
                action.accept(Long.numberOfTrailingZeros(bits));
            }
            BitSet h = high;
            if (h != null) {
                h.stream().forEach(action);
            }
        }
    }

    /** One subscriber: its queue, drained by one thread at a time. */
    private final class Sub implements Subscription {
        final ListenerQueue queue;

        Sub(Listener listener) {
            this.queue = new ListenerQueue(
                    listener,
                    (event, e) -> LOG.warn("route store listener failed on {}; delivery goes on", event, e),
                    false);
        }

        void drain() {
            queue.drain();
        }

        @Override
        public void close() {
            subscriptions.remove(this);
            queue.close();
        }
    }
}
