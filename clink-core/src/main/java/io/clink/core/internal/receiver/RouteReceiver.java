package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.link.RemoteRoute;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.receiver.ActorTable.Actor;
import io.clink.core.internal.receiver.ActorTable.ActorId;
import io.clink.core.internal.route.IndexedRoute;
import io.clink.core.internal.route.RouteId;
import io.clink.core.internal.route.RouteIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The receiving half of route replication (protocol sections 4.4 and 4.5): remote actors' handshakes, route batches
 * and heartbeats arriving on $LINK/cluster/route/<C>, written into the ActorTable and the engine's RouteIndex. This
 * class holds the lock, the per-connection state machine and the dispatch; the handshake is ActorInitAdmission, route
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
 *              clusterUnlinked-----------------------> CLOSING           disconnect requested; later publishes of
 *                                                                        the connection are ignored (a broker may
 *                                                                        defer the close)
 *   any      --onConnectionClosed--------------------> (absent)          routes stay until the actor's TTL ends
 *
 * BOUND is set once and never changes: a second actor_init on one connection is a protocol error. A BOUND
 * connection is "stale" when the actor table no longer holds its (actor, incarnation): GC collected the actor, or
 * another connection reincarnated it. Stale connections are not hunted down; their next route op or heartbeat
 * disconnects them, as in EMQX (an actor that stopped heartbeating but keeps its connection is broken anyway).
 *
 * heartbeat: ignored before actor_init (as in EMQX); on a BOUND connection it extends the lease; stale or mismatched
 * identity is a protocol error.
 * Protocol errors (undecodable payload, unknown '$op', an actor_init_ack sent to us, route before actor_init, a
 * second actor_init, missing Response-Topic or Correlation-Data, identity mismatch, stale state):
 * DISCONNECT 0x83 and counters(C).protocolErrors + 1 (for a C with no link here, a receiver-wide counter, so a
 * peer cannot make the engine create counters for arbitrary names). The PUBACK code returned for a handled publish
 * is 0x10, as EMQX; for a refused one it is the DISCONNECT code.
 *
 * clusterUnlinked(C) removes C's actors and routes at once and disconnects C's connections with 0x98
 * (administrative action); EMQX keeps both until the peer goes silent.
 *
 * Invariants: the route index holds a row bit (C, lane L) only while the actor table has a live actor of C on lane
 * L (lanes are cleared whenever the table drops or replaces an actor); every write of a BOUND connection goes to the
 * lane of the exact (actor, incarnation) it was bound to; a refused message changes no route and no lease; the
 * connection map holds only connections that published and were not reported closed.
 *
 * Concurrency: one lock guards everything above, in this class and in the parts it hands the lock to or calls
 * under it (ActorTable, ActorInitAdmission, RouteBatchApplier, SkippedOpsLog, ProtocolErrors, ActorGc). Broker threads
 * call onRoutePublish concurrently; the GC runs on a serial executor (its timer only submits to it) and takes the
 * same lock; clusterUnlinked, onConnectionClosed, start, stop and the readers take it too. So the route index has
 * exactly one writer at a time and its single-writer rule holds (the lock orders the writes); publishers read it
 * lock-free with match(). Calls into the broker (reply, disconnect) are made after the lock is released, so a broker
 * lock can never nest inside ours. Time is the injected ticker's monotonic nanoTime; the wall clock only stamps the
 * ack message.
 */

/**
 * Handles {@code $LINK/cluster/route/<cluster>} publishes of remote route actors on inbound connections: the
 * handshake, route batches and heartbeats, and the garbage collection of silent actors. The only writer of the
 * engine's {@link RouteIndex}.
 *
 * @since 0.1.0
 */
public final class RouteReceiver {

