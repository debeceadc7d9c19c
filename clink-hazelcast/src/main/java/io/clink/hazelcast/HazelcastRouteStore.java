package io.clink.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.clink.api.store.ActorInit;
import io.clink.api.store.ActorKey;
import io.clink.api.store.ListenerQueue;
import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import io.clink.hazelcast.internal.ActorProcessors;
import io.clink.hazelcast.internal.ClusterActors;
import io.clink.hazelcast.internal.LaneGens;
import io.clink.hazelcast.internal.LaneProcessors;
import io.clink.hazelcast.internal.RouteEntryKey;
import io.clink.hazelcast.internal.StoreSerialization;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The route store of a region on Hazelcast: two IMaps every member of the region shares.
 *
 *   <prefix>.actors  remote cluster -> ClusterActors: that cluster's actors (incarnation, lane, lease, generation)
 *                    and its next lane generation. One entry per remote cluster, so a handshake (incarnation check
 *                    plus lowest free lane), a heartbeat and an expiry are each ONE entry processor on ONE key: atomic
 *                    cluster-wide without locks or transactions. A cluster has at most MAX_LANES actors, in practice
 *                    one per node of the remote region, so the entry stays small.
 *   <prefix>.routes  RouteEntryKey(cluster, filter, route id) -> LaneGens: the lanes holding the route, each with the
 *                    generation of the lane assignment that set it. Indexed on __key.cluster, so clearing a lane or
 *                    removing a cluster visits that cluster's routes only.
 *
 * Fencing without a cross-partition transaction. A route entry and its actor's entry live on different partitions,
 * so "apply only if the actor still has this incarnation" cannot be one atomic step. Generations close the gap: each
 * assignment of a lane (a new actor, or a new incarnation keeping its lane) takes a fresh, greater generation from
 * the cluster's entry; lane writes carry the writer's generation, a lane set by a newer generation is never touched
 * by an older one, and clears remove generations up to a bound. applyRoutes checks the actor first, applies, then
 * checks again: a writer whose assignment ended in between undoes its own writes (clear of its generation on its
 * keys) and reports itself fenced; and every new assignment of a lane clears the lane's older generations in the
 * cluster's routes before the handshake returns, which also sweeps what a crashed clear or a stale writer left. So
 * a route lane survives only under a live assignment, however the races fall.
 *
 * Events. Each node subscribes an entry listener with values to the route map; a map event (added, updated with old
 * and new value, removed with its old value) becomes LaneAdded/LaneDeleted events for the lanes that changed (a new
 * generation on the same lane changes nothing for an index). Clearing a lane or a cluster is delivered as one
 * LaneDeleted per route, which a node's index applies like the LaneCleared or ClusterRemoved of the in-process store.
 * Hazelcast delivers the events of one key in order, but events of different keys on several event threads; each
 * subscription funnels them into one queue drained by one thread at a time, so the listener is never called
 * concurrently. A subscription registers its map listener first (events are queued, not delivered), then reads the
 * snapshot, delivers it and the snapshot-complete mark, then the queued events: every change after registration is
 * delivered after the snapshot, and since a key's events come in order and end at the key's current state, replaying
 * the queue over the snapshot converges on the map (a queued event older than the snapshot is followed by the newer
 * ones of its key).
 *
 * Member loss: both maps keep backupCount synchronous backups (default 1), so one member's loss loses nothing;
 * Hazelcast promotes the backups and the listeners of the surviving members keep delivering. Split-brain merge: both
 * maps use DiscardMergePolicy, so the larger side's entries win and the smaller side's changes made during the split
 * are dropped; its actors are then unknown or fenced, their next heartbeat or route op disconnects them, and they
 * re-handshake as new actors and bootstrap. Every subscription on a member that merged re-reads the snapshot after
 * clearing the clusters it had seen (ClusterRemoved), because the merge replaces the member's data without per-entry
 * events.
 */

/**
 * A {@link RouteStore} shared by the broker nodes of one region, on embedded Hazelcast members (open-source
 * edition). Each node creates one, with the same cluster name and member list; {@link #builder()} starts an embedded
 * member, {@link #on(HazelcastInstance, String)} uses one the broker already runs. Thread-safe; the mutating
 * methods block on the network (one or a few Hazelcast operations each).
 *
 * @since 0.1.0
 */
