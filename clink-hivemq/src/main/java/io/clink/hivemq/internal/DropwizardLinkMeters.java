package io.clink.hivemq.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.clink.api.config.LinkConfig;
import io.clink.core.ClusterLink;
import io.clink.core.LinkMeters;
import io.clink.core.LinkRate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link LinkMeters} in HiveMQ's metric registry (a Dropwizard {@link MetricRegistry}), so HiveMQ's own metric
 * reporters (JMX, its Prometheus extension) show clink's meters next to HiveMQ's. Dropwizard has no tags: the link
 * and any meter tag go into the name, {@code clink.link.<link>.forwarding.success}, {@code
 * clink.link.<link>.route.actor.state.online}; every meter is a {@link Gauge} of a number (counters too: Dropwizard
 * counters cannot be set to a value read elsewhere).
 *
 * <p>Concurrency: {@link #sync()} and {@link #close()} are synchronized; the owner calls {@link #sync()} after the
 * start and periodically, so links added or removed at run time get or lose their meters. Gauges read the engine's
 * thread-safe snapshots when a reporter asks.
 */
public final class DropwizardLinkMeters implements AutoCloseable {

    /** The prefix of every name. */
    public static final String PREFIX = "clink.link.";

    private final MetricRegistry registry;
    private final Supplier<Set<String>> links;
    private final Function<String, Optional<LinkMeters.Sample>> sample;
    private final Map<String, List<String>> registered = new HashMap<>();

    /**
     * @param registry where to register
     * @param links the configured links' names, read at each {@link #sync()}
     * @param sample one link's current sample, empty if it is gone
     */
    public DropwizardLinkMeters(
            MetricRegistry registry,
            Supplier<Set<String>> links,
            Function<String, Optional<LinkMeters.Sample>> sample) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.links = Objects.requireNonNull(links, "links");
        this.sample = Objects.requireNonNull(sample, "sample");
    }

    /**
     * The meters of a running engine's links.
     *
     * @param registry HiveMQ's registry
     * @param link the engine
     * @return the meters; call {@link #sync()} to register them
     */
    public static DropwizardLinkMeters of(MetricRegistry registry, ClusterLink link) {
        return new DropwizardLinkMeters(
                registry,
                () -> link.config().links().stream().map(LinkConfig::name).collect(Collectors.toSet()),
                name -> link.status(name)
                        .flatMap(status -> link.metrics(name)
                                .map(metrics -> new LinkMeters.Sample(
                                        status, metrics, link.rate(name).orElse(LinkRate.ZERO)))));
    }

    /**
     * The Dropwizard name of one meter of one link.
     *
     * @param link the link's name
     * @param meter the meter
     * @return {@code clink.link.<link>.<name without "clink.">[.<tag values, sorted by tag name>]}
     */
    public static String name(String link, LinkMeters.Meter meter) {
        StringBuilder b = new StringBuilder(PREFIX).append(link).append('.');
        b.append(meter.name().substring("clink.".length()));
        new TreeMap<>(meter.tags()).values().forEach(v -> b.append('.').append(v));
        return b.toString();
    }

    /** Registers the meters of links added since the last call and removes those of links removed. */
    public synchronized void sync() {
        Set<String> now = links.get();
        for (String gone : new ArrayList<>(registered.keySet())) {
            if (!now.contains(gone)) {
                registered.remove(gone).forEach(registry::remove);
            }
        }
        for (String name : now) {
            registered.computeIfAbsent(name, this::register);
        }
    }

    private List<String> register(String link) {
        List<String> names = new ArrayList<>();
        for (LinkMeters.Meter m : LinkMeters.all()) {
            String n = name(link, m);
            // Another extension (or a previous start of this one) may have left a metric of this name.
            registry.remove(n);
            registry.register(n, (Gauge<Double>) () ->
                    sample.apply(link).map(s -> m.value().applyAsDouble(s)).orElse(0.0));
            names.add(n);
        }
        return names;
    }

    @Override
    public synchronized void close() {
        registered.values().forEach(names -> names.forEach(registry::remove));
        registered.clear();
    }
}
