package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.RemoteRoute;
import io.clink.api.time.Cancellable;
import io.clink.api.topic.TopicFilter;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.receiver.ActorTable.Actor;
import io.clink.core.internal.receiver.ActorTable.ActorId;
import io.clink.core.internal.receiver.ActorTable.InitOutcome;
import io.clink.core.internal.receiver.ActorTable.InitResult;
import io.clink.core.internal.route.IndexedRoute;
import io.clink.core.internal.route.RouteId;
import io.clink.core.internal.route.RouteIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The receiving half of route replication (protocol sections 4.4 and 4.5): remote actors' handshakes, route batches
 * and heartbeats arriving on $LINK/cluster/route/<C>, written into the ActorTable and the engine's RouteIndex.
 *
 * Per-connection state (keyed by LinkConnection; EMQX keeps the same in the connection process, section 2.3):
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
 * actor_init, first table (link checks, in this order; proto_ver is read but not checked, as in EMQX):
 *   no link named C here                     -> ack {error, <<"unknown_cluster">>}
 *   link C disabled                          -> ack {error, <<"cluster_link_disabled">>}
 *   link C enabled, target (13) != own name  -> ack {error, <<"bad_remote_cluster_link_name">>}
 *   link C enabled, target == own name       -> second table
 *   (an error ack carries need_bootstrap = undefined)
 * actor_init, second table (ActorTable.init on {C, Actor}):
 *   no record                 -> create on the lowest free lane, lease = now + TTL    -> ack ok, need_bootstrap true
 *   same incarnation          -> extend the lease                                     -> ack ok, need_bootstrap false
 *   older record (we got a greater incarnation)
 *                             -> clear the old lane on every route of C, drop the record, create anew
 *                                                                                     -> ack ok, need_bootstrap true
 *   newer record (we got a smaller incarnation, OUTDATED)
 *                             -> no ack, DISCONNECT 0x83, counted as a protocol error
 *   RouteIndex.MAX_LANES (1024) live actors of C -> no ack, DISCONNECT 0x97 (quota exceeded), not a protocol error
 * The ack goes to the request's Response-Topic at QoS 1 with its Correlation-Data echoed; a request lacking either
 * property is a protocol error and changes nothing (EMQX crashes after writing the actor record).
 *
 * route (applied only on a BOUND, non-stale connection, for the same {C, Actor} it was bound to; the incarnation in
 * the message is ignored, as in EMQX): the ops are applied in list order on the actor's lane. An op that cannot be
 * applied (its filter is not a valid MQTT topic filter or not UTF-8, or the element is not shaped like an op) is
 * skipped: counted in routesSkipped, logged at most once per SKIP_LOG_INTERVAL per cluster, and the rest of the
 * batch is applied; the connection stays up (a disconnect would only make EMQX resend the same batch until its
 * request TTL ends, losing the good ops with the bad). Route ids are opaque bytes, keyed exactly as received. Route
 * ops do not extend the lease. routesReceived counts the applied ops.
 * heartbeat: ignored before actor_init (as in EMQX); on a BOUND connection it extends the lease; stale or mismatched
 * identity is a protocol error.
 * Protocol errors (undecodable payload, unknown '$op', an actor_init_ack sent to us, route before actor_init, a
 * second actor_init, missing Response-Topic or Correlation-Data, identity mismatch, stale state):
 * DISCONNECT 0x83 and counters(C).protocolErrors + 1 (for a C with no link here, a receiver-wide counter, so a
 * peer cannot make the engine create counters for arbitrary names). The PUBACK code returned for a handled publish
 * is 0x10, as EMQX; for a refused one it is the DISCONNECT code.
 *
 * GC (section 4.5, improved): a timer fires TTL after start(), then TTL after a pass that found nothing and
 * DEFAULT_GC_REPEAT (5 s) after a productive one. A pass removes EVERY actor whose lease ended (EMQX removes one per
 * pass) and clears its lane in the route index. clusterUnlinked(C) removes C's actors and routes at once and
 * disconnects C's connections with 0x98 (administrative action); EMQX keeps both until the peer goes silent.
 *
 * Invariants: the route index holds a row bit (C, lane L) only while the actor table has a live actor of C on lane
 * L (lanes are cleared whenever the table drops or replaces an actor); every write of a BOUND connection goes to the
 * lane of the exact (actor, incarnation) it was bound to; a refused message changes no route and no lease; the
 * connection map holds only connections that published and were not reported closed.
 *
 * Concurrency: one lock guards everything above. Broker threads call onRoutePublish concurrently; the GC runs on a
 * serial executor (its timer only submits to it) and takes the same lock; clusterUnlinked, onConnectionClosed,
 * start, stop and the readers take it too. So the route index has exactly one writer at a time and its
 * single-writer rule holds (the lock orders the writes); publishers read it lock-free with match(). Calls into the
 * broker (reply, disconnect) are made after the lock is released, so a broker lock can never nest inside ours.
 * Time is the injected ticker's monotonic nanoTime; the wall clock only stamps the ack message.
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
     * Lease of an actor after its handshake or last heartbeat (EMQX: 30 s, not configurable).
     *
     * @since 0.1.0
     */
    public static final Duration DEFAULT_ACTOR_TTL = Duration.ofSeconds(30);
    /**
     * Delay of the next GC pass after one that collected something (EMQX: 5 s).
     *
     * @since 0.1.0
     */
    public static final Duration DEFAULT_GC_REPEAT = Duration.ofSeconds(5);
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

    /** Skipped route ops are logged at most once per this interval and cluster; the rest are summed into it. */
    static final Duration SKIP_LOG_INTERVAL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(RouteReceiver.class);

    private final Supplier<ClusterLinkConfig> config;
    private final GuardedBroker broker;
    private final CounterRegistry registry;
    private final EngineTime time;
    private final RouteIndex routes;
    private final EtfDecoder decoder;
    private final ActorTable actors;
    private final Duration ttl;
    private final Duration gcRepeat;
    private final Executor gcExecutor;
    /** Counts errors of senders naming a cluster we have no link to. */
    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<LinkConnection, Conn> connections = new HashMap<>();
    /** Per cluster with a bound actor (so per configured link, a bounded set): skip-log throttling state. */
    private final Map<String, SkipLog> skipLogs = new HashMap<>();

    private boolean running;
    private long gcGeneration;
    private Cancellable gcTimer = Cancellable.DONE;

    /**
     * A receiver with EMQX's timing: TTL 30 s, GC repeat 5 s.
     *
     * @param config the configuration in force, read on every handshake and message (links come and go)
     * @param broker replies and disconnects go through it
     * @param routes where the remote clusters' routes are kept; this receiver is its only writer
     * @param counters the counters charged per sender cluster
     * @param time the clock of actor leases and the scheduler of GC passes
     * @param gcExecutor a serial executor of its own, on which GC passes run
     * @param etfLimits decoder bounds for every inbound payload
     * @since 0.1.0
     */
    public RouteReceiver(
            Supplier<ClusterLinkConfig> config,
            GuardedBroker broker,
            RouteIndex routes,
            CounterRegistry counters,
            EngineTime time,
            Executor gcExecutor,
            EtfLimits etfLimits) {
        this(config, broker, routes, counters, time, gcExecutor, etfLimits, DEFAULT_ACTOR_TTL, DEFAULT_GC_REPEAT);
    }

    /**
     * A receiver with custom timing (tests, and peers built with EMQX's TEST profile: TTL 3 s, repeat 1 s).
     *
     * @param config as in the other constructor
     * @param broker as in the other constructor
     * @param routes as in the other constructor
     * @param counters as in the other constructor
     * @param time as in the other constructor
     * @param gcExecutor as in the other constructor
     * @param etfLimits as in the other constructor
     * @param actorTtl lease of an actor after its handshake or last heartbeat; positive
     * @param gcRepeat delay of the next GC pass after a productive one; positive
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
            Duration actorTtl,
            Duration gcRepeat) {
        this.config = requireNonNull(config, "config");
        this.broker = requireNonNull(broker, "broker");
        this.routes = requireNonNull(routes, "routes");
        this.registry = requireNonNull(counters, "counters");
        this.time = requireNonNull(time, "time");
        this.gcExecutor = requireNonNull(gcExecutor, "gcExecutor");
        requireNonNull(etfLimits, "etfLimits");
        if (actorTtl.isNegative() || actorTtl.isZero()) {
            throw new IllegalArgumentException("actor TTL must be positive: " + actorTtl);
        }
        if (gcRepeat.isNegative() || gcRepeat.isZero()) {
            throw new IllegalArgumentException("GC repeat interval must be positive: " + gcRepeat);
        }
        this.ttl = actorTtl;
        this.gcRepeat = gcRepeat;
        this.decoder = new EtfDecoder(etfLimits);
        this.actors = new ActorTable(actorTtl.toNanos(), routes::clearLane);
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
        Outcome outcome;
        synchronized (lock) {
            try {
                outcome = handle(conn, senderCluster, payload, props);
            } catch (RuntimeException e) {
                // A bug of ours must not leave the peer hanging: treat it as EMQX treats a crash of its hook.
                LOG.error("[{}] failed to handle a route-topic publish of {}", senderCluster, conn.clientId(), e);
                outcome = protocolError(conn, senderCluster, "internal error: " + e);
            }
        }
        LinkCounters counters = countersOf(senderCluster);
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
     * in force (what this receiver's configuration supplier returns), so a handshake racing with it is refused. Thread: any; non-blocking.
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
            skipLogs.remove(cluster);
            for (Map.Entry<LinkConnection, Conn> e : connections.entrySet()) {
                Conn c = e.getValue();
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
        LinkCounters counters = countersOf(cluster);
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
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            scheduleGc(ttl);
        }
    }

    /**
     * Stops the GC timer; a pass already queued does nothing. Actors and routes are kept. Idempotent. Thread: any.
     *
     * @since 0.1.0
     */
    public void stop() {
        synchronized (lock) {
            running = false;
            gcGeneration++;
            gcTimer.cancel();
            gcTimer = Cancellable.DONE;
        }
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

    private Outcome handle(LinkConnection conn, String cluster, byte[] payload, PublishProperties props) {
        Conn state = connections.get(conn);
        if (state == null) {
            state = new Conn(cluster);
            connections.put(conn, state);
        } else if (state.closing) {
            return Outcome.CLOSING;
        } else if (state.bound == null) {
            state.cluster = cluster;
        }
        ControlMessage msg;
        try {
            msg = ControlCodec.decode(decoder, payload);
        } catch (ProtocolException e) {
            return protocolError(conn, cluster, "undecodable control message: " + e.getMessage());
        }
        if (msg instanceof ActorInit) {
            return actorInit(conn, state, cluster, (ActorInit) msg, props);
        }
        if (msg instanceof RouteBatch) {
            return routeBatch(conn, state, cluster, (RouteBatch) msg);
        }
        if (msg instanceof Heartbeat) {
            return heartbeat(conn, state, cluster, (Heartbeat) msg);
        }
        return protocolError(conn, cluster, "actor_init_ack is sent by receivers, not accepted on the route topic");
    }

    private Outcome actorInit(
            LinkConnection conn, Conn state, String cluster, ActorInit init, PublishProperties props) {
        if (state.bound != null) {
            return protocolError(
                    conn,
                    cluster,
                    "second actor_init on one connection (actor " + init.actor()
                            + "); it is already initialised as actor " + state.bound.actor() + " of "
                            + state.bound.cluster());
        }
        Optional<String> responseTopic = props.responseTopic();
        if (responseTopic.isEmpty()) {
            return protocolError(conn, cluster, "actor_init of actor " + init.actor() + " lacks the Response-Topic");
        }
        Optional<byte[]> correlation = props.correlationData();
        if (correlation.isEmpty()) {
            return protocolError(conn, cluster, "actor_init of actor " + init.actor() + " lacks the Correlation-Data");
        }
        ControlMessage.Result result;
        Optional<LinkConfig> link = config.get().link(cluster);
        if (link.isEmpty()) {
            result = reject(cluster, init, Rejected.UNKNOWN_CLUSTER, "no link named " + cluster + " here");
        } else if (!link.get().enable()) {
            result = reject(cluster, init, Rejected.CLUSTER_LINK_DISABLED, "the link is disabled here");
        } else if (!init.targetCluster().equals(config.get().name())) {
            result = reject(
                    cluster,
                    init,
                    Rejected.BAD_REMOTE_CLUSTER_LINK_NAME,
                    "it calls this cluster " + init.targetCluster() + " but this cluster is named "
                            + config.get().name());
        } else {
            ActorId id = new ActorId(cluster, init.actor());
            @Nullable Actor before = actors.actor(id);
            InitResult r = actors.init(id, init.incarnation(), now());
            if (r.outcome() == InitOutcome.OUTDATED) {
                return protocolError(
                        conn,
                        cluster,
                        "outdated incarnation " + init.incarnation() + " of actor "
                                + init.actor() + "; this receiver holds incarnation "
                                + (before == null ? "?" : Long.toString(before.incarnation())));
            }
            if (r.outcome() == InitOutcome.NO_FREE_LANE) {
                state.closing = true;
                LOG.warn(
                        "[{}] actor {} refused: the cluster already has {} live actors",
                        cluster,
                        init.actor(),
                        RouteIndex.MAX_LANES);
                return Outcome.disconnect(
                        QUOTA_EXCEEDED,
                        "cluster " + cluster + " already has " + RouteIndex.MAX_LANES + " live route actors");
            }
            state.bound = id;
            state.incarnation = init.incarnation();
            result = new Accepted(r.needBootstrap());
            LOG.debug(
                    "[{}] actor {} incarnation {} {} on lane {}",
                    cluster,
                    init.actor(),
                    init.incarnation(),
                    r.outcome(),
                    r.lane());
        }
        MqttMessage ack = MqttMessage.builder()
                .topic(responseTopic.get())
                .qos(1)
                .payload(ControlCodec.encode(new ActorInitAck(init.actor(), ControlMessage.PROTOCOL_VERSION, result)))
                .properties(PublishProperties.builder()
                        .correlationData(correlation.get())
                        .build())
                .timestampMillis(time.ticker().wallClockMillis())
                .build();
        return Outcome.reply(ack);
    }

    private static Rejected reject(String cluster, ActorInit init, String reason, String why) {
        LOG.warn("[{}] actor_init of actor {} rejected ({}): {}", cluster, init.actor(), reason, why);
        return new Rejected(reason);
    }

    private Outcome routeBatch(LinkConnection conn, Conn state, String cluster, RouteBatch batch) {
        if (state.bound == null) {
            return protocolError(conn, cluster, "route operations of actor " + batch.actor() + " before actor_init");
        }
        int lane = boundLane(state, cluster, batch.actor());
        if (lane < 0) {
            return protocolError(conn, cluster, staleOrMismatch(state, cluster, batch.actor(), "route operations"));
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
        LinkCounters counters = countersOf(cluster);
        counters.routesReceived.add(applied);
        if (skipped > 0) {
            counters.routesSkipped.add(skipped);
            logSkipped(cluster, batch.actor(), skipped, requireNonNull(firstSkipped));
        }
        return Outcome.HANDLED;
    }

    /** Logs skipped ops at most once per SKIP_LOG_INTERVAL and cluster: a peer resending a bad batch can't flood. */
    private void logSkipped(String cluster, String actor, int skipped, String firstSkipped) {
        long now = now();
        SkipLog s = skipLogs.computeIfAbsent(cluster, c -> new SkipLog());
        s.pending += skipped;
        if (s.logged && now - s.lastNanos < SKIP_LOG_INTERVAL.toNanos()) {
            return;
        }
        LOG.warn(
                "[{}] skipped {} route operation(s) of actor {} since the last report, the rest of their batches "
                        + "applied; the first of the latest batch: {}",
                cluster,
                s.pending,
                actor,
                firstSkipped);
        s.logged = true;
        s.lastNanos = now;
        s.pending = 0;
    }

    private Outcome heartbeat(LinkConnection conn, Conn state, String cluster, Heartbeat hb) {
        if (state.bound == null) {
            // As EMQX: a heartbeat racing with a handshake retry must not kill the connection.
            return Outcome.HANDLED;
        }
        ActorId id = state.bound;
        if (boundLane(state, cluster, hb.actor()) < 0 || !actors.heartbeat(id, state.incarnation, now())) {
            return protocolError(conn, cluster, staleOrMismatch(state, cluster, hb.actor(), "heartbeat"));
        }
        return Outcome.HANDLED;
    }

    /** The lane a BOUND connection writes to, or -1 if the message names another actor or the state is stale. */
    private int boundLane(Conn state, String cluster, String actor) {
        ActorId id = requireNonNull(state.bound);
        if (!id.cluster().equals(cluster) || !id.actor().equals(actor)) {
            return -1;
        }
        return actors.laneFor(id, state.incarnation);
    }

    private String staleOrMismatch(Conn state, String cluster, String actor, String what) {
        ActorId id = requireNonNull(state.bound);
        if (!id.cluster().equals(cluster) || !id.actor().equals(actor)) {
            return what + " for actor " + actor + " of " + cluster + " on a connection initialised as actor "
                    + id.actor() + " of " + id.cluster();
        }
        return what + " through stale state: actor " + actor + " incarnation " + state.incarnation
                + " was garbage-collected or reincarnated";
    }

    /** Marks the connection CLOSING, counts and logs the error, and asks for DISCONNECT 0x83. */
    private Outcome protocolError(LinkConnection conn, String cluster, String reason) {
        Conn c = connections.get(conn);
        if (c == null) {
            c = new Conn(cluster);
            connections.put(conn, c);
        }
        c.closing = true;
        c.bound = null;
        countersOf(cluster).protocolErrors.increment();
        LOG.warn(
                "[{}] protocol error on link connection {} (client {}): {}; disconnecting",
                cluster,
                conn.connectionId(),
                conn.clientId(),
                reason);
        return Outcome.disconnect(ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR, "cluster link protocol error: " + reason);
    }

    private void scheduleGc(Duration delay) {
        long generation = ++gcGeneration;
        gcTimer = time.scheduler().schedule(() -> gcExecutor.execute(() -> gcPass(generation)), delay);
    }

    private void gcPass(long generation) {
        synchronized (lock) {
            if (!running || generation != gcGeneration) {
                return;
            }
            boolean productive = false;
            try {
                List<Actor> collected = actors.collectExpired(now());
                productive = !collected.isEmpty();
                for (Actor a : collected) {
                    LOG.info(
                            "[{}] actor {} incarnation {} silent for more than {}; its routes were removed",
                            a.id().cluster(),
                            a.id().actor(),
                            a.incarnation(),
                            ttl);
                }
            } catch (RuntimeException e) {
                LOG.error("route actor GC pass failed; retrying later", e);
            }
            try {
                scheduleGc(productive ? gcRepeat : ttl);
            } catch (RuntimeException e) {
                LOG.error("cannot schedule the next route actor GC pass; GC stops", e);
            }
        }
    }

    private long now() {
        return time.ticker().nanoTime();
    }

    private LinkCounters countersOf(String cluster) {
        return registry.countersOf(cluster);
    }

    /** Handshake state of one connection; see the state model above. */
    private static final class Conn {
        /** The cluster the connection last spoke for (its topic suffix), for clusterUnlinked. */
        String cluster;
        /** Set by an accepted actor_init, then fixed; null while SEEN or CLOSING. */
        @Nullable
        ActorId bound;

        long incarnation;
        boolean closing;

        Conn(String cluster) {
            this.cluster = cluster;
        }
    }

    /** Throttling state of the skipped-op log of one cluster. */
    private static final class SkipLog {
        boolean logged;
        long lastNanos;
        long pending;
    }

    /** What onRoutePublish does once the lock is released. */
    private static final class Outcome {
        static final Outcome HANDLED = new Outcome(ReasonCodes.NO_MATCHING_SUBSCRIBERS, null, null);
        /** A publish of a connection already being disconnected: refused, nothing else. */
        static final Outcome CLOSING = new Outcome(ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR, null, null);

        final int code;
        final @Nullable MqttMessage reply;
        final @Nullable String disconnectReason;

        private Outcome(int code, @Nullable MqttMessage reply, @Nullable String disconnectReason) {
            this.code = code;
            this.reply = reply;
            this.disconnectReason = disconnectReason;
        }

        static Outcome reply(MqttMessage ack) {
            return new Outcome(ReasonCodes.NO_MATCHING_SUBSCRIBERS, ack, null);
        }

        static Outcome disconnect(int code, String reason) {
            return new Outcome(code, null, reason);
        }
    }
}
