package io.clink.core.internal.node;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.clink.api.IncarnationStore;
import io.clink.api.broker.LocalBroker;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.store.RouteStore;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkClientOptionsFactory;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.forward.ForwardedReceiver;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.receiver.ReceiverTimings;
import io.clink.core.internal.receiver.RouteReceiver;
import io.clink.core.internal.route.RouteIndex;
import io.clink.core.internal.store.FileIncarnationStore;
import io.clink.core.internal.store.InProcessRouteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code ClusterLink.Builder} collects, checked as it is set, and the wiring of a node's parts from it: the
 * builder's public methods delegate here, so the public class holds only its documented surface. Each setter refuses
 * a bad value with the builder's own error (a null one with a {@link NullPointerException} naming the parameter).
 *
 * <p>Not thread-safe, like the builder that owns it.
 */
public final class NodeAssembler {

    private @Nullable ClusterLinkConfig config;
    private @Nullable LocalBroker broker;
    private @Nullable LinkTransport transport;
    private @Nullable String nodeName;
    private final LinkAccess.Users linkUsers = new LinkAccess.Users();
    private Ticker ticker = Ticker.system();
    private @Nullable Scheduler scheduler;
    private @Nullable Executor executor;
    private @Nullable IncarnationStore incarnationStore;
    private @Nullable RouteStore routeStore;
    private @Nullable Path dataDirectory;
    private Duration resyncInterval = Duration.ofSeconds(60);
    /** Only tests replace it, through {@link BuilderSeams#random}. */
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    public void config(ClusterLinkConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public void broker(LocalBroker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    public void transport(LinkTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** @throws IllegalArgumentException if the name is empty or has whitespace, control characters, '/', '+' or '#' */
    public void linkUser(String listener, String username, String cluster) {
        linkUsers.add(listener, username, cluster);
    }

    public void nodeName(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isEmpty() || nodeName.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '+' || c == '#')) {
            // The node name becomes the actor name, a level of the $LINK/cluster/resp/... topic.
            throw new IllegalArgumentException("nodeName must be non-empty without whitespace, control "
                    + "characters, '/', '+' or '#': '" + nodeName + "'");
        }
        this.nodeName = nodeName;
    }

    public void ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    public void scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    public void executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public void incarnationStore(IncarnationStore store) {
        this.incarnationStore = Objects.requireNonNull(store, "store");
    }

    public void routeStore(RouteStore store) {
        this.routeStore = Objects.requireNonNull(store, "store");
    }

    public void dataDirectory(Path dir) {
        this.dataDirectory = Objects.requireNonNull(dir, "dir");
    }

    /** @throws IllegalArgumentException if shorter than one second */
    public void resyncInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("resyncInterval must be at least 1s: " + interval);
        }
        this.resyncInterval = interval;
    }

    /** The random source of backoff jitter and request ids; for {@link BuilderSeams} only. */
    public void random(DoubleSupplier random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Fills in the defaults and wires the parts. Blocking: reads the links' TLS files to validate them.
     *
     * @return the parts, none started
     * @throws IllegalStateException if config, broker or transport is missing
     * @throws IllegalArgumentException if the transport rejects a link's connection settings
     */
    public NodeParts assemble() {
        ClusterLinkConfig initial = config;
        LocalBroker localBroker = broker;
        LinkTransport linkTransport = transport;
        if (initial == null) {
            throw new IllegalStateException("config is required");
        }
        if (localBroker == null) {
            throw new IllegalStateException("broker is required");
        }
        if (linkTransport == null) {
            throw new IllegalStateException("transport is required");
        }
        LinkClientOptionsFactory.validateAll(linkTransport, initial);
        String node = nodeName != null ? nodeName : ClusterLinkConfig.defaultNodeName();
        ExecutorService owned = null;
        Executor pool = executor;
        if (pool == null) {
            owned = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
                    .setNameFormat("clink-link-%d")
                    .setDaemon(true)
                    .build());
            pool = owned;
        }
        IncarnationStore incarnations = incarnationStore;
        if (incarnations == null) {
            Path dir = dataDirectory != null
                    ? dataDirectory
                    : Path.of(System.getProperty("java.io.tmpdir"), "clink-" + initial.name());
            incarnations = new FileIncarnationStore(dir.resolve("incarnations.properties"));
        }
        EngineTime time = new EngineTime(ticker, scheduler != null ? scheduler : Scheduler.system());
        RouteStore routes = routeStore != null ? routeStore : new InProcessRouteStore();
        return wire(initial, localBroker, linkTransport, node, time, pool, owned, incarnations, routes);
    }

    private NodeParts wire(
            ClusterLinkConfig initial,
            LocalBroker localBroker,
            LinkTransport linkTransport,
            String node,
            EngineTime time,
            Executor pool,
            @Nullable ExecutorService owned,
            IncarnationStore incarnations,
            RouteStore routeStore) {
        LiveConfig live = new LiveConfig(initial);
        CounterRegistry counters = new CounterRegistry(live);
        GuardedBroker guarded = new GuardedBroker(localBroker);
        SerialExecutors executors = new SerialExecutors(pool);
        EtfLimits etfLimits = EtfLimits.defaults();
        LocalRoutes localRoutes = new LocalRoutes(localBroker.supportsQueueSubscriptions());
        RouteIndex remoteRoutes = new RouteIndex();
        StateListeners listeners = new StateListeners();
        RouteReceiver routeReceiver = new RouteReceiver(
                live, guarded, routeStore, remoteRoutes, counters, time, executors, etfLimits, ReceiverTimings.EMQX);
        LinkRuntimeFactory linkFactory = new LinkRuntimeFactory(
                live,
                node,
                linkTransport,
                incarnations,
                counters,
                time,
                executors,
                random,
                etfLimits,
                localRoutes,
                listeners);
        LinkSupervisor links = new LinkSupervisor(
                linkFactory, routeReceiver::clusterUnlinked, () -> time.ticker().wallClockMillis());
        SubscriptionResync resync = new SubscriptionResync(
                localRoutes, guarded, initial.name(), time.scheduler(), executors.newSerialExecutor(), resyncInterval);
        HookDispatcher hooks = new HookDispatcher(
                initial.name(),
                localRoutes,
                remoteRoutes,
                links,
                routeReceiver,
                new ForwardedReceiver(live, guarded, counters, time.ticker(), etfLimits),
                guarded,
                linkUsers.build(localBroker.linkListenerNames()));
        return new NodeParts(
                live,
                node,
                linkTransport,
                localBroker,
                owned,
                counters,
                routeReceiver,
                listeners,
                links,
                resync,
                hooks,
                time.scheduler());
    }
}
