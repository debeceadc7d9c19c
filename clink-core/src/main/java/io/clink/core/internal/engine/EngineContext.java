package io.clink.core.internal.engine;

import com.google.common.util.concurrent.MoreExecutors;
import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.route.RouteIndex;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;

/**
 * What every engine component shares: the current configuration, the broker, the transport, injected time and
 * execution, the incarnation store, this node's identity, the remote route index and per-link counters.
 *
 * <p>Concurrency: the configuration is a volatile immutable snapshot replaced as a whole by {@link #setConfig};
 * everything else is fixed at construction or thread-safe itself. Components read {@link #config()} each time they
 * need it, so filters (for example the receiver's check of a forwarded message against the link's <em>current</em>
 * topics) follow configuration changes at once.
 */
public final class EngineContext {

    private volatile ClusterLinkConfig config;
    private final GuardedBroker broker;
    private final LinkTransport transport;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Executor executor;
    private final IncarnationStore incarnations;
    private final String nodeName;
    private final DoubleSupplier random;
    private final EtfLimits etfLimits;
    private final RouteIndex routeIndex = new RouteIndex();
    private final ConcurrentMap<String, LinkCounters> counters = new ConcurrentHashMap<>();
    private final LinkCounters unlinkedCounters = new LinkCounters();

    /**
     * @param config initial configuration
     * @param broker the broker adapter, guarded here
     * @param transport opens link connections
     * @param ticker time source for every timer and deadline
     * @param scheduler fires timers; tasks only hand work to serial executors
     * @param executor runs link work; wrapped in a serial executor per component
     * @param incarnations remembers actor incarnations across restarts
     * @param nodeName this broker node's name: the {@code sha8} of client ids and the default actor name
     * @param random uniform source in [0, 1) for backoff jitter and request ids
     * @param etfLimits decoder bounds for every inbound payload
     */
    public EngineContext(
            ClusterLinkConfig config,
            GuardedBroker broker,
            LinkTransport transport,
            Ticker ticker,
            Scheduler scheduler,
            Executor executor,
            IncarnationStore incarnations,
            String nodeName,
            DoubleSupplier random,
            EtfLimits etfLimits) {
        this.config = Objects.requireNonNull(config, "config");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.incarnations = Objects.requireNonNull(incarnations, "incarnations");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.random = Objects.requireNonNull(random, "random");
        this.etfLimits = Objects.requireNonNull(etfLimits, "etfLimits");
    }

    public ClusterLinkConfig config() {
        return config;
    }

    public void setConfig(ClusterLinkConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** This cluster's name ({@code cluster.name}). */
    public String localCluster() {
        return config.name();
    }

    /** The current configuration of the link to {@code remoteCluster}, if any (enabled or not). */
    public Optional<LinkConfig> link(String remoteCluster) {
        return config.link(remoteCluster);
    }

    public GuardedBroker broker() {
        return broker;
    }

    public LinkTransport transport() {
        return transport;
    }

    public Ticker ticker() {
        return ticker;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** A new serial executor over the shared executor: tasks run one at a time, in submission order. */
    public Executor newSerialExecutor() {
        return MoreExecutors.newSequentialExecutor(executor);
    }

    public IncarnationStore incarnations() {
        return incarnations;
    }

    public String nodeName() {
        return nodeName;
    }

    public DoubleSupplier random() {
        return random;
    }

    public EtfLimits etfLimits() {
        return etfLimits;
    }

    /** Routes remote clusters replicated into this cluster; written only by the receiver. */
    public RouteIndex routeIndex() {
        return routeIndex;
    }

    /**
     * The counters to charge for traffic that names {@code cluster}: that link's own when such a link is configured,
     * else one shared bucket, so a peer inventing cluster names cannot grow the counters map without bound.
     */
    public LinkCounters countersOf(String cluster) {
        return config.link(cluster).isPresent() ? counters(cluster) : unlinkedCounters;
    }

    /** The shared bucket of {@link #countersOf} for clusters with no link here. */
    public LinkCounters unlinkedCounters() {
        return unlinkedCounters;
    }

    /** The counters of a configured link, created on first use and kept for the engine's lifetime. */
    public LinkCounters counters(String link) {
        return counters.computeIfAbsent(link, name -> new LinkCounters());
    }
}
