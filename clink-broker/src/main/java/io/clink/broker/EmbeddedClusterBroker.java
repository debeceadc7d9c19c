package io.clink.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.migration.meta.PersistenceType;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.broker.internal.KeyStores;
import io.clink.broker.internal.ManagementServer;
import io.clink.core.ClusterLink;
import io.clink.hivemq.ClusterLinkExtensionMain;
import io.clink.hivemq.LinkAuthenticator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
     * The Receive Maximum the broker grants every client: EMQX's {@code mqtt.max_inflight} default and the default
     * {@code max_inflight} of a link. HiveMQ's own default (10) would cap each link connection at 10 unacknowledged
     * QoS 1 forwards, so a link configured for 32 could never use its window.
     */
    public static final int SERVER_RECEIVE_MAXIMUM = 32;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClusterBroker.class);
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final BrokerConfig config;
    private final Path workDir;
    private final EmbeddedHiveMQ hivemq;
    private final AtomicReference<ClusterLink> link = new AtomicReference<>();
    private volatile @org.jspecify.annotations.Nullable ManagementServer management;
    private volatile boolean closed;

    private EmbeddedClusterBroker(BrokerConfig config, Path workDir, EmbeddedHiveMQ hivemq) {
        this.config = config;
        this.workDir = workDir;
        this.hivemq = hivemq;
    }

    /**
     * Makes the starter of the link engine: {@code ClinkEngine::starter} in production; tests may wrap it.
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
        ClusterLinkExtensionMain.EngineStarter starter(
                ClusterLinkConfig config, Path dataDirectory, Consumer<? super ClusterLink> started);
    }

    /**
     * Starts a broker and returns when every listener is up.
     *
     * @param config what to run
     * @param engine makes the link engine's starter, for example {@code ClinkEngine::starter}
     * @return the running broker
     * @throws BrokerStartException if a port is taken, {@code node.data_dir} cannot be used, HiveMQ does not start,
     *     or the engine refuses to start
     * @since 0.1.0
     */
    public static EmbeddedClusterBroker start(BrokerConfig config, EngineFactory engine) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engine, "engine");
        checkFree(config, "listeners.tcp.default.bind", config.mqtt());
        if (config.link() != null) {
            checkFree(config, "listeners.tcp.clink.bind", config.link());
        }
        LinkTlsListener tls = config.linkTls();
        if (tls != null) {
            checkFree(config, "listeners.ssl.clink.bind", tls.bind());
        }
        if (config.management().enabled()) {
            checkFree(config, "management.bind", config.management().bind());
        }
        Path clinkData = prepareDataDir(config);
        Path work;
        try {
            work = Files.createTempDirectory("clink-broker-" + config.cluster().name() + "-");
        } catch (IOException e) {
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        }
        try {
            Path conf = Files.createDirectories(work.resolve("conf"));
            Files.createDirectories(work.resolve("data"));
            Files.createDirectories(work.resolve("extensions"));
            KeyStores.Written stores = tls == null ? null : tlsStores(config, tls, work.resolve("tls"));
            Files.writeString(conf.resolve("config.xml"), hivemqConfig(config, stores));
        } catch (IOException e) {
            deleteQuietly(work);
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
        // RocksDB's native libraries are left out of the jar; with in-memory persistence these stores must not ask
        // for them.
        InternalConfigurations.PAYLOAD_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        if (config.link() != null && config.linkUsers().isEmpty()) {
            LOG.warn("{}: listeners.tcp.clink has no authentication list: any client reaching {} may act as a linked "
                    + "cluster. Add authentication = [{{ username, password, cluster }}] outside a trusted network.",
                    config.file(), config.link());
        }
        if (tls != null && tls.users().isEmpty()
                && tls.clientAuthentication() != LinkTlsListener.ClientAuthentication.REQUIRED) {
            LOG.warn("{}: listeners.ssl.clink has no authentication list and does not require client certificates: "
                    + "any client reaching {} may act as a linked cluster. Add authentication = [...] or "
                    + "ssl_options {{ verify = verify_peer, fail_if_no_peer_cert = true }}.", config.file(), tls.bind());
        }
        AtomicReference<ClusterLink> started = new AtomicReference<>();
        ClusterLinkExtensionMain main = new ClusterLinkExtensionMain(
                linkListeners(config), engine.starter(config.cluster(), clinkData, started::set), linkUsers(config));
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("clink")
                .withName("clink cluster link")
                .withVersion(Version.VALUE)
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(main)
                .build();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(work.resolve("conf"))
                .withDataFolder(work.resolve("data"))
                .withExtensionsFolder(work.resolve("extensions"))
                .withEmbeddedExtension(extension)
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
        if (main.broker().isEmpty() || started.get() == null) {
            broker.close();
            throw new BrokerStartException("the cluster link extension did not start (see the log above)", null);
        }
        broker.link.set(started.get());
        if (config.management().enabled()) {
            try {
                BrokerConfig.Bind bind = config.management().bind();
                broker.management = ManagementServer.start(
                        new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port()), started.get());
            } catch (IOException | RuntimeException e) {
                broker.close();
                throw new BrokerStartException(config.file() + ": management.bind = \"" + config.management().bind()
                        + "\": cannot listen there: " + e.getMessage(), e);
            }
            if (!Objects.requireNonNull(broker.management).isLoopback()) {
                LOG.warn("{}: management.bind = \"{}\" is not a loopback address: anyone who can reach it can read "
                        + "the cluster link's configuration and status (the API has no authentication).",
                        config.file(), config.management().bind());
            }
            LOG.info("{}: management API on {}", config.cluster().name(), broker.managementUrl().orElseThrow());
        }
        return broker;
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
        StringBuilder line = new StringBuilder("clink-broker ").append(config.cluster().name())
                .append(" ready: mqtt=").append(config.mqtt());
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
        deleteQuietly(workDir);
    }

    /**
     * Creates {@code <node.data_dir>/clink/<cluster>} and proves it writable by writing into it, so that a bad
     * directory stops the start here with its setting named, not later in the engine's retries.
     */
    private static Path prepareDataDir(BrokerConfig config) {
        Path dir = config.dataDir().resolve("clink").resolve(config.cluster().name());
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BrokerStartException(config.file() + ": node.data_dir = \"" + config.dataDir()
                    + "\": cannot write there (" + e + ")", e);
        }
        return dir;
    }

    private static void checkFree(BrokerConfig config, String path, BrokerConfig.Bind bind) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port()));
        } catch (IOException e) {
            throw new BrokerStartException(config.file() + ": " + path + " = \"" + bind + "\": cannot listen there: "
                    + e.getMessage(), e);
        }
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
            throw new BrokerStartException(config.file() + ": listeners.ssl.clink.ssl_options: the JDK refuses the key "
                    + "or certificates of certfile " + tls.certfile() + " / keyfile " + tls.keyfile() + ": "
                    + e.getMessage(), e);
        }
    }

    static String hivemqConfig(BrokerConfig c, KeyStores.@Nullable Written stores) {
        StringBuilder listeners = new StringBuilder();
        listeners.append(tcpListener(c.mqtt(), "default"));
        if (c.link() != null) {
            listeners.append(tcpListener(c.link(), LINK_LISTENER));
        }
        LinkTlsListener tls = c.linkTls();
        if (tls != null && stores != null) {
            listeners.append(tlsListener(tls, stores));
        }
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                %s  </listeners>
                  <mqtt>
                    <packets><max-packet-size>%d</max-packet-size></packets>
                    <receive-maximum><server-receive-maximum>%d</server-receive-maximum></receive-maximum>
                  </mqtt>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(listeners, MAX_PACKET_SIZE, SERVER_RECEIVE_MAXIMUM);
    }

    private static String tcpListener(BrokerConfig.Bind bind, String name) {
        return "    <tcp-listener><port>%d</port><bind-address>%s</bind-address><name>%s</name></tcp-listener>\n"
                .formatted(bind.port(), xml(bind.host()), name);
    }

    /** HiveMQ CE's {@code <tls-tcp-listener>} (config.xsd: keystore, optional truststore, protocols, client auth). */
    private static String tlsListener(LinkTlsListener tls, KeyStores.Written stores) {
        StringBuilder t = new StringBuilder();
        t.append("    <tls-tcp-listener><port>").append(tls.bind().port()).append("</port><bind-address>")
                .append(xml(tls.bind().host())).append("</bind-address><name>").append(LINK_TLS_LISTENER)
                .append("</name>\n      <tls>\n");
        t.append("        <keystore><path>").append(xml(stores.keystore().toString())).append("</path><password>")
                .append(stores.password()).append("</password><private-key-password>").append(stores.password())
                .append("</private-key-password></keystore>\n");
        if (stores.truststore() != null) {
            t.append("        <truststore><path>").append(xml(stores.truststore().toString()))
                    .append("</path><password>").append(stores.password()).append("</password></truststore>\n");
        }
        if (!tls.versions().isEmpty()) {
            t.append("        <protocols>");
            tls.versions().forEach(v -> t.append("<protocol>").append(v).append("</protocol>"));
            t.append("</protocols>\n");
        }
        t.append("        <client-authentication-mode>").append(tls.clientAuthentication().name())
                .append("</client-authentication-mode>\n      </tls>\n    </tls-tcp-listener>\n");
        return t.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Leftovers in the temp directory are harmless.
                }
            });
        } catch (IOException e) {
            // Same.
        }
    }

    /**
     * The broker could not start; the message says why and names the setting when one is at fault.
     *
     * @since 0.1.0
     */
    public static final class BrokerStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message why
         * @param cause the underlying failure, or null
         */
        public BrokerStartException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
            super(message, cause);
        }
    }
}
