package io.clink.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigDocument;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.config.ConfigSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-in HiveMQ extension (the class HiveMQ loads from {@code extensions/clink-hivemq/}): reads {@code
 * conf/cluster-link.conf} in the extension folder and runs the cluster link it describes.
 *
 * <pre>
 * cluster { name = "cluster-us-east", links = [ { name = "cluster-eu-west", server = "eu.example.net:11883",
 *                                                  clientid = "clink-us-east", topics = ["#"] } ] }
 * hivemq { link_listener = "clink" }    # the config.xml listener name of link connections (default "clink")
 * # or several, for example a tcp-listener and a tls-tcp-listener:  hivemq { link_listeners = ["clink", "clink-tls"] }
 * </pre>
 *
 * <p>A configuration error prevents the extension's start; HiveMQ logs the message, which names the file, the
 * field and the value.
 *
 * @since 0.1.0
 */
public final class DropInExtensionMain implements ExtensionMain {

    /** The configuration file, relative to the extension's folder. */
    public static final String CONFIG_FILE = "conf/cluster-link.conf";

    /** The default link listener name. */
    public static final String DEFAULT_LINK_LISTENER = "clink";

    private static final Logger LOG = LoggerFactory.getLogger(DropInExtensionMain.class);

    private volatile @Nullable EmbeddedExtensionMain delegate;

    /**
     * Created by HiveMQ.
     *
     * @since 0.1.0
     */
    public DropInExtensionMain() {
        // HiveMQ instantiates the extension; everything happens in extensionStart.
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Path file = input.getExtensionInformation()
                .getExtensionHomeFolder()
                .toPath()
                .resolve(CONFIG_FILE);
        Settings settings;
        try {
            settings = Settings.load(file);
        } catch (ConfigLoadException e) {
            LOG.error("clink: configuration error: {}", e.getMessage());
            output.preventExtensionStartup("clink: configuration error: " + e.getMessage());
            return;
        }
        EmbeddedExtensionMain d = new EmbeddedExtensionMain(
                Set.copyOf(settings.linkListeners()), HiveMqEngineStarters.starter(settings.cluster()), Map.of());
        delegate = d;
        d.extensionStart(input, output);
        LOG.info(
                "clink: cluster {} linked to {} (link listeners {})",
                settings.cluster().name(),
                settings.cluster().enabledLinks().stream()
                        .map(l -> l.name() + "@" + l.server())
                        .toList(),
                settings.linkListeners());
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        EmbeddedExtensionMain d = delegate;
        delegate = null;
        if (d != null) {
            d.extensionStop(input, output);
        }
    }

    /**
     * The extension's configuration file, read.
     *
     * @param cluster the cluster link
     * @param linkListeners the HiveMQ listener names of link connections, at least one
     * @since 0.1.0
     */
    public record Settings(ClusterLinkConfig cluster, List<String> linkListeners) {

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if there is no listener name
         */
        public Settings {
            linkListeners = List.copyOf(linkListeners);
            if (linkListeners.isEmpty()) {
                throw new IllegalArgumentException("at least one link listener is required");
            }
        }

        /**
         * Reads {@code cluster} and {@code hivemq} from a file; other top-level keys are refused.
         *
         * @param file the file
         * @return the settings
         * @throws ConfigLoadException naming the file, the field and the value
         * @since 0.1.0
         */
        public static Settings load(Path file) {
            ConfigDocument doc = ClusterLinkConfigLoader.parseFile(file);
            Path base = ClusterLinkConfigLoader.baseDirectoryOf(file);
            ConfigSection root = doc.root(file.toString(), base, LOG::warn);
            root.checkKeys(Set.of("cluster", "hivemq"), Map.of(), Map.of());
            ClusterLinkConfig cluster = ClusterLinkConfigLoader.fromConfig(doc, file.toString(), base);
            List<String> listeners = List.of(DEFAULT_LINK_LISTENER);
            ConfigSection hivemq = root.section("hivemq").orElse(null);
            if (hivemq != null) {
                hivemq.checkKeys(Set.of("link_listener", "link_listeners"), Map.of(), Map.of());
                if (hivemq.has("link_listener") && hivemq.has("link_listeners")) {
                    throw hivemq.error("link_listeners", "give link_listener or link_listeners, not both");
                }
                if (hivemq.has("link_listener")) {
                    String listener = hivemq.string("link_listener").orElse(DEFAULT_LINK_LISTENER);
                    if (listener.isBlank()) {
                        throw hivemq.error("link_listener", "must name a listener of config.xml");
                    }
                    listeners = List.of(listener);
                }
                if (hivemq.has("link_listeners")) {
                    listeners = hivemq.strings("link_listeners").orElse(List.of());
                    if (listeners.isEmpty()
                            || listeners.stream().anyMatch(String::isBlank)
                            || Set.copyOf(listeners).size() != listeners.size()) {
                        throw hivemq.error("link_listeners", "must name one or more different listeners of config.xml");
                    }
                }
            }
            return new Settings(cluster, listeners);
        }
    }
}
