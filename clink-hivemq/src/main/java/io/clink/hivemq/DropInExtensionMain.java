package io.clink.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.ClusterLink;
import io.clink.core.LinkChanges;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigDocument;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.config.ConfigSection;
import io.clink.hivemq.internal.ConfigFileWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * How often {@value #CONFIG_FILE} is read for changes; a change is applied once two reads in a row agree, so
     * within about two periods of the last write.
     */
    public static final Duration RELOAD_POLL = Duration.ofSeconds(2);

    private volatile @Nullable EmbeddedExtensionMain delegate;
    private volatile @Nullable ScheduledFuture<?> watch;

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
        AtomicReference<ClusterLink> engine = new AtomicReference<>();
        EmbeddedExtensionMain d = new EmbeddedExtensionMain(
                Set.copyOf(settings.linkListeners()),
                HiveMqEngineStarters.dropIn(settings.cluster(), engine::set),
                Map.of());
        delegate = d;
        d.extensionStart(input, output);
        ClusterLink link = engine.get();
        if (link != null) {
            ConfigFileWatch w = new ConfigFileWatch(file, changed -> reload(changed, settings, link));
            watch = Services.extensionExecutorService()
                    .scheduleWithFixedDelay(
                            w::poll, RELOAD_POLL.toMillis(), RELOAD_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
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
        ScheduledFuture<?> w = watch;
        watch = null;
        if (w != null) {
            w.cancel(false);
        }
        EmbeddedExtensionMain d = delegate;
        delegate = null;
        if (d != null) {
            d.extensionStop(input, output);
        }
    }

    /**
     * Applies a changed {@value #CONFIG_FILE} to the running engine: the links added, removed and changed (the others
     * keep running); a change of the link listeners or of the cluster's name needs a restart of the extension and is
     * logged as such. A bad file is refused with the start's error line and changes nothing.
     *
     * @param file the file
     * @param running the settings the extension started with
     * @param link the running engine
     * @return what changed, or empty if the file was refused
     */
    static Optional<LinkChanges> reload(Path file, Settings running, ClusterLink link) {
        Settings fresh;
        try {
            fresh = Settings.load(file);
        } catch (ConfigLoadException e) {
            LOG.error(
                    "clink: configuration error: {} (reload refused: the running links stay as they are)",
                    e.getMessage());
            return Optional.empty();
        }
        List<String> restart = new ArrayList<>();
        if (!fresh.linkListeners().equals(running.linkListeners())) {
            restart.add("hivemq.link_listener(s)");
        }
        if (!fresh.cluster().name().equals(running.cluster().name())) {
            restart.add("cluster.name");
        }
        if (!fresh.cluster().actorName().equals(running.cluster().actorName())) {
            restart.add("cluster.actor_name");
        }
        if (!restart.isEmpty()) {
            LOG.warn(
                    "clink: {}: {} changed, which needs a restart of the extension; the running values stay",
                    file,
                    String.join(", ", restart));
        }
        try {
            LinkChanges changes = link.replaceLinks(fresh.cluster().links());
            LOG.info("clink: {} reloaded: {}", file, changes.summary());
            return Optional.of(changes);
        } catch (IllegalArgumentException e) {
            LOG.error("clink: {}: reload refused: {}; the running links stay as they are", file, e.getMessage());
            return Optional.empty();
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