    /**
     * DISCONNECT reason: the cluster already has {@link RouteIndex#MAX_LANES} live actors.
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

    private static final Logger LOG = LoggerFactory.getLogger(RouteReceiver.class);

    private final Supplier<ClusterLinkConfig> config;
    private final GuardedBroker broker;
    private final CounterRegistry registry;
    private final RouteIndex routes;
    private final EngineTime time;
    private final EtfDecoder decoder;
    private final Object lock = new Object();
    // Guarded by lock, as is all state of the parts below.
    private final Map<LinkConnection, InboundConnection> connections = new HashMap<>();
    private final ActorTable actors;
    private final SkippedOpsLog skippedLog = new SkippedOpsLog();
    private final ProtocolErrors errors;
    private final ActorInitAdmission handshake;
    private final RouteBatchApplier batches;
    private final ActorGc gc;

    /**
     * A receiver.
     *
     * @param config the configuration in force, read on every handshake and message (links come and go)
     * @param broker replies and disconnects go through it
     * @param routes where the remote clusters' routes are kept; this receiver is its only writer
     * @param counters the counters charged per sender cluster
     * @param time the clock of actor leases and the scheduler of GC passes
     * @param gcExecutor a serial executor of its own, on which GC passes run
     * @param etfLimits decoder bounds for every inbound payload
     * @param timings actor lease and GC repeat: {@link ReceiverTimings#EMQX} in production; tests and peers built with
     *     EMQX's TEST profile (TTL 3 s, repeat 1 s) use shorter ones
     * @throws NullPointerException if any argument is null
     * @since 0.1.0
     */
    public RouteReceiver(
            Supplier<ClusterLinkConfig> config,
            GuardedBroker broker,
            RouteIndex routes,
            CounterRegistry counters,
            EngineTime time,
            Executor gcExecutor,
            EtfLimits etfLimits,
            ReceiverTimings timings) {
        this.config = requireNonNull(config, "config");
        this.broker = requireNonNull(broker, "broker");
        this.routes = requireNonNull(routes, "routes");
        this.registry = requireNonNull(counters, "counters");
        this.time = requireNonNull(time, "time");
        requireNonNull(gcExecutor, "gcExecutor");
        requireNonNull(etfLimits, "etfLimits");
        requireNonNull(timings, "timings");
        this.decoder = new EtfDecoder(etfLimits);
        this.actors = new ActorTable(timings.actorTtl().toNanos(), routes::clearLane);
        this.errors = new ProtocolErrors(counters);
        this.handshake = new ActorInitAdmission(config, actors, time, errors);
        this.batches = new RouteBatchApplier(routes, actors, counters, errors, skippedLog);
        this.gc = new ActorGc(lock, actors, time, gcExecutor, timings);
    }

    /**
     * Handles one publish on {@code $LINK/cluster/route/<senderCluster>}. Thread: a broker thread (any number
     * concurrently); non-blocking. May call {@code reply} and {@code disconnect} of the broker for {@code conn} on
     * this thread, after the receiver's state is updated. Never throws for bad input.
     *
     * @param conn the publishing connection
     * @param senderCluster the topic suffix: the cluster the sender claims to be
     * @param payload the ETF payload; not kept
     * @param props the publish's properties (the handshake needs Response-Topic and Correlation-Data)
     * @return the PUBACK reason code: 0x10 when handled, the DISCONNECT code when the connection is refused
     * @since 0.1.0
     */
    public int onRoutePublish(LinkConnection conn, String senderCluster, byte[] payload, PublishProperties props) {
        requireNonNull(conn, "conn");
        requireNonNull(senderCluster, "senderCluster");
        requireNonNull(payload, "payload");
        requireNonNull(props, "props");
        ReceiveOutcome outcome;
        synchronized (lock) {
            try {
                outcome = handle(conn, senderCluster, payload, props);
            } catch (RuntimeException e) {
                // A bug of ours must not leave the peer hanging: treat it as EMQX treats a crash of its hook.
                LOG.error("[{}] failed to handle a route-topic publish of {}", senderCluster, conn.clientId(), e);
                InboundConnection state = connections.computeIfAbsent(conn, c -> new InboundConnection(senderCluster));
                outcome = errors.raise(conn, state, senderCluster, "internal error: " + e);
            }
        }
        LinkCounters counters = registry.countersOf(senderCluster);
        MqttMessage reply = outcome.reply;
        if (reply != null) {
            broker.reply(senderCluster, counters, conn, reply);
        }
        String reason = outcome.disconnectReason;
        if (reason != null) {
            broker.disconnect(senderCluster, counters, conn, outcome.code, reason);
        }
        return outcome.code;
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
        synchronized (lock) {
            connections.remove(conn);
        }
    }

