package io.clink.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HiveMQ extension that runs clink inside a broker: in {@code extensionStart} it captures the broker's services,
 * installs {@link HiveMqLocalBroker}'s interceptors and starts the engine; in {@code extensionStop} it closes the
 * engine and detaches.
 *
 * <p>Embedders pass an {@link EngineStarter} (for example one that builds a {@code ClusterLink} with the adapter as
 * its broker). A start failure prevents the extension's startup with the failure's message, and HiveMQ logs it.
 *
 * @since 0.1.0
 */
public class EmbeddedExtensionMain implements ExtensionMain {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedExtensionMain.class);

    /**
     * Starts the link engine on a ready adapter.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface EngineStarter {
        /**
         * Starts the engine. Called once, inside {@code extensionStart}, on HiveMQ's extension start thread, after the
         * adapter's interceptors are installed and before the listeners accept clients.
         *
         * @param broker the adapter, interceptors installed, no hooks attached yet
         * @param context where the extension runs
         * @return what {@code extensionStop} closes
         * @throws Exception if the engine cannot start; the extension then does not start
         */
        AutoCloseable start(HiveMqLocalBroker broker, StartContext context) throws Exception;
    }

    /**
     * What an {@link EngineStarter} learns about the extension being started.
     *
     * @param extensionHome the extension's home folder (where {@code conf/} lives)
     * @param hivemqDataFolder the broker's data folder
     * @since 0.1.0
     */
    public record StartContext(java.nio.file.Path extensionHome, java.nio.file.Path hivemqDataFolder) {}

    private final Set<String> linkListenerNames;
    private final EngineStarter starter;
    private final Map<String, List<LinkAuthenticator.LinkUser>> linkUsers;
    private volatile @Nullable HiveMqLocalBroker broker;
    private volatile @Nullable AutoCloseable engine;

    /**
     * An extension for embedding.
     *
     * @param linkListenerName the HiveMQ listener (config.xml {@code <name>}) link connections use, not empty
     * @param starter starts the engine, not null
     * @since 0.1.0
     */
    public EmbeddedExtensionMain(String linkListenerName, EngineStarter starter) {
        this(linkListenerName, starter, List.of());
    }

    /**
     * An extension for embedding that also authenticates link connections (see {@link LinkAuthenticator}: only for
     * a HiveMQ without another authentication extension).
     *
     * @param linkListenerName the HiveMQ listener (config.xml {@code <name>}) link connections use, not empty
     * @param starter starts the engine, not null
     * @param linkUsers the users allowed on the link listener; empty to accept anonymous link connections
     * @since 0.1.0
     */
    public EmbeddedExtensionMain(
            String linkListenerName, EngineStarter starter, List<LinkAuthenticator.LinkUser> linkUsers) {
        this(
                Set.of(Objects.requireNonNull(linkListenerName, "linkListenerName")),
                starter,
                linkUsers.isEmpty() ? Map.of() : Map.of(linkListenerName, linkUsers));
    }

    /**
     * An extension for embedding with several link listeners (for example a plain TCP and a TLS one), each either
     * authenticating link connections against its own users (see {@link LinkAuthenticator}: only for a HiveMQ
     * without another authentication extension) or accepting anonymous link connections.
     *
     * @param linkListenerNames the HiveMQ listeners (config.xml {@code <name>}) link connections use, at least one
     * @param starter starts the engine, not null
     * @param linkUsers for each link listener that authenticates, its users (not empty); a link listener missing
     *     here accepts anonymous link connections
     * @throws IllegalArgumentException if there is no listener name, or users are given for a listener that is not
     *     a link listener
     * @since 0.1.0
     */
    public EmbeddedExtensionMain(
            Set<String> linkListenerNames,
            EngineStarter starter,
            Map<String, List<LinkAuthenticator.LinkUser>> linkUsers) {
        this.linkListenerNames = Set.copyOf(Objects.requireNonNull(linkListenerNames, "linkListenerNames"));
        this.starter = Objects.requireNonNull(starter, "starter");
        if (this.linkListenerNames.isEmpty()) {
            throw new IllegalArgumentException("at least one link listener name is required");
        }
        Map<String, List<LinkAuthenticator.LinkUser>> users = new LinkedHashMap<>();
        linkUsers.forEach((listener, list) -> {
            if (!this.linkListenerNames.contains(listener)) {
                throw new IllegalArgumentException("users given for '" + listener
                        + "', which is not one of the link listeners " + this.linkListenerNames);
            }
            users.put(listener, List.copyOf(list));
        });
        this.linkUsers = Collections.unmodifiableMap(users);
    }

    /**
     * The adapter, once the extension has started.
     *
     * @return the adapter, or empty before {@code extensionStart}
     * @since 0.1.0
     */
    public Optional<HiveMqLocalBroker> broker() {
        return Optional.ofNullable(broker);
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        try {
            HiveMqServices services = HiveMqServices.capture();
            HiveMqLocalBroker b = new HiveMqLocalBroker(services, linkListenerNames);
            b.register();
            if (!linkUsers.isEmpty()) {
                LinkAuthenticator authenticator = new LinkAuthenticator(linkUsers);
                services.securityRegistry().setAuthenticatorProvider(in -> authenticator);
            }
            broker = b;
            StartContext context = new StartContext(
                    input.getExtensionInformation().getExtensionHomeFolder().toPath(),
                    input.getServerInformation().getDataFolder().toPath());
            engine = starter.start(b, context);
        } catch (Exception e) {
            LOG.error("clink cluster link failed to start: {}", e.getMessage(), e);
            output.preventExtensionStartup("clink cluster link failed to start: " + e.getMessage());
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        AutoCloseable e = engine;
        engine = null;
        if (e != null) {
            try {
                e.close();
            } catch (Exception ex) {
                LOG.warn("clink cluster link did not stop cleanly: {}", ex.toString(), ex);
            }
        }
        HiveMqLocalBroker b = broker;
        if (b != null) {
            b.detach();
        }
    }
}
