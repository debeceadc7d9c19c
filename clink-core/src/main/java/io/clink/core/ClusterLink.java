package io.clink.core;

import io.clink.api.IncarnationStore;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.InvalidConfigException;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.ActorStateListener;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.api.store.RouteStore;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.LinkClientOptionsFactory;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.metrics.MatchedRates;
import io.clink.core.internal.node.BuilderSeams;
import io.clink.core.internal.node.HookDispatcher;
import io.clink.core.internal.node.LinkSupervisor;
import io.clink.core.internal.node.NodeAssembler;
import io.clink.core.internal.node.NodeParts;
import io.clink.core.internal.node.StateListeners;
import io.clink.core.internal.node.SubscriptionResync;
import io.clink.core.internal.receiver.RouteReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
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
 * <p>Thread-safety: every public method may be called from any thread; {@link #start()}, {@link #updateConfig} and
 * {@link #close()} are serialized with each other. The queries ({@code status}, {@code metrics}, {@code
 * remoteRoutes}, {@code config}, {@code nodeName}) never block. A null argument is refused with a {@link
 * NullPointerException} naming it. {@link #hooks()} follows the contract of {@link ClusterLinkHooks}: non-blocking,
 * never throws on valid input.
 *
 * <p>This class is the facade and the lifecycle (the order in which the parts start and stop, under one lock);
 * the work is done by parts in {@code io.clink.core.internal.node}: hook dispatch, link supervision, the periodic
 * subscription resync and state-listener fan-out. The builder only collects settings; the checks and the wiring of
 * the parts are the node assembler's.
 *
 * @since 0.1.0
 */
public final class ClusterLink implements AutoCloseable {

    /**
     * The largest {@code $LINK/...} payload the engine decodes: 16 MiB, EMQX's default maximum packet size. Bigger
     * payloads are refused as protocol errors. An adapter should let MQTT packets of this size plus their topic and
     * properties through on its link listener, and may refuse bigger ones at the packet layer, before reading them.
     *
     * @since 0.1.0
     */
    public static final int MAX_LINK_PAYLOAD_BYTES = EtfLimits.DEFAULT_MAX_PAYLOAD_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    static {
        BuilderSeams.register(Builder.class, (b, random) -> b.parts.random(random));
    }

    private final LiveConfig config;
    private final String nodeName;
    private final LinkTransport transport;
    private final LocalBroker broker;
    private final @Nullable ExecutorService ownedExecutor;
    private final CounterRegistry counters;
    private final RouteReceiver routeReceiver;
    private final StateListeners listeners;
    private final LinkSupervisor links;
    private final SubscriptionResync resync;
    private final HookDispatcher hooks;
    private final MatchedRates rates;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    private ClusterLink(NodeParts parts) {
        this.config = parts.config();
        this.nodeName = parts.nodeName();
        this.transport = parts.transport();
        this.broker = parts.broker();
        this.ownedExecutor = parts.ownedExecutor();
        this.counters = parts.counters();
        this.routeReceiver = parts.routeReceiver();
        this.listeners = parts.listeners();
        this.links = parts.links();
        this.resync = parts.resync();
        this.hooks = parts.hooks();
        this.rates = new MatchedRates(
                parts.scheduler(),
                () -> config.get().links().stream().map(LinkConfig::name).collect(Collectors.toSet()),
                name -> counters.counters(name).snapshot(0).matched());
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
                throw new IllegalStateException("cluster link " + config.get().name() + " is closed");
            }
            if (started) {
                throw new IllegalStateException("cluster link " + config.get().name() + " is already started");
            }
            started = true;
            hooks.activate();
            broker.attach(hooks);
            resync.resyncNow();
            routeReceiver.start();
            links.start(config.get());
            resync.start();
            rates.start();
            LOG.info(
                    "[{}] cluster link started with {} link(s), {} enabled",
                    config.get().name(),
                    config.get().links().size(),
                    links.runningCount());
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
     * Replaces the list of links, keeping the cluster's name and actor name, and applies only what changed through
     * {@link #updateConfig}: the links that compare equal keep running undisturbed. What a configuration reload
     * calls.
     *
     * <p>Thread: any; concurrent calls to this and {@link #updateConfig} must be serialised by the caller (the last
     * one wins). Blocking: as {@link #updateConfig}.
     *
     * @param links the new links, not null
     * @return what changed, empty if nothing did (and then nothing was touched)
     * @throws IllegalArgumentException if the links are invalid together (a duplicate name, say), naming the option,
     *     or the transport rejects a link's connection settings; nothing changes then
     * @since 0.1.0
     */
    public LinkChanges replaceLinks(List<LinkConfig> links) {
        Objects.requireNonNull(links, "links");
        ClusterLinkConfig current = config.get();
        LinkChanges changes = LinkChanges.between(current.links(), links);
        if (changes.isEmpty()) {
            return changes;
        }
        ClusterLinkConfig updated;
        try {
            updated = ClusterLinkConfig.builder()
                    .name(current.name())
                    .actorName(current.actorName().orElse(null))
                    .links(links)
                    .build();
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException(e.option() + ": " + e.getMessage(), e);
        }
        updateConfig(updated);
        return changes;
    }

    /**
     * Applies a new configuration: links added and enabled start; links removed or disabled stop, and the routes
     * their remote cluster replicated here are dropped at once (its inbound connections are closed); links whose
     * configuration changed restart with a new incarnation, so the remote rebuilds their routes. Forwarded messages
     * are filtered by the new {@code topics} from this call on. Before {@link #start()} it only replaces the
     * configuration the start will use; after {@link #close()} it changes nothing but {@link #config()}.
     *
     * <p>Thread: any. Blocking: reads the links' TLS files to validate them; stopping a link closes its connections
     * (the transport returns within about a second even on a stalled connect); starting one does not wait for them.
     *
     * @param newConfig the new configuration; its cluster name must equal the current one
     * @throws IllegalArgumentException if the cluster name differs, or the transport rejects a link's connection
     *     settings; nothing changes then
     * @since 0.1.0
     */
    public void updateConfig(ClusterLinkConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        synchronized (lifecycle) {
            ClusterLinkConfig old = config.get();
            if (!old.name().equals(newConfig.name())) {
                throw new IllegalArgumentException("cluster.name cannot change at run time: '" + old.name() + "' -> '"
                        + newConfig.name() + "'; restart the broker instead");
            }
            LinkClientOptionsFactory.validateAll(transport, newConfig);
            // Before the links change: the receivers read the configuration in force, so a handshake racing with
            // the unlinking of a cluster is refused.
            config.set(newConfig);
            if (started && !closed) {
                links.apply(newConfig);
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
        return config.get();
    }

    /**
     * This broker node's name (see {@link Builder#nodeName}), as a management API reports the node.
     *
     * @return the node name
     * @since 0.1.0
     */
    public String nodeName() {
        return nodeName;
    }

    /**
     * The status of every configured link, in configuration order.
     *
     * @return one status per link
     * @since 0.1.0
     */
    public List<LinkStatus> status() {
        List<LinkStatus> out = new ArrayList<>();
        for (LinkConfig link : config.get().links()) {
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
        if (config.get().link(link).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(links.status(link));
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
        if (config.get().link(link).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(counters.counters(link).snapshot(routeReceiver.routeCount(link)));
    }

    /**
     * The rate of one link's {@code matched} counter on this node (EMQX's {@code rate}, {@code rate_max}, {@code
     * rate_last5m}), sampled every {@value LinkRate#SAMPLING_SECONDS} seconds on the engine's scheduler.
     *
     * <p>Thread: any. Non-blocking.
     *
     * @param link the link's name, not null
     * @return the rate ({@link LinkRate#ZERO} before the first sample), or empty if no such link is configured
     * @since 0.1.0
     */
    public Optional<LinkRate> rate(String link) {
        Objects.requireNonNull(link, "link");
        if (config.get().link(link).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rates.rate(link));
    }

    /**
     * How many messages this node's broker dropped on their way to its own subscribers ({@link
     * LocalBroker#droppedDeliveries()}; EMQX's {@code delivery.dropped}). A node figure, not a link's: a broker's
     * client queues hold local and forwarded messages together.
     *
     * <p>Thread: any. Non-blocking (as the adapter promises). An exception from the adapter is logged and answered as
     * unknown.
     *
     * @return the count since the broker started, or empty if the broker cannot tell
     * @since 0.1.0
     */
    public OptionalLong droppedDeliveries() {
        try {
            OptionalLong n = broker.droppedDeliveries();
            return n == null ? OptionalLong.empty() : n;
        } catch (RuntimeException e) {
            LOG.warn(
                    "[{}] LocalBroker.droppedDeliveries threw; reported as unknown",
                    config.get().name(),
                    e);
            return OptionalLong.empty();
        }
    }

    /**
     * Sets the counters of one link on this node to zero, as EMQX's metrics reset does: messages and route
     * operations counted so far are forgotten; the gauges (routes, buffered messages and bytes) keep describing the
     * present.
     *
     * <p>Thread: any. Non-blocking.
     *
     * @param link the link's name, not null
     * @return false if no such link is configured (nothing changes then)
     * @since 0.1.0
     */
    public boolean resetMetrics(String link) {
        Objects.requireNonNull(link, "link");
        if (config.get().link(link).isEmpty()) {
            return false;
        }
        counters.counters(link).resetCounters();
        rates.reset(link);
        return true;
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
     * Registers a listener for actor state changes of every link (see {@link ActorStateListener} for its contract).
     *
     * @param listener the listener
     * @since 0.1.0
     */
    public void addStateListener(ActorStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops every link and the receivers, detaches from the broker, and releases owned threads. Idempotent.
     *
     * <p>Thread: any. Blocking: while the links close their connections (the transport returns within about a second
     * even on a stalled connect) and {@link LocalBroker#detach} runs; an exception thrown by {@code detach} is logged,
     * never propagated.
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
            hooks.deactivate();
            rates.stop();
            resync.stop();
            links.stopAll();
            routeReceiver.stop();
            if (started) {
                try {
                    broker.detach();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "[{}] LocalBroker.detach threw; ignored",
                            config.get().name(),
                            e);
                }
            }
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
        }
    }

    /**
     * Builds a {@link ClusterLink}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        /** Holds and checks what is set, and wires the parts at {@link #build()}. */
        private final NodeAssembler parts = new NodeAssembler();

        private Builder() {}

        /**
         * Sets the configuration (required).
         *
         * @param config the cluster link configuration
         * @return this builder
         */
        public Builder config(ClusterLinkConfig config) {
            parts.config(config);
            return this;
        }

        /**
         * Sets the broker adapter (required).
         *
         * @param broker the adapter
         * @return this builder
         */
        public Builder broker(LocalBroker broker) {
            parts.broker(broker);
            return this;
        }

        /**
         * Sets the transport for outbound link connections (required), for example {@code new PahoLinkTransport()}.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(LinkTransport transport) {
            parts.transport(transport);
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
            parts.nodeName(nodeName);
            return this;
        }

        /**
         * Confines a link user: a connection on the link listener {@code listener} authenticated as {@code username}
         * may publish only to {@code cluster}'s {@code $LINK/cluster/route/<cluster>} and {@code
         * $LINK/cluster/msg/<cluster>}; any other {@code $LINK} publish is refused with 0x87 and the connection closed
         * (through {@link LocalBroker#disconnect}). The engine decides it from the listener and user name the adapter
         * reports in {@link io.clink.api.broker.LinkConnection}, so an adapter need not implement the rule. Users not
         * given here are not confined.
         *
         * @param listener the link listener's name, as the adapter reports it
         * @param username the user name
         * @param cluster the remote cluster it speaks for
         * @return this builder
         * @throws IllegalArgumentException if a value is empty, or the user already speaks for another cluster on
         *     that listener
         */
        public Builder linkUser(String listener, String username, String cluster) {
            parts.linkUser(listener, username, cluster);
            return this;
        }

        /**
         * Sets the time source (default {@link Ticker#system()}); tests pass a manual one.
         *
         * @param ticker the ticker
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            parts.ticker(ticker);
            return this;
        }

        /**
         * Sets the timer scheduler (default {@link Scheduler#system()}).
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            parts.scheduler(scheduler);
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
            parts.executor(executor);
            return this;
        }

        /**
         * Sets where actor incarnations are remembered (default: a file under {@link #dataDirectory}).
         *
         * @param store the store
         * @return this builder
         */
        public Builder incarnationStore(IncarnationStore store) {
            parts.incarnationStore(store);
            return this;
        }

        /**
         * Sets where the receiving side keeps remote actors and the routes they advertise (default: in this process,
         * for a single node). Every broker node of one cluster must be given a store over the same shared data, for
         * example {@code clink-hazelcast}'s, so that routes a remote cluster replicates through one node are matched
         * on all of them (docs/MULTI-NODE.md). The store is the caller's: {@link ClusterLink#close()} ends this
         * node's subscription to it but does not close it.
         *
         * @param store the store
         * @return this builder
         * @since 0.1.0
         */
        public Builder routeStore(RouteStore store) {
            parts.routeStore(store);
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
            parts.dataDirectory(dir);
            return this;
        }

        /**
         * Sets how often the broker's subscription snapshot corrects the event-built local routes (default 60 s).
         *
         * @param interval at least one second
         * @return this builder
         */
        public Builder resyncInterval(Duration interval) {
            parts.resyncInterval(interval);
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
            return new ClusterLink(parts.assemble());
        }
    }
}
