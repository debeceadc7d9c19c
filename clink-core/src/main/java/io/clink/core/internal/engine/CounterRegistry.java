package io.clink.core.internal.engine;

import io.clink.api.config.ClusterLinkConfig;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The {@link LinkCounters} of every link on this node, plus one shared bucket for traffic that names a cluster with
 * no link here.
 *
 * <p>Invariant: the map only ever holds names of links that were configured when first charged, so a peer inventing
 * cluster names cannot grow it. A link's counters are kept for the engine's lifetime, across its config changes.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently; none blocks.
 */
public final class CounterRegistry {

    private final Supplier<ClusterLinkConfig> config;
    private final ConcurrentMap<String, LinkCounters> counters = new ConcurrentHashMap<>();
    private final LinkCounters unlinkedCounters = new LinkCounters();

    /**
     * @param config the configuration in force, read on every {@link #countersOf} call
     */
    public CounterRegistry(Supplier<ClusterLinkConfig> config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The counters to charge for traffic that names {@code cluster}: that link's own when such a link is configured
     * now, else {@link #unlinkedCounters()}.
     */
    public LinkCounters countersOf(String cluster) {
        return config.get().link(cluster).isPresent() ? counters(cluster) : unlinkedCounters;
    }

    /** The shared bucket of {@link #countersOf} for clusters with no link here. */
    public LinkCounters unlinkedCounters() {
        return unlinkedCounters;
    }

    /** The counters of a configured link, created on first use. */
    public LinkCounters counters(String link) {
        return counters.computeIfAbsent(link, name -> new LinkCounters());
    }
}