    /**
     * The link to {@code cluster} was disabled or deleted here: drops that cluster's actors and routes at once and
     * disconnects its inbound connections with 0x98 (administrative action). Call it after the new configuration is
     * in force (what this receiver's configuration supplier returns), so a handshake racing with it is refused.
     * Thread: any; non-blocking.
     *
     * @param cluster the remote cluster
     * @since 0.1.0
     */
    public void clusterUnlinked(String cluster) {
        requireNonNull(cluster, "cluster");
        List<LinkConnection> doomed = new ArrayList<>();
        int actorCount;
        int routeCount;
        synchronized (lock) {
            routeCount = routes.routeCount(cluster);
            actorCount = actors.removeCluster(cluster).size();
            // Lanes are gone with the actors; this also drops rows of any lane no actor held.
            routes.removeCluster(cluster);
            skippedLog.forget(cluster);
            for (Map.Entry<LinkConnection, InboundConnection> e : connections.entrySet()) {
                InboundConnection c = e.getValue();
                if (!c.closing && c.cluster.equals(cluster)) {
                    c.closing = true;
                    doomed.add(e.getKey());
                }
            }
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
     * Stops the GC timer; a pass already queued does nothing. Actors and routes are kept. Idempotent. Thread: any.
     *
     * @since 0.1.0
     */
    public void stop() {
        gc.stop();
    }

    /**
     * The live actors of a cluster, for status. Thread: any.
     *
     * @param cluster the remote cluster
     * @return its actors sorted by name, a fresh list
     * @since 0.1.0
     */
    public List<Actor> actors(String cluster) {
        requireNonNull(cluster, "cluster");
        List<Actor> out;
        synchronized (lock) {
            out = actors.actorsOf(cluster);
        }
        out.sort(Comparator.comparing(a -> a.id().actor()));
        return out;
    }

    /**
     * The number of routes a cluster replicated here, for metrics. Thread: any.
     *
     * @param cluster the remote cluster
     * @return its route count
     * @since 0.1.0
     */
    public int routeCount(String cluster) {
        requireNonNull(cluster, "cluster");
        synchronized (lock) {
            return routes.routeCount(cluster);
        }
    }

    /**
     * The routes a cluster replicated here, for status views and tests. Thread: any.
     *
     * @param cluster the remote cluster
     * @return its routes as (filter, route id) pairs, each id in its escaped text form ({@link RouteId#escape})
     */
    public Set<RemoteRoute> routes(String cluster) {
        requireNonNull(cluster, "cluster");
        Set<RemoteRoute> out = new HashSet<>();
        synchronized (lock) {
            for (IndexedRoute r : routes.routes(cluster)) {
                out.add(new RemoteRoute(r.filter(), r.routeId().toString()));
            }
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
        synchronized (lock) {
            return connections.size();
        }
    }

    // =================================================================================================================
    // Under the lock

    private ReceiveOutcome handle(LinkConnection conn, String cluster, byte[] payload, PublishProperties props) {
        InboundConnection state = connections.get(conn);
        if (state == null) {
            state = new InboundConnection(cluster);
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
            return batches.apply(
                    conn, state, cluster, (RouteBatch) msg, time.ticker().nanoTime());
        }
        if (msg instanceof Heartbeat) {
            return heartbeat(conn, state, cluster, (Heartbeat) msg);
        }
        return errors.raise(
                conn, state, cluster, "actor_init_ack is sent by receivers, not accepted on the route topic");
    }

    private ReceiveOutcome heartbeat(LinkConnection conn, InboundConnection state, String cluster, Heartbeat hb) {
        ActorId id = state.bound;
        if (id == null) {
            // As EMQX: a heartbeat racing with a handshake retry must not kill the connection.
            return ReceiveOutcome.HANDLED;
        }
        if (state.boundLane(actors, cluster, hb.actor()) < 0
                || !actors.heartbeat(id, state.incarnation, time.ticker().nanoTime())) {
            return errors.raise(conn, state, cluster, state.staleOrMismatch(cluster, hb.actor(), "heartbeat"));
        }
        return ReceiveOutcome.HANDLED;
    }
}
