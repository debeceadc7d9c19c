package io.clink.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.migration.meta.PersistenceType;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.broker.internal.HiveMqConfigXml;
import io.clink.broker.internal.HiveMqWorkDirectory;
import io.clink.broker.internal.KeyStores;
import io.clink.broker.internal.ManagementServer;
import io.clink.broker.internal.StartChecks;
import io.clink.core.ClusterLink;
import io.clink.hivemq.EmbeddedExtensionMain;
import io.clink.hivemq.LinkAuthenticator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running HiveMQ CE broker with clink: an {@link EmbeddedHiveMQ} with in-memory persistence and usage statistics
 * off, an MQTT listener named {@code default}, the link listeners ({@code clink} for plain TCP, {@code clink-ssl}
 * for TLS, either or both), and clink's extension, plus the read-only management API when enabled. HiveMQ's working
 * files (including the TLS listener's key stores, made from the PEM files) live in a fresh temporary directory
 * readable by the owner only, deleted on {@link #close()}; clink's own state (actor incarnations) lives under {@code
 * node.data_dir} and survives restarts.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread (a shutdown hook) and more than once.
 *
 * @since 0.1.0
 */
public final class EmbeddedClusterBroker implements AutoCloseable {

    /** The HiveMQ listener name of the plain TCP link listener. */
    public static final String LINK_LISTENER = "clink";

    /** The HiveMQ listener name of the TLS link listener. */
    public static final String LINK_TLS_LISTENER = "clink-ssl";

    /**
     * The largest MQTT packet the broker reads, on every listener: the largest payload clink's decoder accepts on a
     * link topic plus 64 KiB for the topic and properties. HiveMQ's own default (256 MiB) would let one link client
     * make the broker buffer and copy a quarter gigabyte that clink then refuses; above this size HiveMQ answers
     * DISCONNECT 0x95 (packet too large) from the fixed header, before reading the body.
     */
    public static final int MAX_PACKET_SIZE = ClusterLink.MAX_LINK_PAYLOAD_BYTES + 64 * 1024;

    /**
     * The default Receive Maximum the broker grants every client and the default in-flight window of its deliveries
     * ({@code mqtt.max_inflight}): EMQX's {@code mqtt.max_inflight} default and the default {@code max_inflight} of a
     * link. HiveMQ's own default (10) would cap each link connection at 10 unacknowledged
     * QoS 1 forwards, so a link configured for 32 could never use its window.
     */
    public static final int SERVER_RECEIVE_MAXIMUM = 32;

    /**
     * How many queued messages HiveMQ takes from a client's queue at a time (its default is 50). HiveMQ takes the
     * next batch only once every message of the previous one is acknowledged, and a client that does not set
     * TCP_NODELAY ({@code mosquitto_sub}, Python Paho) holds its PUBACKs back until the broker's delayed ACK (40 ms
     * on Linux) once the broker has nothing left to send: with 50 that capped QoS 1 delivery near 1,000 msg/s and
     * the queue overflowed under a burst. Within a batch the in-flight window ({@code mqtt.max_inflight}) still
     * applies; the batch only sets how often the 40 ms stall happens (once per 5,000 messages). HiveMQ also caps a
     * batch at 5 MiB of payload.
     */
    static final int PUBLISH_POLL_BATCH = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClusterBroker.class);
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final BrokerConfig config;
    private final HiveMqWorkDirectory workDir;
    private final EmbeddedHiveMQ hivemq;
    private final AtomicReference<ClusterLink> link = new AtomicReference<>();
    private volatile @Nullable ManagementServer management;
    private volatile boolean closed;

    private EmbeddedClusterBroker(BrokerConfig config, HiveMqWorkDirectory workDir, EmbeddedHiveMQ hivemq) {
        this.config = config;
        this.workDir = workDir;
        this.hivemq = hivemq;
    }

    /**
     * Makes the starter of the link engine: {@code HiveMqEngineStarters::starter} in production; tests may wrap it.
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
     * Starts a broker and returns when every listener is up.
     *
     * @param config what to run
     * @param engine makes the link engine's starter, for example {@code HiveMqEngineStarters::starter}
     * @return the running broker
     * @throws BrokerStartException if a port is taken, {@code node.data_dir} cannot be used, HiveMQ does not start,
     *     or the engine refuses to start
     * @since 0.1.0
     */
    public static EmbeddedClusterBroker start(BrokerConfig config, EngineFactory engine) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engine, "engine");
        StartChecks.addressesFree(config);
        Path clinkData = StartChecks.dataDirectory(config);
        HiveMqWorkDirectory work = prepareWorkDirectory(config);
        // RocksDB's native libraries are left out of the jar; with in-memory persistence these stores must not ask
        // for them.
        InternalConfigurations.PAYLOAD_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        // HiveMQ keeps these two in static fields: brokers in one JVM share them, the last one started wins.
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES =
                config.session().maxInflight();
        InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = PUBLISH_POLL_BATCH;
        StartChecks.warnOpenLinkListeners(config, LOG);
        AtomicReference<ClusterLink> started = new AtomicReference<>();
        EmbeddedExtensionMain main = new EmbeddedExtensionMain(
                linkListeners(config), engine.starter(config.cluster(), clinkData, started::set), linkUsers(config));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(work.conf())
                .withDataFolder(work.data())
                .withExtensionsFolder(work.extensions())
                .withEmbeddedExtension(embedded(main))
                .withoutLoggingBootstrap()
                .build();
        EmbeddedClusterBroker broker = new EmbeddedClusterBroker(config, work, hivemq);
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new BrokerStartException("interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            broker.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new BrokerStartException("HiveMQ did not start: " + cause.getMessage(), cause);
        }
        ClusterLink engineStarted = started.get();
        if (main.broker().isEmpty() || engineStarted == null) {
            broker.close();
            throw new BrokerStartException("the cluster link extension did not start (see the log above)", null);
        }
        broker.link.set(engineStarted);
        if (config.management().enabled()) {
            broker.startManagement(engineStarted);
        }
        return broker;
    }

    /** HiveMQ's working directory with its config.xml and, for a TLS link listener, the key stores. */
    private static HiveMqWorkDirectory prepareWorkDirectory(BrokerConfig config) {
        HiveMqWorkDirectory work;
        try {
            work = HiveMqWorkDirectory.create(config.cluster().name());
        } catch (IOException e) {
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        }
        try {
            LinkTlsListener tls = config.linkTls();
            KeyStores.Written stores = tls == null ? null : tlsStores(config, tls, work.tls());
            work.writeConfig(hivemqConfig(config, stores));
            return work;
        } catch (IOException e) {
            work.delete();
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        } catch (RuntimeException e) {
            work.delete();
            throw e;
        }
    }

    private static EmbeddedExtension embedded(EmbeddedExtensionMain main) {
        return EmbeddedExtension.builder()
                .withId("clink")
                .withName("clink cluster link")
                .withVersion(Version.VALUE)
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(main)
                .build();
    }

    /** Starts the management API; on failure closes this broker and names {@code management.bind}. */
    private void startManagement(ClusterLink engine) {
        BrokerConfig.Bind bind = config.management().bind();
        ManagementServer started;
        try {
            started = ManagementServer.start(
                    new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port()), engine);
        } catch (IOException | RuntimeException e) {
            close();
            throw new BrokerStartException(
                    config.file() + ": management.bind = \"" + bind + "\": cannot listen there: " + e.getMessage(), e);
        }
        management = started;
        if (!started.isLoopback()) {
            LOG.warn(
                    "{}: management.bind = \"{}\" is not a loopback address: anyone who can reach it can read "
                            + "the cluster link's configuration and status (the API has no authentication).",
                    config.file(),
                    bind);
        }
        LOG.info("{}: management API on {}", config.cluster().name(), started.baseUrl());
    }

    /**
     * The running link engine.
     *
     * @return the engine, or empty once closed
     * @since 0.1.0
     */
    public Optional<ClusterLink> link() {
        return closed ? Optional.empty() : Optional.ofNullable(link.get());
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

    /** Stops the management API and HiveMQ (with clink's extension), and deletes HiveMQ's working directory. */
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
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("HiveMQ of {} did not stop cleanly: {}", config.cluster().name(), e.toString());
        }
        workDir.delete();
    }

    private static Set<String> linkListeners(BrokerConfig c) {
        Set<String> names = new LinkedHashSet<>();
        if (c.link() != null) {
            names.add(LINK_LISTENER);
        }
        if (c.linkTls() != null) {
            names.add(LINK_TLS_LISTENER);
        }
        return names;
    }

    private static Map<String, List<LinkAuthenticator.LinkUser>> linkUsers(BrokerConfig c) {
        Map<String, List<LinkAuthenticator.LinkUser>> users = new LinkedHashMap<>();
        if (c.link() != null && !c.linkUsers().isEmpty()) {
            users.put(LINK_LISTENER, c.linkUsers());
        }
        if (c.linkTls() != null && !c.linkTls().users().isEmpty()) {
            users.put(LINK_TLS_LISTENER, c.linkTls().users());
        }
        return users;
    }

    /** Reads the PEM files again (they may have changed since the configuration was loaded) into key stores. */
    private static KeyStores.Written tlsStores(BrokerConfig config, LinkTlsListener tls, Path dir) throws IOException {
        LinkTlsListener.Material material;
        try {
            material = tls.load();
        } catch (IllegalArgumentException e) {
            throw new BrokerStartException(config.file() + ": " + e.getMessage(), e);
        }
        try {
            return KeyStores.write(dir, LINK_TLS_LISTENER, material.key(), material.chain(), material.trusted());
        } catch (GeneralSecurityException e) {
            throw new BrokerStartException(
                    config.file() + ": listeners.ssl.clink.ssl_options: the JDK refuses the key "
                            + "or certificates of certfile " + tls.certfile() + " / keyfile " + tls.keyfile() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    static String hivemqConfig(BrokerConfig c, KeyStores.@Nullable Written stores) {
        return HiveMqConfigXml.render(
                c, stores, new HiveMqConfigXml.Limits(LINK_LISTENER, LINK_TLS_LISTENER, MAX_PACKET_SIZE));
    }
}
