package io.clink.core.internal.node;

import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.ActorStateChange;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.forward.Forwarder;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.sender.ActorSender;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the {@link LinkRuntime} of one configured link: its route actor and its forwarding pool, each on a serial
 * executor of its own, both charging the link's counters. {@link LinkSupervisor} calls it whenever a link starts or
 * restarts with a new configuration.
 *
 * <p>Thread-safety: {@link #apply} may be called from any thread; it only constructs stopped parts.
 */
public final class LinkRuntimeFactory implements Function<LinkConfig, RunningLink> {

    private final Supplier<ClusterLinkConfig> config;
    private final String nodeName;
    private final LinkTransport transport;
    private final IncarnationStore incarnations;
    private final CounterRegistry counters;
    private final EngineTime time;
    private final SerialExecutors executors;
    private final DoubleSupplier random;
    private final EtfLimits etfLimits;
    private final LocalRoutes localRoutes;
    private final Consumer<ActorStateChange> stateListener;

    /**
     * @param config the configuration in force; the one current when a link is made names its cluster and actor
     * @param nodeName this broker node's name
     * @param transport opens the links' connections
     * @param incarnations gives each actor run a new incarnation
     * @param counters where each link's counters live
     * @param time the engine's clock and scheduler
     * @param executors makes each part's serial executor
     * @param random uniform source in [0, 1) for backoff jitter, request ids and random dispatch
     * @param etfLimits decoder bounds for the peers' replies
     * @param localRoutes the node's local routes, which each actor replicates
     * @param stateListener learns every actor's state changes
     */
    public LinkRuntimeFactory(
            Supplier<ClusterLinkConfig> config,
            String nodeName,
            LinkTransport transport,
            IncarnationStore incarnations,
            CounterRegistry counters,
            EngineTime time,
            SerialExecutors executors,
            DoubleSupplier random,
            EtfLimits etfLimits,
            LocalRoutes localRoutes,
            Consumer<ActorStateChange> stateListener) {
        this.config = Objects.requireNonNull(config, "config");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.incarnations = Objects.requireNonNull(incarnations, "incarnations");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.time = Objects.requireNonNull(time, "time");
        this.executors = Objects.requireNonNull(executors, "executors");
        this.random = Objects.requireNonNull(random, "random");
        this.etfLimits = Objects.requireNonNull(etfLimits, "etfLimits");
        this.localRoutes = Objects.requireNonNull(localRoutes, "localRoutes");
        this.stateListener = Objects.requireNonNull(stateListener, "stateListener");
    }

    /**
     * Makes a stopped link.
     *
     * @param link the link's configuration, not null
     * @return the stopped link
     */
    @Override
    public RunningLink apply(LinkConfig link) {
        ClusterLinkConfig current = config.get();
        LinkCounters linkCounters = counters.counters(link.name());
        ActorSender sender = new ActorSender(
                current,
                link,
                nodeName,
                transport,
                incarnations,
                linkCounters,
                time,
                executors.newSerialExecutor(),
                random,
                etfLimits,
                localRoutes::routes,
                stateListener);
        Forwarder forwarder = new Forwarder(
                current,
                link,
                nodeName,
                transport,
                linkCounters,
                time,
                executors.newSerialExecutor(),
                random,
                status -> {});
        return new LinkRuntime(
                link, localRoutes, sender, forwarder, time.ticker().wallClockMillis());
    }
}
