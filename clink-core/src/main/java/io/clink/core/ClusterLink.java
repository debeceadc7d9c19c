package io.clink.core;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.clink.api.IncarnationStore;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStateChange;
import io.clink.api.link.LinkStateListener;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.EngineContext;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkConnections;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.forward.ForwardedReceiver;
import io.clink.core.internal.forward.Forwarder;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.receiver.RouteReceiver;
import io.clink.core.internal.route.MatchSink;
import io.clink.core.internal.sender.ActorSender;
import io.clink.core.internal.store.FileIncarnationStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster linking for one broker node: the entry point a broker adapter creates, starts, feeds with broker events
 * through {@link #hooks()}, and closes.
 *
 * <pre>{@code
 * ClusterLink link = ClusterLink.builder()
 *     .config(ClusterLinkConfigLoader.load(Path.of("cluster-link.conf")))
 *     .broker(myLocalBroker)
 *     .transport(new PahoLinkTransport())
 *     .build();
 * link.start();          // attaches link.hooks() to the broker, connects every enabled link
 * ...
 * link.close();
 * }</pre>
 *
 * <p>What it wires together: the node's local routes (reference-counted from the broker's subscription events and
 * corrected by a periodic snapshot resync); per enabled link, one route-replication actor that pushes this node's
 * routes (intersected with the link's {@code topics}) to the remote cluster, and one forwarding pool; for inbound
 * link connections, the receiver of remote routes (into the route index every local publish is matched against)
 * and the receiver of forwarded messages (delivered locally, never forwarded again).
 *
 * <p>Thread-safety: every public method may be called from any thread. {@link #hooks()} follows the contract of
 * {@link ClusterLinkHooks}: non-blocking, never throws on valid input.
 *
 * @since 0.1.0
 */
public final class ClusterLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    private static final String ROUTE_PREFIX = "$LINK/cluster/route/";
    private static final String MSG_PREFIX = "$LINK/cluster/msg/";

    /** One enabled link's running parts. */
    private static final class LinkRuntime {
        final LinkConfig config;
        final ActorSender sender;
        final Forwarder forwarder;
        final long sinceMillis;

        LinkRuntime(LinkConfig config, ActorSender sender, Forwarder forwarder, long sinceMillis) {
            this.config = config;
            this.sender = sender;
            this.forwarder = forwarder;
            this.sinceMillis = sinceMillis;
        }
    }

    /** Forwards one publish to each matched cluster; one per publisher thread, reused. */
    private final class ForwardingSink extends MatchSink {
        @Nullable MqttMessage message;

        @Override
        protected void accept(String cluster) {
            LinkRuntime runtime = links.get(cluster);
            MqttMessage m = message;
            if (runtime != null && m != null) {
                runtime.forwarder.forward(m);
            }
        }
    }

    private final EngineContext ctx;
    private final LocalBroker broker;
    private final Duration resyncInterval;
    private final @Nullable ExecutorService ownedExecutor;
    private final LocalRoutes localRoutes;
    private final RouteReceiver routeReceiver;
    private final ForwardedReceiver forwardedReceiver;
    private final Map<String, LinkRuntime> links = new ConcurrentHashMap<>();
    private final Map<String, Long> disabledSince = new ConcurrentHashMap<>();
    private final List<LinkStateListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ForwardingSink> sinks = ThreadLocal.withInitial(ForwardingSink::new);
    private final Executor resyncExecutor;
    private final Hooks hooks = new Hooks();
    private final Object lifecycle = new Object();
    private @Nullable Cancellable resyncTimer;
    private volatile boolean started;
    private volatile boolean closed;

    private ClusterLink(Builder b, EngineContext ctx, @Nullable ExecutorService ownedExecutor) {
        this.ctx = ctx;
        this.broker = Objects.requireNonNull(b.broker);
        this.resyncInterval = b.resyncInterval;
        this.ownedExecutor = ownedExecutor;
        this.localRoutes = new LocalRoutes(new LocalRoutes.Listener() {
            @Override
            public void routeAdded(Subscription route) {
                for (LinkRuntime r : links.values()) {
                    r.sender.routeAdded(route);
                }
            }

            @Override
            public void routeRemoved(Subscription route) {
                for (LinkRuntime r : links.values()) {
                    r.sender.routeRemoved(route);
                }
            }
        });
        this.routeReceiver = new RouteReceiver(ctx);
        this.forwardedReceiver = new ForwardedReceiver(ctx);
        this.resyncExecutor = ctx.newSerialExecutor();
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Attaches the hooks to the broker ({@link LocalBroker#attach}), reads the broker's subscriptions, starts the
     * receivers and every enabled link, and schedules the periodic resync.
     *
     * <p>Thread: any. Blocking: reads the broker's subscription snapshot on the calling thread. A failing snapshot
     * is logged and retried by the periodic resync; it does not stop the start.
     *
     * @throws IllegalStateException if already started or closed
     * @since 0.1.0
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("cluster link " + ctx.localCluster() + " is closed");
            }
            if (started) {
                throw new IllegalStateException("cluster link " + ctx.localCluster() + " is already started");
            }
            started = true;
            broker.attach(hooks);
            resync();
            routeReceiver.start();
            long now = ctx.ticker().wallClockMillis();
            for (LinkConfig link : ctx.config().links()) {
                if (link.enable()) {
                    startLink(link);
                } else {
                    disabledSince.put(link.name(), now);
                }
            }
            scheduleResync();
            LOG.info("[{}] cluster link started with {} link(s), {} enabled", ctx.localCluster(),
                    ctx.config().links().size(), links.size());
        }
    }

    /**
     * What the broker adapter calls: subscriptions, session ends, local publishes, inbound {@code $LINK/...}
     * publishes and connection closes.
     *
     * @return the hooks, the same instance on every call
     * @since 0.1.0
     */
    public ClusterLinkHooks hooks() {
        return hooks;
    }

    /**
     * Applies a new configuration: links added and enabled start; links removed or disabled stop, and the routes
     * their remote cluster replicated here are dropped at once (its inbound connections are closed); links whose
     * configuration changed restart with a new incarnation, so the remote rebuilds their routes. Forwarded messages
     * are filtered by the new {@code topics} from this call on.
     *
     * @param newConfig the new configuration; its cluster name must equal the current one
     * @throws IllegalArgumentException if the cluster name differs, or the transport rejects a link's connection
     *     settings; nothing changes then
     * @since 0.1.0
     */
    public void updateConfig(ClusterLinkConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        synchronized (lifecycle) {
            ClusterLinkConfig old = ctx.config();
            if (!old.name().equals(newConfig.name())) {
                throw new IllegalArgumentException("cluster.name cannot change at run time: '" + old.name()
                        + "' -> '" + newConfig.name() + "'; restart the broker instead");
            }
            validateTransport(ctx.transport(), newConfig);
            ctx.setConfig(newConfig);
            if (!started || closed) {
                return;
            }
            long now = ctx.ticker().wallClockMillis();
            Map<String, LinkConfig> wanted = new LinkedHashMap<>();
            for (LinkConfig link : newConfig.links()) {
                wanted.put(link.name(), link);
            }
            for (String name : new ArrayList<>(links.keySet())) {
                LinkConfig next = wanted.get(name);
                LinkRuntime running = links.get(name);
                if (next == null || !next.enable()) {
                    stopLink(name);
                    routeReceiver.clusterUnlinked(name);
                    if (next != null) {
                        disabledSince.put(name, now);
                    }
                } else if (!next.equals(running.config)) {
                    stopLink(name);
                    startLink(next);
                }
            }
            for (LinkConfig link : newConfig.links()) {
                if (!link.enable()) {
                    disabledSince.putIfAbsent(link.name(), now);
                    routeReceiver.clusterUnlinked(link.name());
                } else if (!links.containsKey(link.name())) {
                    disabledSince.remove(link.name());
                    startLink(link);
                }
            }
            disabledSince.keySet().removeIf(name -> !wanted.containsKey(name));
            for (LinkConfig link : old.links()) {
                if (!wanted.containsKey(link.name())) {
                    routeReceiver.clusterUnlinked(link.name());
                }
            }
        }
    }

    /**
     * The configuration in force: the one built with, or the last one {@link #updateConfig} applied.
     *
     * @return the configuration
     * @since 0.1.0
     */
    public ClusterLinkConfig config() {
        return ctx.config();
    }

    /**
     * This broker node's name (see {@link Builder#nodeName}), as a management API reports the node.
     *
     * @return the node name
     * @since 0.1.0
     */
    public String nodeName() {
        return ctx.nodeName();
    }

    /**
     * The status of every configured link, in configuration order.
     *
     * @return one status per link
     * @since 0.1.0
     */
    public List<LinkStatus> status() {
        List<LinkStatus> out = new ArrayList<>();
        for (LinkConfig link : ctx.config().links()) {
            status(link.name()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The status of one link.
     *
     * @param link the link's name (the remote cluster's name)
     * @return the status, or empty if no such link is configured
     * @since 0.1.0
     */
    public Optional<LinkStatus> status(String link) {
        Objects.requireNonNull(link, "link");
        if (ctx.link(link).isEmpty()) {
            return Optional.empty();
        }
        LinkRuntime r = links.get(link);
        if (r == null) {
            return Optional.of(LinkStatus.disabled(link, disabledSince.getOrDefault(link, 0L)));
        }
        return Optional.of(new LinkStatus(link, true, List.of(r.sender.status()), r.forwarder.status(),
                r.forwarder.lastDisconnectReason().orElse(null), r.sinceMillis));
    }

    /**
     * The counters and gauges of one link on this node.
     *
     * @param link the link's name
     * @return the metrics, or empty if no such link is configured
     * @since 0.1.0
     */
    public Optional<LinkMetrics> metrics(String link) {
        Objects.requireNonNull(link, "link");
        if (ctx.link(link).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ctx.counters(link).snapshot(routeReceiver.routeCount(link)));
    }

    /**
     * The routes the remote cluster of {@code link} replicated into this cluster: what this node forwards there.
     * Route ids are opaque bytes on the wire; each is given in the escaped text form {@link RemoteRoute} documents.
     *
     * @param link the link's name (the remote cluster's name)
     * @return the routes, empty if there are none or no such link
     * @since 0.1.0
     */
    public Set<RemoteRoute> remoteRoutes(String link) {
        Objects.requireNonNull(link, "link");
        return routeReceiver.routes(link);
    }

    /**
     * Registers a listener for actor state changes of every link (see {@link LinkStateListener} for its contract).
     *
     * @param listener the listener
     * @since 0.1.0
     */
    public void addStateListener(LinkStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops every link and the receivers, detaches from the broker, and releases owned threads. Idempotent.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (resyncTimer != null) {
                resyncTimer.cancel();
            }
            for (String name : new ArrayList<>(links.keySet())) {
                stopLink(name);
            }
            routeReceiver.stop();
            if (started) {
                try {
                    broker.detach();
                } catch (RuntimeException e) {
                    LOG.warn("[{}] LocalBroker.detach threw; ignored", ctx.localCluster(), e);
                }
            }
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
        }
    }

    /**
     * Checks every link's connection settings with the transport (TLS files readable and matching, and so on), so
     * that mistakes surface when the configuration is applied, not at the first reconnect.
     */
    private static void validateTransport(LinkTransport transport, ClusterLinkConfig config) {
        for (LinkConfig link : config.links()) {
            try {
                transport.validate(LinkConnections.options(link, config.clientIdOf(link)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("link " + link.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private void startLink(LinkConfig link) {
        ActorSender sender = new ActorSender(ctx, link, localRoutes::routes, this::notifyListeners);
        Forwarder forwarder = new Forwarder(ctx, link, status -> { });
        LinkRuntime runtime = new LinkRuntime(link, sender, forwarder, ctx.ticker().wallClockMillis());
        links.put(link.name(), runtime);
        try {
            forwarder.start();
            sender.start();
        } catch (RuntimeException e) {
            // Settings were validated when the configuration was applied; a failure here (a TLS file deleted
            // since, say) must not take the other links down. The actor retries and reports it in its status.
            LOG.error("[{}] link failed to start", link.name(), e);
        }
    }

    private void stopLink(String name) {
        LinkRuntime r = links.remove(name);
        if (r != null) {
            r.sender.stop();
            r.forwarder.stop();
        }
    }

    private void notifyListeners(LinkStateChange change) {
        for (LinkStateListener l : listeners) {
            try {
                l.onStateChange(change);
            } catch (RuntimeException e) {
                LOG.warn("[{}] state listener threw; ignored", change.linkName(), e);
            }
        }
    }

    private void scheduleResync() {
        if (closed) {
            return;
        }
        resyncTimer = ctx.scheduler().schedule(() -> resyncExecutor.execute(() -> {
            synchronized (lifecycle) {
                if (closed) {
                    return;
                }
            }
            resync();
            synchronized (lifecycle) {
                scheduleResync();
            }
        }), resyncInterval);
    }

    /**
     * Replaces the event-built local routes with the broker's snapshot: events are hints, and brokers drop sessions
     * without telling anyone.
     */
    private void resync() {
        long token = localRoutes.beginResync();
        Map<String, List<Subscription>> snapshot = new HashMap<>();
        try {
            ctx.broker().forEachSubscription((LocalSubscription s) -> {
                Subscription parsed = parseRoute(s.clientId(), s.subscription());
                if (parsed != null) {
                    snapshot.computeIfAbsent(s.clientId(), id -> new ArrayList<>()).add(parsed);
                }
            });
        } catch (RuntimeException e) {
            localRoutes.abortResync();
            LOG.warn("[{}] subscription snapshot failed; keeping event-built routes until the next resync",
                    ctx.localCluster(), e);
            return;
        }
        LocalRoutes.ResyncResult r = localRoutes.applyResync(token, snapshot);
        if (r.added() > 0 || r.removed() > 0) {
            LOG.info("[{}] resync corrected local routes: {} added, {} removed ({} -> {})", ctx.localCluster(),
                    r.added(), r.removed(), r.routesBefore(), r.routesAfter());
        }
    }

    /** Parses a broker subscription into a local route, or null for link topics and invalid input. */
    private @Nullable Subscription parseRoute(String clientId, String subscription) {
        if (subscription.startsWith(ClusterLinkHooks.LINK_TOPIC_PREFIX)) {
            // The link's own response subscriptions are protocol plumbing, never routes.
            return null;
        }
        try {
            return Subscription.parse(subscription);
        } catch (InvalidTopicException e) {
            LOG.debug("[{}] ignoring invalid subscription of {}: {}", ctx.localCluster(), clientId, e.getMessage());
            return null;
        }
    }

    /** The hooks the broker calls. Every entry point is guarded: clink's failures never reach the broker. */
    private final class Hooks implements ClusterLinkHooks {

        @Override
        public void onSubscribe(String clientId, String subscription) {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(subscription, "subscription");
            if (!started || closed) {
                return;
            }
            Subscription route = parseRoute(clientId, subscription);
            if (route != null) {
                localRoutes.subscribe(clientId, route);
            }
        }

        @Override
        public void onUnsubscribe(String clientId, String subscription) {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(subscription, "subscription");
            if (!started || closed) {
                return;
            }
            Subscription route = parseRoute(clientId, subscription);
            if (route != null) {
                localRoutes.unsubscribe(clientId, route);
            }
        }

        @Override
        public void onSessionEnd(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (!started || closed) {
                return;
            }
            localRoutes.sessionEnd(clientId);
        }

        @Override
        public void onPublish(MqttMessage message) {
            Objects.requireNonNull(message, "message");
            if (!started || closed || message.originCluster().isPresent()
                    || ClusterLinkHooks.isLinkTopic(message.topic()) || links.isEmpty()) {
                // A message that came over a link is never forwarded again: no loops, no transitive forwarding.
                return;
            }
            ForwardingSink sink = sinks.get();
            sink.message = message;
            try {
                ctx.routeIndex().match(message.topic(), sink);
            } catch (RuntimeException e) {
                LOG.warn("[{}] forwarding of a publish on '{}' failed", ctx.localCluster(), message.topic(), e);
            } finally {
                sink.message = null;
            }
        }

        @Override
        public int onLinkPublish(
                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(properties, "properties");
            if (!started || closed) {
                return ReasonCodes.UNSPECIFIED_ERROR;
            }
            try {
                if (topic.startsWith(ROUTE_PREFIX)) {
                    String sender = topic.substring(ROUTE_PREFIX.length());
                    if (isClusterName(sender)) {
                        return routeReceiver.onRoutePublish(connection, sender, payload, properties);
                    }
                } else if (topic.startsWith(MSG_PREFIX)) {
                    String sender = topic.substring(MSG_PREFIX.length());
                    if (isClusterName(sender)) {
                        return forwardedReceiver.onMessagePublish(connection, sender, payload);
                    }
                }
                // Acks are published by brokers, never by clients; anything else is not part of the protocol.
                ctx.broker().disconnect(ctx.localCluster(), null, connection, ReasonCodes.NOT_AUTHORIZED,
                        "not a cluster link topic a client may publish to: " + topic);
                return ReasonCodes.NOT_AUTHORIZED;
            } catch (RuntimeException e) {
                LOG.warn("[{}] inbound link publish on '{}' from {} failed", ctx.localCluster(), topic,
                        connection.clientId(), e);
                return ReasonCodes.UNSPECIFIED_ERROR;
            }
        }

        @Override
        public void onConnectionClosed(LinkConnection connection) {
            Objects.requireNonNull(connection, "connection");
            if (!started) {
                return;
            }
            try {
                routeReceiver.onConnectionClosed(connection);
            } catch (RuntimeException e) {
                LOG.warn("[{}] releasing link connection {} failed", ctx.localCluster(), connection.clientId(), e);
            }
        }
    }

    private static boolean isClusterName(String s) {
        return !s.isEmpty() && s.indexOf('/') < 0 && s.indexOf('+') < 0 && s.indexOf('#') < 0;
    }

    /**
     * Builds a {@link ClusterLink}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private @Nullable ClusterLinkConfig config;
        private @Nullable LocalBroker broker;
        private @Nullable LinkTransport transport;
        private @Nullable String nodeName;
        private Ticker ticker = Ticker.system();
        private @Nullable Scheduler scheduler;
        private @Nullable Executor executor;
        private @Nullable IncarnationStore incarnationStore;
        private @Nullable Path dataDirectory;
        private Duration resyncInterval = Duration.ofSeconds(60);
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {}

        /**
         * Sets the configuration (required).
         *
         * @param config the cluster link configuration
         * @return this builder
         */
        public Builder config(ClusterLinkConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the broker adapter (required).
         *
         * @param broker the adapter
         * @return this builder
         */
        public Builder broker(LocalBroker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /**
         * Sets the transport for outbound link connections (required), for example {@code new PahoLinkTransport()}.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(LinkTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets this broker node's name: it makes client ids unique per node ({@code sha8}) and is the default name of
         * the node's route-replication actor, which must differ between the nodes of a cluster. Default:
         * {@code clink@<host name>}.
         *
         * @param nodeName a non-blank name, stable across restarts of this node
         * @return this builder
         */
        public Builder nodeName(String nodeName) {
            Objects.requireNonNull(nodeName, "nodeName");
            if (nodeName.isEmpty() || nodeName.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '+' || c == '#')) {
                // The node name becomes the actor name, a level of the $LINK/cluster/resp/... topic.
                throw new IllegalArgumentException("nodeName must be non-empty without whitespace, control "
                        + "characters, '/', '+' or '#': '" + nodeName + "'");
            }
            this.nodeName = nodeName;
            return this;
        }

        /**
         * Sets the time source (default {@link Ticker#system()}); tests pass a manual one.
         *
         * @param ticker the ticker
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets the timer scheduler (default {@link Scheduler#system()}).
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the executor that runs link work (default: an owned pool of daemon threads, shut down by {@link
         * #close()}). Each link runs serially on top of it.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets where actor incarnations are remembered (default: a file under {@link #dataDirectory}).
         *
         * @param store the store
         * @return this builder
         */
        public Builder incarnationStore(IncarnationStore store) {
            this.incarnationStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the directory for clink's small persistent state (default: {@code clink-<cluster>} under the system
         * temporary directory; brokers should pass their own data directory).
         *
         * @param dir the directory; created on demand
         * @return this builder
         */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Sets how often the broker's subscription snapshot corrects the event-built local routes (default 60 s).
         *
         * @param interval at least one second
         * @return this builder
         */
        public Builder resyncInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("resyncInterval must be at least 1s: " + interval);
            }
            this.resyncInterval = interval;
            return this;
        }

        /**
         * Sets the random source for backoff jitter and request ids (default {@link ThreadLocalRandom}).
         *
         * @param random uniform in [0, 1)
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the cluster link (not started).
         *
         * @return the cluster link
         * @throws IllegalStateException if config, broker or transport is missing
         * @throws IllegalArgumentException if the transport rejects a link's connection settings (the message names
         *     the link and the bad value)
         */
        public ClusterLink build() {
            if (config == null) {
                throw new IllegalStateException("config is required");
            }
            if (broker == null) {
                throw new IllegalStateException("broker is required");
            }
            if (transport == null) {
                throw new IllegalStateException("transport is required");
            }
            validateTransport(transport, config);
            String node = nodeName != null ? nodeName : ClusterLinkConfig.defaultNodeName();
            ExecutorService owned = null;
            Executor exec = executor;
            if (exec == null) {
                owned = Executors.newCachedThreadPool(
                        new ThreadFactoryBuilder().setNameFormat("clink-link-%d").setDaemon(true).build());
                exec = owned;
            }
            IncarnationStore store = incarnationStore;
            if (store == null) {
                Path dir = dataDirectory != null ? dataDirectory
                        : Path.of(System.getProperty("java.io.tmpdir"), "clink-" + config.name());
                store = new FileIncarnationStore(dir.resolve("incarnations.properties"));
            }
            EngineContext ctx = new EngineContext(config, new GuardedBroker(broker), transport, ticker,
                    scheduler != null ? scheduler : Scheduler.system(), exec, store, node, random,
                    EtfLimits.defaults());
            return new ClusterLink(this, ctx, owned);
        }
    }
}
