package io.clink.hivemq;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.ClusterLink;
import io.clink.paho.PahoLinkTransport;
import java.util.Objects;

/**
 * The link engine as HiveMQ's extension runs it: a {@link ClusterLink} over {@link HiveMqLocalBroker} with the Paho
 * transport, its incarnation store under {@code <HiveMQ data folder>/clink}.
 *
 * @since 0.1.0
 */
public final class ClinkEngine {

    private ClinkEngine() {}

    /**
     * An engine starter for a cluster link configuration.
     *
     * @param config the configuration, not null
     * @return a starter that builds and starts the engine, and whose result closes the engine and its transport
     * @since 0.1.0
     */
    public static ClusterLinkExtensionMain.EngineStarter starter(ClusterLinkConfig config) {
        Objects.requireNonNull(config, "config");
        return (broker, context) -> {
            PahoLinkTransport transport = new PahoLinkTransport();
            ClusterLink link;
            try {
                link = ClusterLink.builder()
                        .config(config)
                        .broker(broker)
                        .transport(transport)
                        .dataDirectory(context.hivemqDataFolder().resolve("clink"))
                        .build();
                link.start();
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
            return () -> {
                try {
                    link.close();
                } finally {
                    transport.close();
                }
            };
        };
    }
}
