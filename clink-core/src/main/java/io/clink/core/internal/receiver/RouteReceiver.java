package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.link.RemoteRoute;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.route.IndexedRoute;
import io.clink.core.internal.route.RouteId;
import io.clink.core.internal.route.RouteIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The receiving half of route replication (protocol sections 4.4 and 4.5): remote actors' handshakes, route batches
 * and heartbeats arriving on $LINK/cluster/route/<C>, written into the RouteStore, which every node of this cluster
 * shares (ARCHITECTURE.md, "Multi-node clusters"); this node's RouteIndex follows the store through a RouteIndexFeed.
 * This class holds the per-connection state machine and the dispatch; the handshake is ActorInitAdmission, route
 * batches are RouteBatchApplier (skipped ops: SkippedOpsLog), protocol errors are ProtocolErrors, the GC is ActorGc.
 *
 * Per-connection state (keyed by LinkConnection, an InboundConnection each; EMQX keeps the same in the connection
 * process, section 2.3):
 *
 *   (absent) --first publish------------------------> SEEN(cluster)     no accepted actor_init yet; cluster is
 *                                                                        the topic suffix of its last publish
 *   SEEN     --actor_init accepted-------------------> BOUND(actor, incarnation)
 *   SEEN     --actor_init rejected by link checks----> SEEN              the ack carries the error; sender closes
 *   any      --protocol error / OUTDATED / no lane /
 *              clusterUnlinked / store failure /
 *              queue overflow------------------------> CLOSING           disconnect requested; later publishes of
 *                                                                        the connection are ignored (a broker may
 *                                                                        defer the close)
 *   any      --onConnectionClosed--------------------> (absent)          routes stay until the actor's lease ends
 *
 * BOUND is set once and never changes: a second actor_init on one connection is a protocol error. A BOUND
 * connection is "stale" when the store no longer holds its (actor, incarnation): GC collected the actor, or another
 * connection (possibly on another node) reincarnated it. The store fences stale writers (applyRoutes and heartbeat
 * return false); the receiver then disconnects them, as EMQX does.
 *
 * Protocol errors (undecodable payload, unknown '$op', an actor_init_ack sent to us, route before actor_init, a
 * second actor_init, missing Response-Topic or Correlation-Data, identity mismatch, stale state): DISCONNECT 0x83
 * and counters(C).protocolErrors + 1 (for a C with no link here, a receiver-wide counter, so a peer cannot make the
 * engine create counters for arbitrary names). The PUBACK code of a handled publish is 0x10, as EMQX; of a refused
 * one the DISCONNECT code. A store call that throws may or may not have been applied: the actor is evicted from the
 * store (expireIfStillExpired at the end of time, which removes it whatever its lease) and the connection closed
 * with 0x80, so the peer re-initialises, gets need_bootstrap and sends its routes again: nothing half-applied
 * survives. clusterUnlinked(C) removes C's actors and routes at once and disconnects C's connections with 0x98
 * (administrative action); EMQX keeps both until the peer goes silent.
 *
 * Two ways of running, chosen by RouteStore.inProcess():
 *   - in-process store (single node, the default): every step runs on the broker thread that reports the publish,
 *     as before the store existed; the store never blocks, and the PUBACK code is the outcome's. Leases use the
 *     monotonic clock's milliseconds, so a wall-clock jump cannot expire or prolong them.
 *   - shared store (several nodes): store calls may block on the network, and hooks must not block, so each
 *     connection's publishes are copied and handled in order on a serial queue of its own on the engine's pool; the
 *     hook answers 0x10 at once and the outcome (ack, disconnect) follows from the queue. A queue is bounded (count
 *     and bytes): a peer sending faster than the store applies is cut off with 0x97 after its actor is evicted (a
 *     publish that was refused must not be lost silently behind a RESUMED handshake). Leases use the wall clock,
 *     the only clock nodes share.
 *
 * Invariants: the route index holds a lane of C only while the store holds a live actor of C on it (the store
 * clears lanes whenever it drops or replaces an actor, and the index replays the store's events in order); every
 * write of a BOUND connection goes to the lane of the exact (actor, incarnation) it was bound to; a refused message
 * changes no route and no lease; the connection map holds only connections that published and were not reported
 * closed.
 *
 * Concurrency: the store makes each step atomic and the feed is the index's single writer (the store calls it one
 * event at a time). Publishes of one connection are handled one after another (the broker reports a client's events
 * in order; a shared store's connection queue keeps that order). A read-write lock orders handshakes against
 * clusterUnlinked: handling a publish holds the read side, clusterUnlinked the write side, so a handshake that read
 * the old configuration completes before the cluster is removed. Calls into the broker (reply, disconnect) are made
 * outside it, so a broker lock never nests inside ours. Connection state is read by clusterUnlinked from another
 * thread, hence its volatile fields.
 */

/**
 * Handles {@code $LINK/cluster/route/<cluster>} publishes of remote route actors on inbound connections: the
 * handshake, route batches and heartbeats, and the garbage collection of silent actors, all written through the
 * node's {@link RouteStore}. This node's {@link RouteIndex} follows the store.
 *
 * @since 0.1.0
 */
public final class RouteReceiver {

    /**
     * DISCONNECT reason: the cluster already has {@link RouteIndex#MAX_LANES} live actors, or a peer's route messages
     * queue up faster than a shared store applies them.
     *
     * @since 0.1.0
     */
    public static final int QUOTA_EXCEEDED = ReasonCodes.QUOTA_EXCEEDED;
    /**
     * DISCONNECT reason: the link to the sender's cluster was disabled or deleted here.
     *
     * @since 0.1.0
     */
    public static final int ADMINISTRATIVE_ACTION = ReasonCodes.ADMINISTRATIVE_ACTION;

    /** Most route-topic publishes one connection may have queued for a shared store. */
    static final int MAX_QUEUED = 1_000;
    /** Most payload bytes one connection may have queued for a shared store. */
    static final long MAX_QUEUED_BYTES = 16L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RouteReceiver.class);

    private final Supplier<ClusterLinkConfig> config;
    private final GuardedBroker broker;
    private final CounterRegistry registry;
    private final RouteStore store;
    private final RouteIndexFeed feed;
    private final RouteStore.Subscription subscription;
    private final LeaseClock clock;
    private final boolean queued;
    private final SerialExecutors executors;
    private final EtfDecoder decoder;
    private final ReadWriteLock unlinking = new ReentrantReadWriteLock();
    private final Map<LinkConnection, InboundConnection> connections = new ConcurrentHashMap<>();
    private final SkippedOpsLog skippedLog = new SkippedOpsLog();
    private final ProtocolErrors errors;
    private final ActorInitAdmission handshake;
    private final RouteBatchApplier batches;
    private final ActorGc gc;

    /**
     * A receiver. It subscribes {@code routes} to {@code store} at once, so the index holds the store's routes from
     * now on ({@link #stop()} ends the subscription).
     *
     * @param config the configuration in force, read on every handshake and message (links come and go)
     * @param broker replies and disconnects go through it
     * @param store where actors and routes are kept, shared by every node of this cluster
     * @param routes this node's route index; the receiver's feed from {@code store} is its only writer
     * @param counters the counters charged per sender cluster
     * @param time the clock of actor leases and the scheduler of GC passes
     * @param executors the engine's serial executors: one for GC passes, one per connection for a shared store
     * @param etfLimits decoder bounds for every inbound payload
     * @param timings actor lease and GC repeat: {@link ReceiverTimings#EMQX} in production; tests and peers built with
     *     EMQX's TEST profile (TTL 3 s, repeat 1 s) use shorter ones
     * @throws NullPointerException if any argument is null
     * @since 0.1.0
     */
    public RouteReceiver(
            Supplier<ClusterLinkConfig> config,
            GuardedBroker broker,
            RouteStore store,
            RouteIndex routes,
            CounterRegistry counters,
            EngineTime time,
            SerialExecutors executors,
            EtfLimits etfLimits,
            ReceiverTimings timings) {
        this.config = requireNonNull(config, "config");
        this.broker = requireNonNull(broker, "broker");
        this.store = requireNonNull(store, "store");
        requireNonNull(routes, "routes");
        this.registry = requireNonNull(counters, "counters");
        requireNonNull(time, "time");
        this.executors = requireNonNull(executors, "executors");
        requireNonNull(etfLimits, "etfLimits");
        requireNonNull(timings, "timings");
        this.decoder = new EtfDecoder(etfLimits);
        this.queued = !store.inProcess();
        this.clock = new LeaseClock(time.ticker(), !queued, timings.actorTtl());
        this.errors = new ProtocolErrors(counters);
        this.handshake = new ActorInitAdmission(config, store, clock, errors);
        this.batches = new RouteBatchApplier(store, counters, errors, skippedLog);
        this.gc = new ActorGc(store, clock, time, executors.newSerialExecutor(), timings);
        this.feed = new RouteIndexFeed(routes);
        this.subscription = store.subscribe(feed);
    }

    /**
     * Handles one publish on {@code $LINK/cluster/route/<senderCluster>}. Thread: a broker thread (any number
     * concurrently, one at a time per connection); non-blocking. With an in-process store it may call {@code reply}
     * and {@code disconnect} of the broker for {@code conn} on this thread; with a shared store it queues the publish
     * and they follow from the connection's queue. Never throws for bad input.
     *
     * @param conn the publishing connection
     * @param senderCluster the topic suffix: the cluster the sender claims to be
     * @param payload the ETF payload; not kept after returning
     * @param props the publish's properties (the handshake needs Response-Topic and Correlation-Data)
     * @return the PUBACK reason code: 0x10 when handled (or queued), the DISCONNECT code when the connection is
     *     refused
     * @since 0.1.0
     */
    public int onRoutePublish(LinkConnection conn, String senderCluster, byte[] payload, PublishProperties props) {
        requireNonNull(conn, "conn");
        requireNonNull(senderCluster, "senderCluster");
        requireNonNull(payload, "payload");
        requireNonNull(props, "props");
        if (!queued) {
            return process(conn, senderCluster, payload, props);
        }
        InboundConnection state = connections.computeIfAbsent(
                conn, c -> new InboundConnection(senderCluster, executors.newSerialExecutor()));
        if (state.closing) {
            return ReceiveOutcome.CLOSING.code;
        }
        if (!state.admit(payload.length, MAX_QUEUED, MAX_QUEUED_BYTES)) {
            return overflow(conn, state, senderCluster);
        }
        byte[] copy = payload.clone();
        state.executor.execute(() -> {
            try {
                process(conn, senderCluster, copy, props);
            } finally {
                state.release(copy.length);
            }
        });
        return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
    }

    /**
     * Forgets the connection's handshake state. The actor's routes stay until its lease ends; a new connection must
     * send {@code actor_init} again. Thread: any; non-blocking.
     *
     * @param conn the closed connection
     * @since 0.1.0
     */
    public void onConnectionClosed(LinkConnection conn) {
        requireNonNull(conn, "conn");
        InboundConnection state = connections.remove(conn);
        if (state != null) {
            // Publishes still queued for a shared store belong to a closed connection: skip them.
            state.closing = true;
        }
    }

    /**
     * The link to {@code cluster} was disabled or deleted here: drops that cluster's actors and routes at once (in
     * the store, so on every node) and disconnects its inbound connections with 0x98 (administrative action). Call it
     * after the new configuration is in force (what this receiver's configuration supplier returns), so a handshake
     * racing with it is refused. Thread: any; blocks while a shared store removes the cluster.
     *
     * @param cluster the remote cluster
     * @since 0.1.0
     */
    public void clusterUnlinked(String cluster) {
        requireNonNull(cluster, "cluster");
        List<LinkConnection> doomed = new ArrayList<>();
        int actorCount;
        int routeCount = feed.routeCount(cluster);
        unlinking.writeLock().lock();
        try {
            actorCount = store.removeCluster(cluster).size();
            skippedLog.forget(cluster);
            for (Map.Entry<LinkConnection, InboundConnection> e : connections.entrySet()) {
                InboundConnection c = e.getValue();
                if (!c.closing && c.cluster.equals(cluster)) {
                    c.closing = true;
                    doomed.add(e.getKey());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("[{}] link removed or disabled, but the route store failed to drop its routes", cluster, e);
            return;
        } finally {
            unlinking.writeLock().unlock();
        }
        if (actorCount > 0 || routeCount > 0 || !doomed.isEmpty()) {
            LOG.info(
                    "[{}] link removed or disabled: dropped {} actors, {} routes, closing {} connections",
                    cluster,
                    actorCount,
                    routeCount,
                    doomed.size());
        }
        LinkCounters counters = registry.countersOf(cluster);
        String reason = "cluster link " + cluster + " disabled or deleted on "
                + config.get().name();
        for (LinkConnection conn : doomed) {
            broker.disconnect(cluster, counters, conn, ADMINISTRATIVE_ACTION, reason);
        }
    }

    /**
     * Starts the GC timer; the first pass runs one TTL from now. Idempotent. Thread: any.
     *
     * @since 0.1.0
     */
    public void start() {
        gc.start();
    }

    /**
     * Stops the GC timer (a pass already queued does nothing) and ends the index's subscription to the store. Actors
     * and routes are kept in the store. Idempotent. Thread: any.
     *
     * @since 0.1.0
     */
    public void stop() {
        gc.stop();
        subscription.close();
    }

    /**
     * The stored actors of a cluster, for status. Thread: any; may block on a shared store.
     *
     * @param cluster the remote cluster
     * @return its actors sorted by name, a fresh list; leases in the receiver's lease clock ({@link #leaseNowMillis})
     * @since 0.1.0
     */
    public List<RouteStore.ActorRecord> actors(String cluster) {
        requireNonNull(cluster, "cluster");
        List<RouteStore.ActorRecord> out = new ArrayList<>(store.actors(cluster));
        out.sort(Comparator.comparing(a -> a.key().actor()));
        return out;
    }

    /**
     * The lease clock's time now: milliseconds of the monotonic clock for an in-process store, of the wall clock for
     * a shared one.
     *
     * @return the time leases are compared with
     */
    public long leaseNowMillis() {
        return clock.nowMillis();
    }

    /**
     * The number of routes a cluster replicated here, as this node's index holds them, for metrics. Thread: any.
     *
     * @param cluster the remote cluster
     * @return its route count
     * @since 0.1.0
     */
    public int routeCount(String cluster) {
        requireNonNull(cluster, "cluster");
        return feed.routeCount(cluster);
    }

    /**
     * The routes a cluster replicated here, as this node's index holds them, for status views and tests. Thread: any.
     *
     * @param cluster the remote cluster
     * @return its routes as (filter, route id) pairs, each id in its escaped text form ({@link RouteId#escape})
     */
    public Set<RemoteRoute> routes(String cluster) {
        requireNonNull(cluster, "cluster");
        Set<RemoteRoute> out = new HashSet<>();
        for (IndexedRoute r : feed.routes(cluster)) {
            out.add(new RemoteRoute(r.filter(), r.routeId().toString()));
        }
        return out;
    }

    /**
     * The counters of protocol errors by senders naming a cluster that has no link here.
     *
     * @return the receiver-wide counters (only {@code protocolErrors} and {@code brokerErrors} move)
     * @since 0.1.0
     */
    public LinkCounters unlinkedCounters() {
        return registry.unlinkedCounters();
    }

    /** Connections with state, for tests: proves state is released on close. */
    int trackedConnections() {
        return connections.size();
    }

    // =================================================================================================================

    private int process(LinkConnection conn, String cluster, byte[] payload, PublishProperties props) {
        ReceiveOutcome outcome;
        unlinking.readLock().lock();
        try {
            outcome = handle(conn, cluster, payload, props);
        } catch (RuntimeException e) {
            outcome = failed(conn, cluster, e);
        } finally {
            unlinking.readLock().unlock();
        }
        LinkCounters counters = registry.countersOf(cluster);
        MqttMessage reply = outcome.reply;
        if (reply != null) {
            broker.reply(cluster, counters, conn, reply);
        }
        String reason = outcome.disconnectReason;
        if (reason != null) {
            broker.disconnect(cluster, counters, conn, outcome.code, reason);
        }
        return outcome.code;
    }

    private ReceiveOutcome handle(LinkConnection conn, String cluster, byte[] payload, PublishProperties props) {
        InboundConnection state = connections.get(conn);
        if (state == null) {
            if (queued) {
                // Closed while this publish was queued.
                return ReceiveOutcome.CLOSING;
            }
            state = new InboundConnection(cluster, Runnable::run);
            connections.put(conn, state);
        } else if (state.closing) {
            return ReceiveOutcome.CLOSING;
        } else if (state.bound == null) {
            state.cluster = cluster;
        }
        ControlMessage msg;
        try {
            msg = ControlCodec.decode(decoder, payload);
        } catch (ProtocolException e) {
            return errors.raise(conn, state, cluster, "undecodable control message: " + e.getMessage());
        }
        if (msg instanceof ActorInit) {
            return handshake.init(conn, state, cluster, (ActorInit) msg, props);
        }
        if (msg instanceof RouteBatch) {
            return batches.apply(conn, state, cluster, (RouteBatch) msg, clock.monotonicNanos());
        }
        if (msg instanceof Heartbeat) {
            return heartbeat(conn, state, cluster, (Heartbeat) msg);
        }
        return errors.raise(
                conn, state, cluster, "actor_init_ack is sent by receivers, not accepted on the route topic");
    }

    private ReceiveOutcome heartbeat(LinkConnection conn, InboundConnection state, String cluster, Heartbeat hb) {
        ActorKey id = state.bound;
        if (id == null) {
            // As EMQX: a heartbeat racing with a handshake retry must not kill the connection.
            return ReceiveOutcome.HANDLED;
        }
        if (!state.isBoundTo(cluster, hb.actor())
                || !store.heartbeat(id, state.incarnation, clock.nowMillis(), clock.leaseMillis())) {
            return errors.raise(conn, state, cluster, state.staleOrMismatch(cluster, hb.actor(), "heartbeat"));
        }
        return ReceiveOutcome.HANDLED;
    }

    /** A bug of ours or a failing store must not leave the peer hanging or its routes half-applied. */
    private ReceiveOutcome failed(LinkConnection conn, String cluster, RuntimeException e) {
        LOG.error("[{}] failed to handle a route-topic publish of {}", cluster, conn.clientId(), e);
        // Absent only if the connection closed meanwhile: nothing to mark, and nothing to add back to the map.
        InboundConnection state = connections.get(conn);
        if (state != null) {
            ActorKey bound = state.bound;
            state.closing = true;
            state.bound = null;
            if (bound != null) {
                evict(bound, state.incarnation);
            }
        }
        registry.countersOf(cluster).brokerErrors.increment();
        return ReceiveOutcome.disconnect(ReasonCodes.UNSPECIFIED_ERROR, "cluster link receiver failed: " + e);
    }

    private int overflow(LinkConnection conn, InboundConnection state, String cluster) {
        state.closing = true;
        ActorKey bound = state.bound;
        long incarnation = state.incarnation;
        // After the publishes already queued (they see CLOSING and do nothing), so the eviction comes last.
        state.executor.execute(() -> {
            if (bound != null) {
                evict(bound, incarnation);
            }
        });
        LOG.warn(
                "[{}] link connection {} (client {}) queued more than {} route messages or {} bytes for the route "
                        + "store; disconnecting, its actor must bootstrap again",
                cluster,
                conn.connectionId(),
                conn.clientId(),
                MAX_QUEUED,
                MAX_QUEUED_BYTES);
        broker.disconnect(
                cluster,
                registry.countersOf(cluster),
                conn,
                QUOTA_EXCEEDED,
                "route messages arrive faster than the route store applies them");
        return QUOTA_EXCEEDED;
    }

    /** Removes an actor whatever its lease, so its next handshake starts from a clean lane. */
    private void evict(ActorKey actor, long incarnation) {
        try {
            store.expireIfStillExpired(actor, incarnation, Long.MAX_VALUE);
        } catch (RuntimeException e) {
            LOG.error("[{}] cannot evict actor {}; its lease will end it", actor.cluster(), actor.actor(), e);
        }
    }
}
