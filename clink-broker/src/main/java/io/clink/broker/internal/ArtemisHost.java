package io.clink.broker.internal;

import io.clink.artemis.ArtemisLocalBroker;
import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerStartException;
import io.clink.broker.Clustering;
import io.clink.broker.LinkTlsListener;
import io.clink.core.ClusterLink;
import io.clink.hazelcast.HazelcastRouteStore;
import io.clink.hivemq.LinkAuthenticator;
import io.clink.paho.PahoLinkTransport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ActiveMQ Artemis as a {@link HostedBroker}: an embedded {@link ActiveMQServer} with MQTT acceptors named as
 * HiveMQ's listeners ({@code default}, {@code clink}, {@code clink-ssl}), clink's {@link ArtemisLocalBroker}
 * registered before the start, link users checked by {@link ArtemisLinkSecurity}, and the engine started once the
 * server is active.
 *
 * <p>Artemis's journal (bindings, MQTT sessions, retained messages) lives under {@code
 * <node.data_dir>/artemis/<cluster>}, next to clink's own {@code <node.data_dir>/clink/<cluster>}: persistent, so the
 * node keeps its identity across restarts (which Artemis clustering needs). The TLS listener's key stores live in a
 * fresh owner-only temporary directory deleted on {@link #close()}, as with HiveMQ.
 */
public final class ArtemisHost implements HostedBroker {

    /** The ordinary MQTT acceptor's name, as HiveMQ's listener. */
    public static final String DEFAULT_ACCEPTOR = "default";

    /** The core-protocol acceptor the other nodes of the region connect to ({@code node.cluster_bind}). */
    public static final String CLUSTER_ACCEPTOR = "cluster";

    /** Where Artemis's MQTT protocol keeps its session store and retained messages. */
    static final String MQTT_STATE_PREFIX = "$sys.mqtt";

    /** The Artemis cluster user; its password is {@code node.cookie}. */
    static final String CLUSTER_USER = "clink-cluster";

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisHost.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The names and limits the acceptors get, owned by the broker's public API.
     *
     * @param linkListener the plain TCP link acceptor's name
     * @param linkTlsListener the TLS link acceptor's name
     * @param maxPacketSize the largest MQTT packet read on any acceptor
     * @param receiveMaximum the Receive Maximum granted to every client
     */
    public record Limits(String linkListener, String linkTlsListener, int maxPacketSize, int receiveMaximum) {}

    private final String cluster;
    private final ActiveMQServer server;
    private final FileLock journalLock;
    private final @Nullable Path tlsDir;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable ClusterLink link;
    private volatile @Nullable PahoLinkTransport transport;
    private volatile @Nullable HazelcastRouteStore routeStore;
    private volatile @Nullable ArtemisLocalBroker adapter;

    private ArtemisHost(String cluster, ActiveMQServer server, FileLock journalLock, @Nullable Path tlsDir) {
        this.cluster = cluster;
        this.server = server;
        this.journalLock = journalLock;
        this.tlsDir = tlsDir;
    }

    /**
     * Starts Artemis with clink and returns when every acceptor is up and the engine runs. Blocking; the starting
     * thread only.
     *
     * @param config what to run
     * @param clinkData where the engine keeps its state, existing and writable
     * @param limits the acceptor names and limits
     * @return the running broker
     * @throws BrokerStartException if the journal directory or key stores cannot be prepared, Artemis does not start,
     *     or the engine refuses to start
     */
    public static ArtemisHost start(BrokerConfig config, Path clinkData, Limits limits) {
        String name = config.cluster().name();
        Path journal = journalDirectory(config);
        FileLock lock = lockJournal(config, journal);
        Path tlsDir = null;
        KeyStores.Written stores = null;
        LinkTlsListener tls = config.linkTls();
        if (tls != null) {
            try {
                tlsDir = Files.createTempDirectory("clink-broker-" + name + "-");
                stores = LinkTlsStores.write(config, tls, tlsDir.resolve("tls"), limits.linkTlsListener());
            } catch (IOException e) {
                deleteQuietly(tlsDir);
                release(lock);
                throw new BrokerStartException("cannot write the TLS link listener's key stores: " + e, e);
            } catch (RuntimeException e) {
                deleteQuietly(tlsDir);
                release(lock);
                throw e;
            }
        }
        ActiveMQServer server;
        try {
            server = new ActiveMQServerImpl(
                    configuration(config, journal, stores, limits),
                    new ArtemisLinkSecurity(
                            linkUsers(config),
                            config.clustering() == null
                                    ? null
                                    : config.clustering().bind()));
        } catch (RuntimeException e) {
            deleteQuietly(tlsDir);
            release(lock);
            throw new BrokerStartException("Artemis cannot be configured: " + e.getMessage(), e);
        }
        ArtemisHost host = new ArtemisHost(name, server, lock, tlsDir);
        // Before start: the adapter must see every connection's CONNECT.
        ArtemisLocalBroker adapter = new ArtemisLocalBroker(server, linkAcceptors(config, limits));
        host.adapter = adapter;
        try {
            server.start();
        } catch (Exception e) {
            host.close();
            throw new BrokerStartException("Artemis did not start: " + e.getMessage(), e);
        }
        if (!server.isActive()) {
            host.close();
            throw new BrokerStartException("Artemis did not start (see the log above)", null);
        }
        PahoLinkTransport transport = new PahoLinkTransport();
        host.transport = transport;
        try {
            ClusterLink.Builder builder = ClusterLink.builder();
            Clustering clustering = config.clustering();
            if (clustering != null) {
                // Each node its own actor per link: the actor name derives from the node name.
                builder.nodeName(clustering.nodeName());
                // The routes the other regions send, shared by the region's nodes (docs/MULTI-NODE.md).
                HazelcastRouteStore store = routeStore(config.cluster().name(), clustering);
                host.routeStore = store;
                builder.routeStore(store);
            }
            // The engine confines each link user to its cluster's $LINK topics (Artemis's security only checks
            // the password).
            if (config.link() != null) {
                for (LinkAuthenticator.LinkUser u : config.linkUsers()) {
                    builder.linkUser(limits.linkListener(), u.username(), u.cluster());
                }
            }
            if (config.linkTls() != null) {
                for (LinkAuthenticator.LinkUser u : config.linkTls().users()) {
                    builder.linkUser(limits.linkTlsListener(), u.username(), u.cluster());
                }
            }
            ClusterLink engine = builder.config(config.cluster())
                    .broker(adapter)
                    .transport(transport)
                    .dataDirectory(clinkData)
                    .build();
            host.link = engine;
            engine.start();
        } catch (RuntimeException e) {
            host.close();
            throw new BrokerStartException("the cluster link engine did not start: " + e.getMessage(), e);
        }
        return host;
    }

    @Override
    public ClusterLink link() {
        ClusterLink l = link;
        if (l == null) {
            throw new IllegalStateException("not started");
        }
        return l;
    }

    /**
     * The embedded server, for checks of its cluster state. Any thread; never blocks.
     *
     * @return the server
     */
    ActiveMQServer server() {
        return server;
    }

    /**
     * clink's adapter of this server. Any thread; never blocks.
     *
     * @return the adapter
     * @throws IllegalStateException if the host did not get as far as making it
     */
    ArtemisLocalBroker adapter() {
        ArtemisLocalBroker a = adapter;
        if (a == null) {
            throw new IllegalStateException("not started");
        }
        return a;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ClusterLink l = link;
        PahoLinkTransport t = transport;
        HazelcastRouteStore store = routeStore;
        try {
            if (l != null) {
                l.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("the cluster link engine of {} did not stop cleanly: {}", cluster, e.toString());
        } finally {
            if (t != null) {
                t.close();
            }
            if (store != null) {
                store.close();
            }
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Artemis of {} did not stop cleanly: {}", cluster, e.toString());
        }
        release(journalLock);
        deleteQuietly(tlsDir);
    }

    /**
     * Starts this node's member of the region's route store. Its Hazelcast cluster name carries a digest of the
     * cookie, so only nodes that share the cookie join one another (the open-source edition has no member
     * authentication; the store's port belongs on the region's private network, as EMQX's distribution port does).
     * Blocking: until the member has joined the members it can reach, or formed a cluster alone.
     */
    static HazelcastRouteStore routeStore(String clusterName, Clustering clustering) {
        String host = clustering.storeBind().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            int at = clustering.nodeName().indexOf('@');
            host = at >= 0 ? clustering.nodeName().substring(at + 1) : "127.0.0.1";
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(clustering.cookie().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return HazelcastRouteStore.builder()
                .clusterName("clink-" + clusterName + "-" + HexFormat.of().formatHex(digest, 0, 8))
                .instanceName("clink-store-" + clustering.nodeName())
                .bind(host, clustering.storeBind().port())
                .members(clustering.storeMembers())
                .build();
    }

    /**
     * Claims the journal directory for this process. Artemis's own lock on it waits, silently and for ever, for a
     * second broker of the same cluster and data directory; this one refuses at once, naming the setting.
     */
    private static FileLock lockJournal(BrokerConfig config, Path journal) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    journal.resolve("clink-broker.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // Held by another broker in this JVM: the same answer as for another process.
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BrokerStartException(
                    config.file() + ": node.data_dir = \"" + config.dataDir() + "\": cannot lock " + journal + " (" + e
                            + ")",
                    e);
        }
        closeQuietly(channel);
        throw new BrokerStartException(
                config.file() + ": node.data_dir = \"" + config.dataDir() + "\": " + journal
                        + " is in use by another running clink-broker of cluster "
                        + config.cluster().name(),
                null);
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it too.
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the process's exit closes it.
        }
    }

    private static Path journalDirectory(BrokerConfig config) {
        Path dir = config.dataDir().resolve("artemis").resolve(config.cluster().name());
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new BrokerStartException(
                    config.file() + ": node.data_dir = \"" + config.dataDir() + "\": cannot write there (" + e + ")",
                    e);
        }
        return dir;
    }

    static Configuration configuration(
            BrokerConfig c, Path journal, KeyStores.@Nullable Written stores, Limits limits) {
        Clustering clustering = c.clustering();
        Configuration cfg = new ConfigurationImpl()
                // A region's nodes share the cluster's name; Artemis's logs then tell them apart by node name.
                .setName(clustering == null ? c.cluster().name() : clustering.nodeName())
                .setPersistenceEnabled(true)
                // NIO: ASYNCIO needs libaio, which Artemis would look for and warn about on every start.
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(journal.resolve("journal").toString())
                .setBindingsDirectory(journal.resolve("bindings").toString())
                .setPagingDirectory(journal.resolve("paging").toString())
                .setLargeMessagesDirectory(journal.resolve("large-messages").toString())
                .setNodeManagerLockDirectory(journal.toString())
                .setJMXManagementEnabled(false)
                .setSecurityEnabled(true)
                // The security manager decides per listener; a cache keyed by user and password would not.
                .setAuthenticationCacheSize(0)
                .setAuthorizationCacheSize(0)
                // Artemis's built-in cluster user bypasses the security manager; with its default password anyone
                // could use it on the link listener. A single node has no cluster connection: nobody needs it.
                .setClusterUser("clink-internal-" + secret())
                .setClusterPassword(secret());
        if (clustering != null) {
            addClusterConnection(cfg, c, clustering);
        }
        cfg.addAcceptorConfiguration(acceptor(DEFAULT_ACCEPTOR, c.mqtt(), null, null, limits));
        if (c.link() != null) {
            cfg.addAcceptorConfiguration(acceptor(limits.linkListener(), c.link(), null, null, limits));
        }
        LinkTlsListener tls = c.linkTls();
        if (tls != null && stores != null) {
            cfg.addAcceptorConfiguration(acceptor(limits.linkTlsListener(), tls.bind(), tls, stores, limits));
        }
        // Without dead-letter and expiry addresses Artemis warns (AMQ222165/6) for every subscription queue.
        AddressSettings all = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLA"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"));
        if (clustering != null) {
            // A persistent session's queue left without its consumer (the client reconnected to another node) is
            // moved to where the consumer is at once.
            all.setRedistributionDelay(0);
        }
        cfg.addAddressSetting("#", all);
        return cfg;
    }

    /**
     * One cluster connection to every peer: the core protocol on {@code node.cluster_bind}, the cookie as the cluster
     * password (the same on every node), and ON_DEMAND load balancing, so a message goes to another node only when a
     * subscriber there matches it, once per matching queue. {@code maxHops = 1}: every node names every other one.
     */
    private static void addClusterConnection(Configuration cfg, BrokerConfig c, Clustering clustering) {
        cfg.setClusterUser(CLUSTER_USER).setClusterPassword(clustering.cookie());
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, clustering.bind().host());
        params.put(TransportConstants.PORT_PROP_NAME, clustering.bind().port());
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, "CORE");
        cfg.addAcceptorConfiguration(
                new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, CLUSTER_ACCEPTOR));
        // What the peers connect back to: a wildcard bind cannot be dialled, so the node name's host is announced.
        String announced = clustering.bind().host();
        if (announced.equals("0.0.0.0") || announced.equals("::")) {
            int at = clustering.nodeName().indexOf('@');
            announced = at >= 0 ? clustering.nodeName().substring(at + 1) : "127.0.0.1";
        }
        cfg.addConnectorConfiguration(
                CLUSTER_ACCEPTOR, connector(announced, clustering.bind().port()));
        List<String> peers = new java.util.ArrayList<>();
        for (Clustering.Seed s : clustering.peers()) {
            String name = "peer-" + s.name();
            cfg.addConnectorConfiguration(name, connector(s.host(), s.port()));
            peers.add(name);
        }
        cfg.addClusterConfiguration(new ClusterConnectionConfiguration()
                .setName("clink-" + c.cluster().name())
                // Every address but Artemis's own MQTT state (sessions, retained messages), which stays per node:
                // a node's subscriptions must never appear in another node's session store.
                .setAddress("!" + MQTT_STATE_PREFIX)
                .setConnectorName(CLUSTER_ACCEPTOR)
                .setStaticConnectors(peers)
                .setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
                .setMaxHops(1)
                // A restarted peer is found again in 2 s at most, however long it was away.
                .setRetryInterval(500)
                .setRetryIntervalMultiplier(2)
                .setMaxRetryInterval(2_000)
                .setInitialConnectAttempts(-1)
                .setReconnectAttempts(-1)
                // A peer that went silent (killed, partitioned) is dropped after 5 s, not Artemis's 60 s.
                .setClientFailureCheckPeriod(1_000)
                .setConnectionTTL(5_000)
                .setDuplicateDetection(true));
    }

    private static TransportConfiguration connector(String host, int port) {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, host);
        params.put(TransportConstants.PORT_PROP_NAME, port);
        return new TransportConfiguration(NettyConnectorFactory.class.getName(), params);
    }

    private static TransportConfiguration acceptor(
            String name,
            BrokerConfig.Bind bind,
            @Nullable LinkTlsListener tls,
            KeyStores.@Nullable Written stores,
            Limits limits) {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, bind.host());
        params.put(TransportConstants.PORT_PROP_NAME, bind.port());
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, "MQTT");
        if (tls != null && stores != null) {
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(
                    TransportConstants.KEYSTORE_PATH_PROP_NAME,
                    stores.keystore().toString());
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, stores.password());
            params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12");
            if (stores.truststore() != null) {
                params.put(
                        TransportConstants.TRUSTSTORE_PATH_PROP_NAME,
                        stores.truststore().toString());
                params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, stores.password());
                params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, "PKCS12");
            }
            switch (tls.clientAuthentication()) {
                case REQUIRED -> params.put(TransportConstants.NEED_CLIENT_AUTH_PROP_NAME, true);
                case OPTIONAL -> params.put(TransportConstants.WANT_CLIENT_AUTH_PROP_NAME, true);
                case NONE -> {}
            }
            if (!tls.versions().isEmpty()) {
                params.put(TransportConstants.ENABLED_PROTOCOLS_PROP_NAME, String.join(",", tls.versions()));
            }
        }
        // The MQTT protocol manager's settings, as HiveMQ's config.xml gives every listener.
        Map<String, Object> mqtt = new HashMap<>();
        // MQTT's session takeover: a reconnect with the same client id replaces the old connection.
        mqtt.put("allowLinkStealing", true);
        mqtt.put("maximumPacketSize", limits.maxPacketSize());
        mqtt.put("receiveMaximum", limits.receiveMaximum());
        return new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, name, mqtt);
    }

    private static Set<String> linkAcceptors(BrokerConfig c, Limits limits) {
        Set<String> names = new LinkedHashSet<>();
        if (c.link() != null) {
            names.add(limits.linkListener());
        }
        if (c.linkTls() != null) {
            names.add(limits.linkTlsListener());
        }
        return names;
    }

    private static Map<BrokerConfig.Bind, List<LinkAuthenticator.LinkUser>> linkUsers(BrokerConfig c) {
        Map<BrokerConfig.Bind, List<LinkAuthenticator.LinkUser>> users = new LinkedHashMap<>();
        if (c.link() != null && !c.linkUsers().isEmpty()) {
            users.put(c.link(), c.linkUsers());
        }
        LinkTlsListener tls = c.linkTls();
        if (tls != null && !tls.users().isEmpty()) {
            users.put(tls.bind(), tls.users());
        }
        return users;
    }

    private static String secret() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteQuietly(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Harmless: the operating system cleans its temporary directory.
                }
            });
        } catch (IOException e) {
            // Same.
        }
    }

    @Override
    public String toString() {
        return "ArtemisHost{" + cluster + "}";
    }
}
