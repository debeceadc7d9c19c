package io.clink.hivemq;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.services.Services;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.ClusterLink;
import io.clink.hivemq.internal.DropwizardLinkMeters;
import io.clink.paho.PahoLinkTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The link engine as HiveMQ's extension runs it: a {@link ClusterLink} over {@link HiveMqLocalBroker} with the Paho
 * transport, its incarnation store under {@code <HiveMQ data folder>/clink} unless the embedder chooses another.
 *
 * @since 0.1.0
 */
public final class HiveMqEngineStarters {

    private HiveMqEngineStarters() {}

    /**
     * An engine starter for a cluster link configuration.
     *
     * @param config the configuration, not null
     * @return a starter that builds and starts the engine, and whose result closes the engine and its transport
     * @since 0.1.0
     */
    public static EmbeddedExtensionMain.EngineStarter starter(ClusterLinkConfig config) {
        Objects.requireNonNull(config, "config");
        return (broker, context) ->
                start(config, broker, context.hivemqDataFolder().resolve("clink"), link -> {}, true);
    }

    /** The drop-in's starter: HiveMQ's data folder, meters in HiveMQ's registry, and the engine handed to {@code started}. */
    static EmbeddedExtensionMain.EngineStarter dropIn(ClusterLinkConfig config, Consumer<? super ClusterLink> started) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(started, "started");
        return (broker, context) ->
                start(config, broker, context.hivemqDataFolder().resolve("clink"), started, true);
    }

    /**
     * An engine starter for an embedding broker that chooses where clink keeps its state and wants the running
     * engine, for example to serve its status.
     *
     * @param config the configuration, not null
     * @param dataDirectory where the incarnation store lives, not null; created on demand
     * @param started called once with the started engine, on HiveMQ's extension start thread, before the starter
     *     returns; not null
     * @return a starter that builds and starts the engine, and whose result closes the engine and its transport
     * @since 0.1.0
     */
    public static EmbeddedExtensionMain.EngineStarter starter(
            ClusterLinkConfig config, Path dataDirectory, Consumer<? super ClusterLink> started) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(started, "started");
        return (broker, context) -> start(config, broker, dataDirectory, started, false);
    }

    private static AutoCloseable start(
            ClusterLinkConfig config,
            HiveMqLocalBroker broker,
            Path dataDirectory,
            Consumer<? super ClusterLink> started,
            boolean hivemqMetrics) {
        PahoLinkTransport transport = new PahoLinkTransport();
        ClusterLink link;
        try {
            link = ClusterLink.builder()
                    .config(config)
                    .broker(broker)
                    .transport(transport)
                    .dataDirectory(dataDirectory)
                    .build();
            link.start();
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        // The drop-in shows the link meters in HiveMQ's registry; an embedder (clink-broker) exports its own.
        AutoCloseable meters = hivemqMetrics ? registerMeters(link) : () -> {};
        AutoCloseable stop = () -> {
            try {
                meters.close();
                link.close();
            } finally {
                transport.close();
            }
        };
        try {
            started.accept(link);
        } catch (RuntimeException e) {
            try {
                stop.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return stop;
    }

    /** How often links added or removed at run time get or lose their HiveMQ meters. */
    static final Duration METER_SYNC_INTERVAL = Duration.ofSeconds(10);

    /** The node's dropped deliveries ({@link ClusterLink#droppedDeliveries()}) in HiveMQ's metric registry. */
    static final String DELIVERY_DROPPED = "clink.delivery.dropped";

    private static AutoCloseable registerMeters(ClusterLink link) {
        MetricRegistry registry = Services.metricRegistry();
        DropwizardLinkMeters meters = DropwizardLinkMeters.of(registry, link);
        meters.sync();
        // HiveMQ's own com.hivemq.messages.dropped.count also counts the $LINK publishes clink consumed; this does not.
        registry.remove(DELIVERY_DROPPED);
        registry.register(
                DELIVERY_DROPPED, (Gauge<Long>) () -> link.droppedDeliveries().orElse(0));
        ScheduledFuture<?> sync = Services.extensionExecutorService()
                .scheduleWithFixedDelay(
                        meters::sync,
                        METER_SYNC_INTERVAL.toMillis(),
                        METER_SYNC_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
        return () -> {
            sync.cancel(false);
            meters.close();
            registry.remove(DELIVERY_DROPPED);
        };
    }
}
