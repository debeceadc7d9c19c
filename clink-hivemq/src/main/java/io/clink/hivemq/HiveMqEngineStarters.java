package io.clink.hivemq;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.ClusterLink;
import io.clink.paho.PahoLinkTransport;
import java.nio.file.Path;
import java.util.Objects;
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
                start(config, broker, context.hivemqDataFolder().resolve("clink"), link -> {});
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
        return (broker, context) -> start(config, broker, dataDirectory, started);
    }

    private static AutoCloseable start(
            ClusterLinkConfig config,
            HiveMqLocalBroker broker,
            Path dataDirectory,
            Consumer<? super ClusterLink> started) {
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
        AutoCloseable stop = () -> {
            try {
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
}