public final class HazelcastRouteStore implements RouteStore {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastRouteStore.class);
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PREFIX_PATTERN = Pattern.compile("[A-Za-z0-9._-]*\\*?[A-Za-z0-9._-]*");

    private final HazelcastInstance hz;
    private final boolean owned;
    private final IMap<String, ClusterActors> actors;
    private final IMap<RouteEntryKey, LaneGens> routes;
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
    private final UUID lifecycleRegistration;
    private volatile boolean closed;

    private HazelcastRouteStore(HazelcastInstance hz, boolean owned, String mapPrefix) {
        this.hz = hz;
        this.owned = owned;
        this.actors = hz.getMap(mapPrefix + ".actors");
        this.routes = hz.getMap(mapPrefix + ".routes");
        this.lifecycleRegistration = hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                LOG.warn("route store: this member merged into the larger side of a split cluster; re-reading routes");
                subscriptions.forEach(Sub::resync);
            }
        });
    }

    /**
     * A builder of a store that starts its own embedded member.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A store on a member the caller runs and owns ({@link #close()} leaves it running). Its configuration must have
     * been prepared with {@link #configure(Config, String, int)} for the same prefix before the member started.
     *
     * @param instance a running member (not a client)
     * @param mapPrefix the prefix of the store's two maps
     * @return the store
     * @throws IllegalArgumentException if the member's configuration lacks clink's serialization factory, or the
     *     prefix is not 1 to 64 letters, digits, '.', '_' or '-'
     */
    public static HazelcastRouteStore on(HazelcastInstance instance, String mapPrefix) {
        Objects.requireNonNull(instance, "instance");
        checkPrefix(mapPrefix);
        if (!StoreSerialization.isRegistered(instance.getConfig())) {
            throw new IllegalArgumentException("Hazelcast member " + instance.getName()
                    + " was not configured for clink's route store: call HazelcastRouteStore.configure(config, \""
                    + mapPrefix + "\", backups) before starting it");
        }
        return new HazelcastRouteStore(instance, false, mapPrefix);
    }

    /**
     * Prepares a member's configuration for a route store: clink's serialization factory, and the two maps (backups,
     * index, merge policy).
     *
     * @param config the configuration, changed in place
     * @param mapPrefix the prefix of the store's maps; one {@code *} makes it a pattern that configures every
     *     prefix it matches (Hazelcast's wildcard map configuration)
     * @param backupCount synchronous backups of each entry, 0 to 6 (1 survives the loss of any one member)
     * @throws IllegalArgumentException if the prefix or the backup count is out of range
     */
    public static void configure(Config config, String mapPrefix, int backupCount) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(mapPrefix, "mapPrefix");
        if (mapPrefix.isEmpty()
                || mapPrefix.length() > 64
                || !PREFIX_PATTERN.matcher(mapPrefix).matches()) {
            throw new IllegalArgumentException("mapPrefix must be 1 to 64 letters, digits, '.', '_' or '-' with at"
                    + " most one '*', got '" + mapPrefix + "'");
        }
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("backupCount must be 0 to 6, got " + backupCount);
        }
        StoreSerialization.register(config);
        MapConfig actorMap = new MapConfig(mapPrefix + ".actors")
                .setBackupCount(backupCount)
                .setInMemoryFormat(InMemoryFormat.BINARY);
        actorMap.getMergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
        MapConfig routeMap = new MapConfig(mapPrefix + ".routes")
                .setBackupCount(backupCount)
                .setInMemoryFormat(
                        InMemoryFormat.BINARY); // .addIndexConfig(new IndexConfig(IndexType.HASH, "__key.cluster"));
        routeMap.getMergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
        config.addMapConfig(actorMap).addMapConfig(routeMap);
    }

    private static void checkPrefix(String mapPrefix) {
        Objects.requireNonNull(mapPrefix, "mapPrefix");
        if (!PREFIX.matcher(mapPrefix).matches()) {
            throw new IllegalArgumentException(
                    "mapPrefix must be 1 to 64 letters, digits, '.', '_' or '-', got '" + mapPrefix + "'");
        }
    }

    /**
     * The member this store runs on, for status and tests.
     *
     * @return the member
     */
    public HazelcastInstance instance() {
        return hz;
    }

    @Override
    public ActorInit initActor(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        Objects.requireNonNull(actor, "actor");
        requirePositive(leaseMillis);
        long[] r = actors.executeOnKey(
                actor.cluster(),
                new ActorProcessors.InitActor(actor.actor(), incarnation, nowMillis, leaseMillis, MAX_LANES));
        int outcome = (int) r[0];
        int lane = (int) r[1];
        switch (outcome) {
            case ActorProcessors.CREATED:
            case ActorProcessors.REINCARNATED:
                // The lane's earlier assignments are over: their routes go before the sender bootstraps.
                clearLane(actor.cluster(), lane, r[2] - 1);
                return new ActorInit(
                        outcome == ActorProcessors.CREATED ? ActorInit.Outcome.CREATED : ActorInit.Outcome.REINCARNATED,
                        lane);
            case ActorProcessors.RESUMED:
                return new ActorInit(ActorInit.Outcome.RESUMED, lane);
            case ActorProcessors.OUTDATED:
                return new ActorInit(ActorInit.Outcome.OUTDATED, -1);
            default:
                return new ActorInit(ActorInit.Outcome.NO_FREE_LANE, -1);
        }
    }

    @Override
    public boolean heartbeat(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        Objects.requireNonNull(actor, "actor");
        requirePositive(leaseMillis);
        return actors.executeOnKey(
                actor.cluster(), new ActorProcessors.Heartbeat(actor.actor(), incarnation, nowMillis, leaseMillis));
    }

    @Override
    public boolean applyRoutes(ActorKey actor, long incarnation, List<RouteOp> ops) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(ops, "ops");
        // Ops on different routes commute; of several on one route within the batch, the last decides.
        Map<RouteEntryKey, Boolean> last = new LinkedHashMap<>();
        for (RouteOp op : ops) {
            if (!op.route().cluster().equals(actor.cluster())) {
                throw new IllegalArgumentException("actor " + actor + " may not change a route of cluster "
                        + op.route().cluster() + " (" + op.route().filter() + ")");
            }
            RouteEntryKey key = new RouteEntryKey(op.route());
            last.remove(key);
            last.put(key, op.add());
        }
        ClusterActors.Actor a = current(actor, incarnation);
        if (a == null) {
            return false;
        }
        int lane = a.lane;
        long gen = a.gen;
        Set<RouteEntryKey> adds = new LinkedHashSet<>();
        Set<RouteEntryKey> deletes = new LinkedHashSet<>();
        last.forEach((k, add) -> (add ? adds : deletes).add(k));
        if (!adds.isEmpty()) {
            routes.executeOnKeys(adds, new LaneProcessors.SetLane(lane, gen));
        }
        if (!deletes.isEmpty()) {
            routes.executeOnKeys(deletes, new LaneProcessors.ClearLane(lane, gen));
        }
        ClusterActors.Actor after = current(actor, incarnation);
        if (after == null || after.gen != gen) {
            // The assignment ended while this batch was written: take back what it set.
            if (!adds.isEmpty()) {
                routes.executeOnKeys(adds, new LaneProcessors.ClearLane(lane, gen));
            }
            return false;
        }
        return true;
    }

    private ClusterActors.@Nullable Actor current(ActorKey actor, long incarnation) {
        ClusterActors v = actors.get(actor.cluster());
        ClusterActors.Actor a = v == null ? null : v.actors().get(actor.actor());
        return a != null && a.incarnation == incarnation ? a : null;
    }

    @Override
    public Optional<ActorRecord> actor(ActorKey actor) {
        Objects.requireNonNull(actor, "actor");
        ClusterActors v = actors.get(actor.cluster());
        ClusterActors.Actor a = v == null ? null : v.actors().get(actor.actor());
        return a == null ? Optional.empty() : Optional.of(record(actor, a));
    }

    @Override
    public List<ActorRecord> actors(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        ClusterActors v = actors.get(cluster);
        List<ActorRecord> out = new ArrayList<>();
        if (v != null) {
            v.actors().forEach((name, a) -> out.add(record(new ActorKey(cluster, name), a)));
        }
        return out;
    }

    @Override
    public List<ActorRecord> expiredActors(long nowMillis) {
        List<ActorRecord> out = new ArrayList<>();
        for (Map.Entry<String, ClusterActors> e : actors.entrySet()) {
            e.getValue().actors().forEach((name, a) -> {
                if (a.leaseUntil < nowMillis) {
                    out.add(record(new ActorKey(e.getKey(), name), a));
                }
            });
        }
        return out;
    }

    @Override
    public boolean expireIfStillExpired(ActorKey actor, long incarnation, long nowMillis) {
        Objects.requireNonNull(actor, "actor");
        long[] r =
                actors.executeOnKey(actor.cluster(), new ActorProcessors.Expire(actor.actor(), incarnation, nowMillis));
        if (r == null) {
            return false;
        }
        clearLane(actor.cluster(), (int) r[0], r[1]);
        return true;
    }

    @Override
    public List<ActorRecord> removeCluster(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        ClusterActors removed = actors.executeOnKey(cluster, new ActorProcessors.RemoveActors());
        routes.removeAll(ofCluster(cluster));
        List<ActorRecord> out = new ArrayList<>();
        removed.actors().forEach((name, a) -> out.add(record(new ActorKey(cluster, name), a)));
        return out;
    }

    @Override
    public Subscription subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Sub sub = new Sub(listener);
        sub.registration = routes.addEntryListener(sub, true);
        subscriptions.add(sub);
        sub.start(snapshot(sub));
        return sub;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.forEach(Sub::close);
        try {
            hz.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
            if (owned) {
                hz.shutdown();
            }
        } catch (RuntimeException e) {
            LOG.warn("route store: closing the Hazelcast member failed", e);
        }
    }

    private List<RouteEvent> snapshot(Sub sub) {
        List<RouteEvent> events = new ArrayList<>();
        for (Map.Entry<RouteEntryKey, LaneGens> e : routes.entrySet()) {
            RouteKey key = e.getKey().toRouteKey();
            sub.seen.add(key.cluster());
            BitSet lanes = e.getValue().lanes();
            for (int lane = lanes.nextSetBit(0); lane >= 0; lane = lanes.nextSetBit(lane + 1)) {
                events.add(new RouteEvent.LaneAdded(key, lane));
            }
        }
        return events;
    }

    private void clearLane(String cluster, int lane, long maxGen) {
        if (maxGen > 0) {
            routes.executeOnEntries(new LaneProcessors.ClearLane(lane, maxGen), ofCluster(cluster));
        }
    }

    private static Predicate<RouteEntryKey, LaneGens> ofCluster(String cluster) {
        return Predicates.equal("__key.cluster", cluster);
    }

    private static ActorRecord record(ActorKey key, ClusterActors.Actor a) {
        return new ActorRecord(key, a.incarnation, a.lane, a.leaseUntil);
    }

    private static void requirePositive(long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be positive, got " + leaseMillis);
        }
    }

    /** One node's subscription: map events in, route events out, one at a time, after the snapshot. */
    private final class Sub
            implements Subscription,
                    EntryAddedListener<RouteEntryKey, LaneGens>,
                    EntryUpdatedListener<RouteEntryKey, LaneGens>,
                    EntryRemovedListener<RouteEntryKey, LaneGens> {
        private final ListenerQueue queue;
        /** Clusters this subscriber has been told about, to clear them after a merge. */
        final Set<String> seen = ConcurrentHashMap.newKeySet();

        volatile @Nullable UUID registration;

        Sub(Listener listener) {
            // Held: map events that arrive before the snapshot is delivered wait behind it.
            this.queue = new ListenerQueue(
                    listener,
                    (event, e) -> LOG.warn("route store listener failed on {}; delivery goes on", event, e),
                    true);
        }

        void start(List<RouteEvent> snapshot) {
            queue.releaseAfter(snapshot);
        }

        void resync() {
            if (queue.isClosed()) {
                return;
            }
            for (String cluster : seen) {
                queue.add(new RouteEvent.ClusterRemoved(cluster));
            }
            try {
                queue.addAll(snapshot(this));
            } catch (RuntimeException e) {
                LOG.error("route store: re-reading the routes after a merge failed", e);
            }
            queue.drain();
        }

        @Override
        public void entryAdded(EntryEvent<RouteEntryKey, LaneGens> event) {
            diff(event.getKey(), null, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<RouteEntryKey, LaneGens> event) {
            diff(event.getKey(), event.getOldValue(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<RouteEntryKey, LaneGens> event) {
            diff(event.getKey(), event.getOldValue(), null);
        }

        private void diff(RouteEntryKey k, @Nullable LaneGens before, @Nullable LaneGens after) {
            BitSet was = before == null ? new BitSet() : before.lanes();
            BitSet is = after == null ? new BitSet() : after.lanes();
            if (was.equals(is)) {
                return;
            }
            RouteKey key = k.toRouteKey();
            seen.add(key.cluster());
            for (int lane = is.nextSetBit(0); lane >= 0; lane = is.nextSetBit(lane + 1)) {
                if (!was.get(lane)) {
                    queue.add(new RouteEvent.LaneAdded(key, lane));
                }
            }
            for (int lane = was.nextSetBit(0); lane >= 0; lane = was.nextSetBit(lane + 1)) {
                if (!is.get(lane)) {
                    queue.add(new RouteEvent.LaneDeleted(key, lane));
                }
            }
            queue.drain();
        }

        @Override
        public void close() {
            if (queue.isClosed()) {
                return;
            }
            queue.close();
            subscriptions.remove(this);
            UUID id = registration;
            if (id != null) {
                try {
                    routes.removeEntryListener(id);
                } catch (RuntimeException e) {
                    LOG.debug("route store: removing a listener failed (member shutting down?)", e);
                }
            }
        }
    }

    /**
     * Builds a store that starts an embedded member. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String clusterName = "clink";
        private String host = "127.0.0.1";
        private int port = 5701;
        private final List<String> members = new ArrayList<>();
        private int backupCount = 1;
        private String mapPrefix = "clink";
        private @Nullable String instanceName;

        private Builder() {}

        /**
         * Sets the Hazelcast cluster name; members join only members of the same name (default {@code clink}).
         *
         * @param name not empty
         * @return this builder
         */
        public Builder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            this.clusterName = name;
            return this;
        }

        /**
         * Sets the address this member binds to and announces (default {@code 127.0.0.1:5701}). The port is fixed:
         * no auto-increment, so a member is where the others' lists say it is.
         *
         * @param host an interface address of this machine
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder bind(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("bind host must not be blank");
            }
            checkPort(port, "bind port");
            this.host = host;
            this.port = port;
            return this;
        }

        /**
         * Adds the members to join, {@code host:port} each (this member's own address may be among them).
         *
         * @param addresses the members
         * @return this builder
         * @throws IllegalArgumentException naming an entry that is not {@code host:port} with a port in 1..65535
         */
        public Builder members(List<String> addresses) {
            for (String a : addresses) {
                Objects.requireNonNull(a, "member");
                int colon = a.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("member '" + a + "' must be host:port");
                }
                try {
                    checkPort(Integer.parseInt(a.substring(colon + 1)), "member '" + a + "' port");
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("member '" + a + "' must be host:port", e);
                }
                members.add(a);
            }
            return this;
        }

        /**
         * Sets the synchronous backups of each entry (default 1: any one member may be lost).
         *
         * @param count 0 to 6
         * @return this builder
         */
        public Builder backupCount(int count) {
            if (count < 0 || count > 6) {
                throw new IllegalArgumentException("backupCount must be 0 to 6, got " + count);
            }
            this.backupCount = count;
            return this;
        }

        /**
         * Sets the prefix of the store's maps (default {@code clink}), so several stores can share a cluster.
         *
         * @param prefix 1 to 64 letters, digits, '.', '_' or '-'
         * @return this builder
         */
        public Builder mapPrefix(String prefix) {
            checkPrefix(prefix);
            this.mapPrefix = prefix;
            return this;
        }

        /**
         * Sets the member's instance name, for logs and thread names (default: Hazelcast's).
         *
         * @param name the name
         * @return this builder
         */
        public Builder instanceName(String name) {
            this.instanceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The member's configuration as {@link #build()} starts it: for a caller that wants to adjust more before
         * starting the member itself (then {@link HazelcastRouteStore#on}).
         *
         * @return a new configuration
         */
        public Config toConfig() {
            Config cfg = new Config();
            if (instanceName != null) {
                cfg.setInstanceName(instanceName);
            }
            cfg.setClusterName(clusterName);
            cfg.setProperty("hazelcast.phone.home.enabled", "false");
            cfg.setProperty("hazelcast.logging.type", "slf4j");
            cfg.setProperty("hazelcast.local.localAddress", host);
            cfg.setProperty("hazelcast.socket.bind.any", "false");
            cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
            // Two members started at the same moment may each form a cluster; Hazelcast merges them, by default
            // only after five minutes. A region's store should heal within seconds.
            cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
            cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
            NetworkConfig net = cfg.getNetworkConfig();
            net.setPort(port).setPortAutoIncrement(false);
            JoinConfig join = net.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(host + ":" + port) : members);
            configure(cfg, mapPrefix, backupCount);
            return cfg;
        }

        /**
         * Starts the member (it joins the members it can reach) and returns the store, which owns it: {@link
         * HazelcastRouteStore#close()} shuts it down. Blocking: until the member has started.
         *
         * @return the store
         */
        public HazelcastRouteStore build() {
            return new HazelcastRouteStore(Hazelcast.newHazelcastInstance(toConfig()), true, mapPrefix);
        }

        private static void checkPort(int port, String what) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(what + " must be 1 to 65535, got " + port);
            }
        }
    }
}
