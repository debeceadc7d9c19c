package io.clink.broker;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.broker.internal.ApiKeys;
import io.clink.broker.internal.ArtemisHost;
import io.clink.broker.internal.HiveMqConfigXml;
import io.clink.broker.internal.HiveMqHost;
import io.clink.broker.internal.HostedBroker;
import io.clink.broker.internal.KeyStores;
import io.clink.broker.internal.LinkWriteHandler;
import io.clink.broker.internal.ManagementServer;
import io.clink.broker.internal.OverrideFile;
import io.clink.broker.internal.StartChecks;
import io.clink.core.ClusterLink;
import io.clink.core.LinkChanges;
import io.clink.core.config.ConfigLoadException;
import io.clink.hivemq.EmbeddedExtensionMain;
import io.clink.hivemq.HiveMqEngineStarters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running MQTT broker with clink: HiveMQ CE or Apache ActiveMQ Artemis ({@code broker.type}), with an MQTT
 * listener named {@code default}, the link listeners ({@code clink} for plain TCP, {@code clink-ssl} for TLS, either
 * or both) and clink's adapter and engine, plus the read-only management API when enabled. Both brokers get the same
 * listeners, packet and in-flight limits, link user checks, management API and ready line.
 *
 * <p>HiveMQ runs with in-memory persistence; its working files (including the TLS listener's key stores, made from
 * the PEM files) live in a fresh temporary directory readable by the owner only, deleted on {@link #close()}. Artemis
 * keeps its journal under {@code <node.data_dir>/artemis/<cluster>} and its key stores in such a temporary directory.
 * clink's own state (actor incarnations) lives under {@code <node.data_dir>/clink/<cluster>} and survives restarts.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread (a shutdown hook) and more than once.
 *
 * @since 0.1.0
 */
public final class EmbeddedClusterBroker implements AutoCloseable {

    /** The listener (HiveMQ) or acceptor (Artemis) name of the plain TCP link listener. */
    public static final String LINK_LISTENER = "clink";

    /** The listener (HiveMQ) or acceptor (Artemis) name of the TLS link listener. */
    public static final String LINK_TLS_LISTENER = "clink-ssl";

    /**
     * The largest MQTT packet the broker reads, on every listener: the largest payload clink's decoder accepts on a
     * link topic plus 64 KiB for the topic and properties. HiveMQ's own default (256 MiB) would let one link client
     * make the broker buffer and copy a quarter gigabyte that clink then refuses; above this size HiveMQ answers
     * DISCONNECT 0x95 (packet too large) from the fixed header, before reading the body. Artemis gets the same limit.
     */
    public static final int MAX_PACKET_SIZE = ClusterLink.MAX_LINK_PAYLOAD_BYTES + 64 * 1024;

    /**
     * The default Receive Maximum the broker grants every client and the default in-flight window of its deliveries
     * ({@code mqtt.max_inflight}): EMQX's {@code mqtt.max_inflight} default and the default {@code max_inflight} of a
     * link. HiveMQ's own default (10) would cap each link connection at 10 unacknowledged QoS 1 forwards, so a link
     * configured for 32 could never use its window. Artemis gets the same value.
     */
    public static final int SERVER_RECEIVE_MAXIMUM = 32;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClusterBroker.class);

    private final BrokerConfig config;
    private final HostedBroker hosted;
    private volatile @Nullable ManagementServer management;
    private volatile @Nullable LinkWriteHandler writes; // the API's writes and reloads, one lock for both
    private volatile boolean closed;

    private EmbeddedClusterBroker(BrokerConfig config, HostedBroker hosted) {
        this.config = config;
        this.hosted = hosted;
    }

    /**
     * Makes the starter of the link engine on HiveMQ: {@code HiveMqEngineStarters::starter} in production; tests may
     * wrap it.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface EngineFactory {
        /**
         * Makes the starter.
         *
         * @param config the cluster link configuration
         * @param dataDirectory where the engine keeps its state (the incarnation store)
         * @param started must be called with the engine once it has started
         * @return the starter
         */
        EmbeddedExtensionMain.EngineStarter starter(
                ClusterLinkConfig config, Path dataDirectory, Consumer<? super ClusterLink> started);
    }

    /**
     * Starts the broker {@code broker.type} names, with clink's standard engine, and returns when every listener is
     * up.
     *
     * @param config what to run
     * @return the running broker
     * @throws BrokerStartException if a port is taken, {@code node.data_dir} cannot be used, the broker does not
     *     start, or the engine refuses to start
     * @since 0.1.0
     */
    public static EmbeddedClusterBroker start(BrokerConfig config) {
        return start0(config, HiveMqEngineStarters::starter);
    }

    /**
     * Starts a broker with a chosen engine starter and returns when every listener is up. The starter is HiveMQ's
     * extension API, so this is for {@code broker.type = hivemq} only.
     *
     * @param config what to run
     * @param engine makes the link engine's starter, for example {@code HiveMqEngineStarters::starter}
     * @return the running broker
     * @throws BrokerStartException if a port is taken, {@code node.data_dir} cannot be used, HiveMQ does not start,
     *     or the engine refuses to start
     * @throws IllegalArgumentException if {@code config} is for another broker than HiveMQ
     * @since 0.1.0
     */
    public static EmbeddedClusterBroker start(BrokerConfig config, EngineFactory engine) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engine, "engine");
        if (config.brokerType() != BrokerType.HIVEMQ) {
            throw new IllegalArgumentException("an EngineFactory starts clink inside HiveMQ only; broker.type = "
                    + config.brokerType().configName() + " is started by start(config)");
        }
        return start0(config, engine);
    }

    private static EmbeddedClusterBroker start0(BrokerConfig config, EngineFactory engine) {
        Objects.requireNonNull(config, "config");
        StartChecks.addressesFree(config);
        Path clinkData = StartChecks.dataDirectory(config);
        StartChecks.warnOpenLinkListeners(config, LOG);
        HostedBroker hosted = switch (config.brokerType()) {
            case HIVEMQ ->
                HiveMqHost.start(
                        config,
                        clinkData,
                        (c, dir, started) -> engine.starter(c.cluster(), dir, started),
                        hivemqLimits());
            case ARTEMIS -> {
                warnQueueSettingsIgnored(config);
                yield ArtemisHost.start(
                        config,
                        clinkData,
                        new ArtemisHost.Limits(
                                LINK_LISTENER,
                                LINK_TLS_LISTENER,
                                MAX_PACKET_SIZE,
                                config.session().maxInflight()));
            }
        };
        EmbeddedClusterBroker broker = new EmbeddedClusterBroker(config, hosted);
        try {
            broker.writes = newLinkWrites(config, hosted.link());
        } catch (ConfigLoadException e) {
            broker.close();
            throw new BrokerStartException(String.valueOf(e.getMessage()), e);
        }
        if (config.management().enabled()) {
            broker.startManagement(hosted.link());
        }
        return broker;
    }

    /** The per-client queue keys configure HiveMQ's queue; Artemis keeps undelivered messages in its own queues. */
    private static void warnQueueSettingsIgnored(BrokerConfig config) {
        BrokerConfig.Session s = config.session();
        BrokerConfig.Session d = BrokerConfig.Session.DEFAULT;
        if (s.maxMqueueLen() != d.maxMqueueLen() || s.overflow() != d.overflow()) {
            LOG.warn(
                    "{}: mqtt.max_mqueue_len and mqtt.mqueue_overflow are ignored with broker.type = artemis: they size"
                            + " HiveMQ's per-client queue; Artemis queues a client's messages in its own subscription"
                            + " queues",
                    config.file());
        }
    }

    /** The handler of link writes (API) and reloads, over the override file as it is now. */
    private static LinkWriteHandler newLinkWrites(BrokerConfig config, ClusterLink engine) {
        Path override = config.management().overrideFile();
        OverrideFile state = override == null
                ? OverrideFile.empty(config.cluster().name(), "memory")
                : OverrideFile.read(override, config.cluster().name());
        return new LinkWriteHandler(
                engine,
                override,
                state,
                override == null
                        ? Path.of("").toAbsolutePath()
                        : io.clink.core.config.ClusterLinkConfigLoader.baseDirectoryOf(override));
    }

    /** Starts the management API; on failure closes this broker and names the setting at fault. */
    private void startManagement(ClusterLink engine) {
        BrokerConfig.Management settings = config.management();
        BrokerConfig.Bind bind = settings.bind();
        ApiKeys keys = ApiKeys.NONE;
        LinkWriteHandler writes = Objects.requireNonNull(this.writes, "writes");
        try {
            // Read again: the file may have changed since the configuration was loaded.
            if (settings.apiKeyFile() != null) {
                keys = ApiKeys.read(settings.apiKeyFile());
            }
        } catch (ConfigLoadException e) {
            close();
            throw new BrokerStartException(String.valueOf(e.getMessage()), e);
        }
        ManagementServer started;
        try {
            started = ManagementServer.start(
                    new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port()), engine, keys, writes);
        } catch (IOException | RuntimeException e) {
            close();
            throw new BrokerStartException(
                    config.file() + ": management.bind = \"" + bind + "\": cannot listen there: " + e.getMessage(), e);
        }
        management = started;
        if (keys.isEmpty() && !started.isLoopback()) {
            LOG.warn(
                    "{}: management.bind = \"{}\" is not a loopback address: anyone who can reach it can read "
                            + "the cluster link's configuration and status (the API has no authentication).",
                    config.file(),
                    bind);
        }
        if (keys.isEmpty()) {
            LOG.info(
                    "{}: management API on {}: read-only, no authentication (set api_key.bootstrap_file to manage "
                            + "links through it)",
                    config.cluster().name(),
                    started.baseUrl());
        } else {
            LOG.info(
                    "{}: management API on {}: {} API key(s) from {}; link changes {}",
                    config.cluster().name(),
                    started.baseUrl(),
                    keys.size(),
                    settings.apiKeyFile(),
                    settings.overrideFile() == null
                            ? "are kept in memory only"
                            : "are saved in " + settings.overrideFile());
        }
    }

    /**
     * The running link engine.
     *
     * @return the engine, or empty once closed
     * @since 0.1.0
     */
    public Optional<ClusterLink> link() {
        return closed ? Optional.empty() : Optional.of(hosted.link());
    }

    /**
     * The base URL of the management API, for example {@code http://127.0.0.1:18083/api/v5}.
     *
     * @return the URL, or empty when the API is disabled
     * @since 0.1.0
     */
    public Optional<String> managementUrl() {
        ManagementServer m = management;
        return m == null ? Optional.empty() : Optional.of(m.baseUrl());
    }

    /**
     * The configuration it runs.
     *
     * @return the configuration
     * @since 0.1.0
     */
    public BrokerConfig config() {
        return config;
    }

    /**
     * The line printed when the broker is ready: {@code clink-broker <cluster> ready: mqtt=<host:port>
     * clink=<host:port> clink-ssl=<host:port>}, each link listener only when configured.
     *
     * @return the line
     * @since 0.1.0
     */
    public String readyLine() {
        StringBuilder line = new StringBuilder("clink-broker ")
                .append(config.cluster().name())
                .append(" ready: mqtt=")
                .append(config.mqtt());
        if (config.link() != null) {
            line.append(" clink=").append(config.link());
        }
        if (config.linkTls() != null) {
            line.append(" clink-ssl=").append(config.linkTls().bind());
        }
        return line.toString();
    }

    /**
     * Reads the configuration file this broker was started from again, with its override file, and applies what
     * changed in {@code cluster.links} (links added, removed, changed) through {@link ClusterLink#updateConfig}: the
     * unchanged links keep running undisturbed. Only the links are reloadable; a change to any other setting is
     * logged as a warning naming it ("needs a restart") and the running value stays. For a link the management API
     * changed, the override file wins over the configuration file, as it does at start. Serialised with the
     * management API's writes. {@code clink-broker} calls it on {@code SIGHUP}.
     *
     * <p>Thread: any. Blocking: reads the files and reconfigures the links on the calling thread.
     *
     * @return what changed in the links
     * @throws ConfigLoadException if the file or its override is bad (the same message as at start); nothing changed
     * @throws IllegalArgumentException if the engine refuses the new links; nothing changed
     * @throws IllegalStateException if the broker was not started from a file or is closed
     * @since 0.1.0
     */
    public LinkChanges reload() {
        Path file = Path.of(config.file());
        LinkWriteHandler w = writes;
        if (closed || w == null) {
            throw new IllegalStateException("the broker " + config.cluster().name() + " is closed");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    config.file() + " is not a configuration file (the broker was not started from --config)");
        }
        return w.reload(() -> {
            BrokerConfig fresh = BrokerConfig.load(file);
            List<String> restart = restartKeys(config, fresh);
            if (!restart.isEmpty()) {
                LOG.warn(
                        "{}: configuration reload: {} changed, which needs a restart; the running values stay",
                        config.file(),
                        String.join(", ", restart));
            }
            return fresh.cluster();
        });
    }

    /** The settings, other than the links, whose values differ between two loads of a configuration. */
    static List<String> restartKeys(BrokerConfig running, BrokerConfig fresh) {
        List<String> keys = new ArrayList<>();
        if (!running.cluster().name().equals(fresh.cluster().name())) {
            keys.add("cluster.name");
        }
        if (!running.cluster().actorName().equals(fresh.cluster().actorName())) {
            keys.add("cluster.actor_name");
        }
        differs(keys, "listeners.tcp.default", running.mqtt(), fresh.mqtt());
        differs(keys, "listeners.tcp.clink", running.link(), fresh.link());
        differs(keys, "listeners.ssl.clink", running.linkTls(), fresh.linkTls());
        differs(keys, "listeners.tcp.clink.authentication", running.linkUsers(), fresh.linkUsers());
        differs(keys, "management / api_key", running.management(), fresh.management());
        differs(keys, "node.data_dir", running.dataDir(), fresh.dataDir());
        differs(keys, "broker.type", running.brokerType(), fresh.brokerType());
        differs(keys, "mqtt", running.session(), fresh.session());
        differs(keys, "node / cluster.discovery_strategy / cluster.static", running.clustering(), fresh.clustering());
        return keys;
    }

    private static void differs(List<String> keys, String key, @Nullable Object a, @Nullable Object b) {
        if (!Objects.equals(a, b)) {
            keys.add(key);
        }
    }

    /** Stops the management API and the broker (with clink's engine), and deletes the broker's working files. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ManagementServer m = management;
        if (m != null) {
            m.close();
        }
        hosted.close();
    }

    static String hivemqConfig(BrokerConfig c, KeyStores.@Nullable Written stores) {
        return HiveMqConfigXml.render(c, stores, hivemqLimits());
    }

    private static HiveMqConfigXml.Limits hivemqLimits() {
        return new HiveMqConfigXml.Limits(LINK_LISTENER, LINK_TLS_LISTENER, MAX_PACKET_SIZE);
    }
}
