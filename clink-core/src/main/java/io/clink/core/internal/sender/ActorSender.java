package io.clink.core.internal.sender;

import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ServerAddress;
import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStateChange;
import io.clink.api.link.ActorStatus;
import io.clink.api.time.Cancellable;
import io.clink.api.topic.Subscription;
import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientIds;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.core.internal.connection.ConnectionFailure;
import io.clink.core.internal.connection.EndpointRotation;
import io.clink.core.internal.connection.GuardedScheduler;
import io.clink.core.internal.connection.ReconnectingConnection;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.LinkClientOptionsFactory;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.link.LocalRouteListener;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's route-replication actor on one link (protocol sections 4.1 to 4.3): it connects to the remote
 * cluster, introduces itself with {@code actor_init}, sends its routes (a full snapshot when the remote asks for
 * one, then incremental ops from a {@link SyncerStash}) and keeps the remote's record of it alive with heartbeats.
 *
 * <p>Its parts, each in a class of its own: {@link ActorStateMachine} (the states, their transition table and the
 * status readers see), {@link ActorHandshake} ({@code actor_init} and its reply), {@link RouteOutbox} (stash,
 * bootstrap snapshot and the batch in flight), {@link RouteBatchPacker} (batches that fit the peer) and {@link
 * ReconnectingConnection} (generations, backoff, guarded timers). This class runs the protocol over them: connect,
 * subscribe, handshake, bootstrap, incremental batches, heartbeats, and the one way into DISCONNECTED ({@code fail}).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Every route change of this node reaches the stash while the actor runs, and the stash is only dropped
 *       when the remote's view is rebuilt from a snapshot read afterwards ({@code need_bootstrap = true}). So once
 *       ONLINE with an empty stash and no batch in flight, the remote holds exactly this node's routes intersected
 *       with the link topics (scenario 11 of protocol section 8).
 *   <li>At most one route batch is in flight. An incremental batch that was not acknowledged goes back into the
 *       stash ({@link SyncerStash#restore}); an unfinished bootstrap is redone from a fresh snapshot, because the
 *       actor only counts as bootstrapped once a whole snapshot was acknowledged in this incarnation.
 *   <li>Each batch holds at most 4000 ops and its PUBLISH fits the peer's Maximum-Packet-Size; a single op that
 *       can never fit is logged, counted as failed and dropped, so it cannot stall the actor.
 *   <li>The incarnation is taken once per {@link #start()} and kept across reconnects; a later start takes a
 *       strictly greater one ({@link io.clink.api.IncarnationStore#next}).
 *   <li>The reconnect backoff attempt counter resets when the actor reaches ONLINE, and no retry waits longer than
 *       {@code reconnect.max_delay} (at most 20 s, below the peer's 30 s actor TTL), whatever the jitter.
 * </ul>
 *
 * <p>Concurrency: all state lives on one serial executor of its own (given at construction). Public
 * methods, transport callbacks and timers only hand work to it. Generations, backoff, failure classification and
 * timers that survive a failing scheduler come from {@link ReconnectingConnection} (package {@code
 * internal.connection}): every callback and timer carries the generation it was made for and is dropped if the
 * actor has moved on (a later attempt, a teardown or a stop), so a late PUBACK or ack of a dead connection can never
 * touch the current one. {@link #stop()} additionally closes the current client on the caller's thread, so a
 * stalled connect does not delay it. Readers get a volatile immutable {@link ActorStatus}. The state listener runs
 * on the serial executor, once per transition, in order.
 */
public final class ActorSender implements LocalRouteListener {

    private static final Logger LOG = LoggerFactory.getLogger(ActorSender.class);

    /** How long to wait for the {@code actor_init_ack} (protocol section 5.4). */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** Heartbeat period: the actor TTL (30 s) divided by 3 (protocol section 4.5). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

    private static final String TOPIC_PREFIX = "$LINK/cluster/";

    private final LinkConfig link;
    private final LinkTransport transport;
    private final IncarnationStore incarnations;
    private final EngineTime time;
    private final Supplier<Set<Subscription>> localRoutes;
    private final Executor serial;
    private final LinkCounters counters;
    private final String actorName;
    private final String actorKey;
    private final String clientId;
    private final String routeTopic;
    private final String respTopic;
    private final ActorStateMachine machine;
    private final ActorHandshake handshake;
    private final RouteOutbox outbox;
    private final RouteBatchPacker packer;
    private final ReconnectingConnection conn;
    private final EndpointRotation endpoints;
    /** The endpoint of the current attempt; serial executor only. */
    private @Nullable ServerAddress attemptEndpoint;
    /** The endpoint of the established connection for status readers on any thread; null while not online. */
    private volatile @Nullable ServerAddress endpointInUse;

    // Bumped by start() and stop() on the caller's thread; a start task runs only if no later call superseded it.
    private final AtomicLong runRequests = new AtomicLong();
    // Bumped by stop() on the caller's thread, so callbacks queued before the stop task runs already drop themselves.
    private final AtomicLong stopRequests = new AtomicLong();
    // The current client, also read by stop() on the caller's thread to close a stalled connect at once.
    private volatile @Nullable LinkClient client;

    // --- serial-executor state ---
    private long stopsAtStart;
    private boolean flushQueued;
    private Cancellable handshakeTimer = Cancellable.DONE;
    private Cancellable heartbeatTimer = Cancellable.DONE;

    /**
     * Creates a stopped actor.
     *
     * @param config the configuration in force when the link was made: this cluster's name, the actor name and the
     *     client id base are read once, here
     * @param link the link this actor replicates to; fixed for the actor's life (a config change makes a new one)
     * @param nodeName this broker node's name: the {@code sha8} of the client id and the default actor name
     * @param transport opens the actor's connection
     * @param incarnations gives each run a new incarnation
     * @param counters the link's counters
     * @param time the clock of state timestamps and the scheduler of handshake, heartbeat and reconnect timers
     * @param serial a serial executor of its own, on which all actor state lives
     * @param random uniform source in [0, 1) for backoff jitter and request ids
     * @param etfLimits decoder bounds for the peer's replies
     * @param localRoutes this node's current routes, read at each bootstrap
     * @param stateListener learns each state change, on the actor's serial executor; must be quick
     */
    public ActorSender(
            ClusterLinkConfig config,
            LinkConfig link,
            String nodeName,
            LinkTransport transport,
            IncarnationStore incarnations,
            LinkCounters counters,
            EngineTime time,
            Executor serial,
            DoubleSupplier random,
            EtfLimits etfLimits,
            Supplier<Set<Subscription>> localRoutes,
            Consumer<ActorStateChange> stateListener) {
        this.link = Objects.requireNonNull(link, "link");
        Objects.requireNonNull(nodeName, "nodeName");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.incarnations = Objects.requireNonNull(incarnations, "incarnations");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.time = Objects.requireNonNull(time, "time");
        this.serial = Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(random, "random");
        this.localRoutes = Objects.requireNonNull(localRoutes, "localRoutes");
        Objects.requireNonNull(stateListener, "stateListener");
        this.actorName = config.actorNameOf(link, nodeName);
        this.actorKey = link.name() + "/" + actorName;
        this.clientId = LinkClientIds.routeSync(config.clientIdOf(link), nodeName);
        this.routeTopic = TOPIC_PREFIX + "route/" + config.name();
        this.respTopic = TOPIC_PREFIX + "resp/" + config.name() + "/" + actorName;
        this.machine = new ActorStateMachine(link.name(), actorName, time.ticker(), stateListener);
        this.handshake =
                new ActorHandshake(link.name(), actorName, Objects.requireNonNull(etfLimits, "etfLimits"), random);
        this.outbox = new RouteOutbox(new ReplicationSet(link.topics()));
        this.packer = new RouteBatchPacker(link.name(), actorName, routeTopic, counters);
        GuardedScheduler timers =
                new GuardedScheduler("link " + link.name() + " actor " + actorName, time.scheduler(), serial);
        this.conn =
                new ReconnectingConnection(link.reconnect(), link.reconnect().maxDelay(), timers, random);
        this.endpoints = new EndpointRotation(link.servers().endpoints());
    }

    /**
     * Starts a new actor run with a new incarnation. Thread: any; returns at once, the work happens on the actor's
     * executor. Does nothing if the actor already runs.
     */
    public void start() {
        long request = runRequests.incrementAndGet();
        serial.execute(() -> doStart(request));
    }

    /**
     * Stops the actor for good (until the next {@link #start()}): closes its client and goes to {@link
     * ActorState#STOPPED}. Thread: any; returns promptly even while a connect is stalled.
     */
    public void stop() {
        runRequests.incrementAndGet();
        stopRequests.incrementAndGet();
        LinkClient c = client;
        if (c != null) {
            closeQuietly(c);
        }
        serial.execute(this::doStop);
    }

    /**
     * A local route appeared. Thread: any (called under LocalRoutes' lock); non-blocking.
     *
     * @param route the route
     */
    @Override
    public void routeAdded(Subscription route) {
        Objects.requireNonNull(route, "route");
        serial.execute(() -> onRouteChange(route, false));
    }

    /**
     * A local route disappeared. Thread: any (called under LocalRoutes' lock); non-blocking.
     *
     * @param route the route
     */
    @Override
    public void routeRemoved(Subscription route) {
        Objects.requireNonNull(route, "route");
        serial.execute(() -> onRouteChange(route, true));
    }

    /**
     * The actor's current status. Thread: any; a volatile snapshot.
     *
     * @return the status
     */
    public ActorStatus status() {
        ActorStatus s = machine.status();
        ServerAddress e = endpointInUse;
        return e == null || s.state() != ActorState.ONLINE ? s : s.withEndpoint(e.toString());
    }

    /** The actor's name on the wire. */
    public String actorName() {
        return actorName;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lifecycle

    private void doStart(long request) {
        if (request != runRequests.get()) {
            return; // a later stop() or start() superseded this one
        }
        if (machine.state() != ActorState.STOPPED) {
            LOG.debug("link {} actor {}: start ignored, already {}", link.name(), actorName, machine.state());
            return;
        }
        stopsAtStart = stopRequests.get();
        outbox.reset();
        conn.resetBackoff();
        machine.begin();
        connect();
    }

    private void doStop() {
        if (machine.state() == ActorState.STOPPED) {
            return;
        }
        teardownConnection();
        conn.cancelRetry();
        outbox.clearStash();
        machine.transition(ActorState.STOPPED, null, null);
        LOG.info("link {} actor {}: stopped", link.name(), actorName);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Connecting and handshaking

    private void connect() {
        long gen = conn.nextGeneration();
        LinkClient c;
        try {
            if (machine.incarnation() == 0) {
                machine.incarnation(incarnations.next(actorKey, time.ticker().wallClockMillis()));
            }
            // Every attempt, including the first after a lost connection, moves on to the next endpoint.
            ServerAddress endpoint = endpoints.nextAttempt();
            attemptEndpoint = endpoint;
            endpointInUse = null;
            LinkClientOptions options = LinkClientOptionsFactory.options(link, clientId, endpoint);
            transport.validate(options);
            c = transport.createClient(options);
        } catch (RuntimeException e) {
            // A store or option failure is retried like a connection failure: the file may be fixed meanwhile.
            LOG.warn("link {} actor {}: cannot start a connection: {}", link.name(), actorName, e.toString());
            fail(null, "start_failed: " + e.getMessage());
            return;
        }
        client = c;
        conn.connect(c, reason -> onConnectionLost(gen, reason), (result, error) -> onConnected(gen, result, error));
    }

    private void onConnected(long gen, @Nullable ConnectResult result, @Nullable Throwable error) {
        if (!isCurrent(gen)) {
            return;
        }
        if (error != null || result == null) {
            ConnectionFailure f = ConnectionFailure.of(error);
            LOG.info("link {} actor {}: connection_failed: {}", link.name(), actorName, f.describe());
            fail(f.reason(), "connection_failed: " + f.describe());
            return;
        }
        packer.connected(result.maximumPacketSize());
        LinkClient c = Objects.requireNonNull(client, "client");
        conn.call(
                () -> c.subscribe(respTopic, 1, p -> serial.execute(() -> onResponse(gen, p))),
                (qos, e) -> onSubscribed(gen, e));
    }

    private void onSubscribed(long gen, @Nullable Throwable error) {
        if (!isCurrent(gen)) {
            return;
        }
        if (error != null) {
            ConnectionFailure f = ConnectionFailure.of(error);
            LOG.info(
                    "link {} actor {}: connection_failed: subscribe to {} failed: {}",
                    link.name(),
                    actorName,
                    respTopic,
                    f.describe());
            fail(f.reason(), "connection_failed: subscribe refused: " + f.describe());
            return;
        }
        machine.transition(ActorState.HANDSHAKING, null, null);
        byte[] id = handshake.newRequest();
        byte[] payload = handshake.actorInit(machine.incarnation());
        handshakeTimer = conn.schedule(HANDSHAKE_TIMEOUT, () -> onHandshakeTimeout(gen));
        LinkClient c = Objects.requireNonNull(client, "client");
        conn.call(
                () -> c.publish(new OutgoingPublish(routeTopic, payload, 1, false, respTopic, id)),
                (r, e) -> onActorInitPublished(gen, r, e));
    }

    private void onActorInitPublished(long gen, @Nullable PublishResult result, @Nullable Throwable error) {
        if (!isCurrent(gen) || machine.state() != ActorState.HANDSHAKING) {
            return;
        }
        if (error != null) {
            ConnectionFailure f = ConnectionFailure.of(error);
            fail(f.reason(), "actor_init_failed: " + f.describe());
        } else if (result != null && result.reasonCode() >= 0x80) {
            fail(null, String.format("actor_init_failed: PUBACK reason code 0x%02X", result.reasonCode()));
        }
    }

    private void onHandshakeTimeout(long gen) {
        if (!isCurrent(gen) || machine.state() != ActorState.HANDSHAKING) {
            return;
        }
        LOG.info("link {} actor {}: handshake_timeout after {}", link.name(), actorName, HANDSHAKE_TIMEOUT);
        fail(null, "handshake_timeout");
    }

    private void onResponse(long gen, InboundPublish publish) {
        if (!isCurrent(gen) || machine.state() != ActorState.HANDSHAKING || !handshake.isReply(publish)) {
            return; // a reply to an earlier request, or not a reply at all
        }
        ActorHandshake.Outcome outcome = handshake.read(publish);
        if (!outcome.accepted()) {
            fail(null, outcome.error());
            return;
        }
        handshakeTimer.cancel();
        heartbeatTimer = conn.schedule(HEARTBEAT_INTERVAL, () -> onHeartbeatDue(gen));
        if (outcome.needBootstrap() || !outbox.bootstrapped()) {
            machine.transition(ActorState.BOOTSTRAPPING, null, null);
            int ops = outbox.beginBootstrap(outcome.needBootstrap(), localRoutes.get());
            LOG.info("link {} actor {}: bootstrapping {} routes", link.name(), actorName, ops);
            sendNext();
        } else {
            goOnline();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Bootstrap, batches, heartbeats

    private void goOnline() {
        ServerAddress endpoint = attemptEndpoint;
        if (endpoint != null) {
            endpoints.connected(endpoint);
        }
        endpointInUse = endpoint;
        machine.transition(ActorState.ONLINE, null, null);
        conn.resetBackoff();
        sendNext();
    }

    private void onRouteChange(Subscription route, boolean delete) {
        ActorState state = machine.state();
        if (state == ActorState.STOPPED) {
            return; // the next start bootstraps from the routes of that moment
        }
        outbox.record(route, delete);
        if (state == ActorState.ONLINE && !flushQueued) {
            // Changes queued behind this task join the same batch.
            flushQueued = true;
            serial.execute(() -> {
                flushQueued = false;
                sendNext();
            });
        }
    }

    private void sendNext() {
        if (outbox.hasInFlight()) {
            return;
        }
        boolean isBootstrap;
        if (machine.state() == ActorState.BOOTSTRAPPING) {
            if (outbox.completeBootstrapIfSent()) {
                LOG.info("link {} actor {}: bootstrap_complete", link.name(), actorName);
                goOnline();
                return;
            }
            isBootstrap = true;
        } else if (machine.state() == ActorState.ONLINE) {
            if (outbox.source(false).isEmpty()) {
                return;
            }
            isBootstrap = false;
        } else {
            return;
        }
        RouteBatchPacker.Batch batch = packer.next(outbox.source(isBootstrap), machine.incarnation());
        if (batch == null) {
            sendNext(); // everything left was dropped: finish the bootstrap or stop here
            return;
        }
        publishBatch(batch, isBootstrap);
    }

    private void publishBatch(RouteBatchPacker.Batch batch, boolean isBootstrap) {
        long gen = conn.generation();
        List<RouteOp> ops = batch.ops();
        outbox.sent(ops, isBootstrap);
        LinkClient c = Objects.requireNonNull(client, "client");
        conn.call(
                () -> c.publish(OutgoingPublish.of(routeTopic, batch.payload(), 1)),
                (r, e) -> onBatchResult(gen, ops, r, e));
    }

    private void onBatchResult(
            long gen, List<RouteOp> batch, @Nullable PublishResult result, @Nullable Throwable error) {
        if (!isCurrent(gen) || !outbox.isInFlight(batch)) {
            return; // the teardown that invalidated this connection already put the batch back
        }
        outbox.settled();
        ConnectionFailure failure = error == null ? null : ConnectionFailure.of(error);
        if (failure != null && failure.isPacketTooLarge()) {
            // The connection is fine; only this batch is too big for the peer.
            packer.tooLarge(batch, outbox.sourceOfLastSent());
            sendNext();
            return;
        }
        // Any other failure ends the connection, unlike the forwarding pool's: route ops must reach the peer in
        // order, so a batch is never skipped, only resent on a fresh connection.
        if (failure != null || result == null || result.reasonCode() >= 0x80) {
            String why = failure != null
                    ? failure.describe()
                    : String.format("PUBACK reason code 0x%02X", result == null ? 0xFF : result.reasonCode());
            LOG.info("link {} actor {}: route batch of {} ops failed: {}", link.name(), actorName, batch.size(), why);
            outbox.unsent(batch);
            fail(failure == null ? null : failure.reason(), "route_batch_failed: " + why);
            return;
        }
        counters.routesSent.add(batch.size());
        sendNext();
    }

    private void onHeartbeatDue(long gen) {
        ActorState state = machine.state();
        if (!isCurrent(gen) || (state != ActorState.ONLINE && state != ActorState.BOOTSTRAPPING)) {
            return;
        }
        byte[] payload = ControlCodec.encode(new Heartbeat(actorName, machine.incarnation()));
        LinkClient c = Objects.requireNonNull(client, "client");
        ConnectionFailure.call(() -> c.publish(OutgoingPublish.of(routeTopic, payload, 0)))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        // A lost connection is reported by the connection listener; nothing to do here.
                        LOG.debug(
                                "link {} actor {}: heartbeat not sent: {}",
                                link.name(),
                                actorName,
                                ConnectionFailure.of(e).describe());
                    }
                });
        heartbeatTimer = conn.schedule(HEARTBEAT_INTERVAL, () -> onHeartbeatDue(gen));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Failures

    private void onConnectionLost(long gen, DisconnectReason reason) {
        if (!isCurrent(gen)) {
            return;
        }
        LOG.info("link {} actor {}: connection_down: {}", link.name(), actorName, reason);
        fail(reason, null);
    }

    /** Ends the current connection and schedules the next attempt: the one way into DISCONNECTED. */
    private void fail(@Nullable DisconnectReason reason, @Nullable String error) {
        teardownConnection();
        machine.transition(ActorState.DISCONNECTED, reason, error);
        long gen = conn.generation();
        Duration delay = conn.retry(() -> onReconnectDue(gen));
        counters.reconnects.increment();
        LOG.debug("link {} actor {}: reconnecting in {}", link.name(), actorName, delay);
    }

    private void onReconnectDue(long gen) {
        if (!isCurrent(gen) || machine.state() != ActorState.DISCONNECTED) {
            return;
        }
        machine.transition(ActorState.CONNECTING, null, null);
        connect();
    }

    /** Invalidates every callback of the current connection, puts unacknowledged ops back and closes the client. */
    private void teardownConnection() {
        conn.nextGeneration();
        endpoints.lost();
        endpointInUse = null;
        handshakeTimer.cancel();
        heartbeatTimer.cancel();
        handshake.clear();
        outbox.abandon();
        flushQueued = false;
        LinkClient c = client;
        client = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    /** Whether a callback made for connection generation {@code gen} still concerns the current connection. */
    private boolean isCurrent(long gen) {
        return conn.isCurrent(gen) && stopRequests.get() == stopsAtStart;
    }

    private void closeQuietly(LinkClient c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.warn("link {} actor {}: closing the client failed", link.name(), actorName, e);
        }
    }
}
