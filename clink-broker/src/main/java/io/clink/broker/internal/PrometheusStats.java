package io.clink.broker.internal;

import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.core.ClusterLink;
import io.clink.core.LinkMeters;
import io.clink.core.LinkRate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The Prometheus text that {@code GET /api/v5/prometheus/stats} answers: {@link LinkMeters} for every configured
 * link plus Micrometer's JVM and process binders, in one Micrometer {@link PrometheusMeterRegistry} whose common
 * tags are the cluster's and the node's name.
 *
 * <p>Concurrency: {@link #scrape()} is synchronized. It first reads one snapshot per link (status, metrics,
 * rate) into {@link #samples}, registering the meters of links added since the last scrape and removing those of
 * links removed, then renders; every meter reads the snapshot, so one scrape shows one consistent view of a link.
 */
final class PrometheusStats implements AutoCloseable {

    /** What one scrape answers: the body and its content type. */
    record Rendered(byte[] body, String contentType) {}

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    /** The node's dropped deliveries, {@code clink_delivery_dropped_total} in the text format. */
    static final String DELIVERY_DROPPED = "clink.delivery.dropped";

    private final ClusterLink link;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, LinkMeters.Sample> samples = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> registered = new HashMap<>();
    private final AtomicLong deliveryDropped = new AtomicLong(); // the figure the current scrape read
    private boolean deliveryDroppedRegistered; // guarded by this

    PrometheusStats(ClusterLink link) {
        this.link = Objects.requireNonNull(link, "link");
        registry.config()
                .commonTags(LinkMeters.TAG_CLUSTER, link.config().name(), LinkMeters.TAG_NODE, link.nodeName());
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Refreshes the link snapshots and renders every meter in the format the {@code Accept} header asks for, as
     * Prometheus' own exporters negotiate it: the text format 0.0.4 by default, OpenMetrics text or the protobuf
     * format when asked.
     *
     * @param accept the request's {@code Accept} header, or null
     */
    synchronized Rendered scrape(@Nullable String accept) {
        refresh();
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            registry.scrape(out, writer.getContentType());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return new Rendered(out.toByteArray(), writer.getContentType());
    }

    private void refresh() {
        // A node meter, not a link's: the broker's client queues hold local and forwarded messages together. It is
        // registered once the adapter first reports a figure (an adapter that cannot tell gets no meter at all).
        OptionalLong dropped = link.droppedDeliveries();
        if (dropped.isPresent()) {
            deliveryDropped.set(dropped.getAsLong());
            if (!deliveryDroppedRegistered) {
                FunctionCounter.builder(DELIVERY_DROPPED, deliveryDropped, AtomicLong::doubleValue)
                        .description("Messages this node's broker dropped on their way to its own subscribers (full"
                                + " queue, expiry, too large), local and forwarded alike; EMQX's delivery.dropped")
                        .register(registry);
                deliveryDroppedRegistered = true;
            }
        }
        Set<String> present = new HashSet<>();
        for (LinkConfig l : link.config().links()) {
            String name = l.name();
            LinkStatus status = link.status(name).orElse(null);
            LinkMetrics metrics = link.metrics(name).orElse(null);
            if (status == null || metrics == null) {
                continue; // removed between reading the configuration and now
            }
            present.add(name);
            samples.put(
                    name, new LinkMeters.Sample(status, metrics, link.rate(name).orElse(LinkRate.ZERO)));
            registered.computeIfAbsent(name, this::register);
        }
        for (String gone : new ArrayList<>(registered.keySet())) {
            if (!present.contains(gone)) {
                registered.remove(gone).forEach(registry::remove);
                samples.remove(gone);
            }
        }
    }

    private List<Meter> register(String name) {
        List<Meter> meters = new ArrayList<>();
        for (LinkMeters.Meter m : LinkMeters.all()) {
            Tags tags = Tags.of(LinkMeters.TAG_LINK, name);
            for (Map.Entry<String, String> t : m.tags().entrySet()) {
                tags = tags.and(t.getKey(), t.getValue());
            }
            // Reads the snapshot the current scrape took; 0 once the link is gone (its meters go with it).
            ToDoubleFunction<Map<String, LinkMeters.Sample>> read = s -> {
                LinkMeters.Sample sample = s.get(name);
                return sample == null ? 0 : m.value().applyAsDouble(sample);
            };
            if (m.type() == LinkMeters.Type.COUNTER) {
                meters.add(FunctionCounter.builder(m.name(), samples, read)
                        .description(m.description())
                        .baseUnit(m.baseUnit())
                        .tags(tags)
                        .register(registry));
            } else {
                meters.add(Gauge.builder(m.name(), samples, read)
                        .description(m.description())
                        .baseUnit(m.baseUnit())
                        .tags(tags)
                        .strongReference(true)
                        .register(registry));
            }
        }
        return meters;
    }

    @Override
    public synchronized void close() {
        gc.close();
        registry.close();
    }
}
