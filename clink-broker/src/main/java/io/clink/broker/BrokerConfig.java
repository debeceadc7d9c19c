package io.clink.broker;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.broker.internal.ApiKeys;
import io.clink.broker.internal.OverrideFile;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigDocument;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.config.ConfigSection;
import io.clink.hivemq.LinkAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of one {@code clink-broker}: the cluster link ({@code cluster { ... }}, read by {@link
 * ClusterLinkConfigLoader}) and the broker's listeners, in the shape of EMQX's quick start:
 *
 * <pre>
 * cluster { name = "cluster-us-east", links = [ { name = "cluster-eu-west", server = "eu.example.net:11883",
 *                                                  clientid = "clink-us-east", topics = ["#"] } ] }
 * listeners {
 *   tcp.default { bind = "0.0.0.0:1883" }   # MQTT clients; optional, this is the default
 *   tcp.clink {                             # the other clusters' link connections (this, ssl.clink or both)
 *     bind = 11883
 *     # optional: only these users may connect here, each only for its cluster's $LINK topics
 *     authentication = [ { username = "clink-eu", password = "file:///run/secrets/clink-eu", cluster = "cluster-eu-west" } ]
 *   }
 *   ssl.clink {                             # the same over TLS, see LinkTlsListener
 *     bind = 11884
 *     ssl_options { certfile = "us.pem", keyfile = "us-key.pem", cacertfile = "ca.pem", verify = verify_peer,
 *                   fail_if_no_peer_cert = true }
 *   }
 * }
 * management { bind = "127.0.0.1:18083" }   # the HTTP API; optional, this is the default
 * api_key { bootstrap_file = "api-keys" }   # lines key:secret[:role]; without it the API is read-only
 * node { data_dir = "data" }                # clink's state (actor incarnations); optional, this is the default
 * broker { type = hivemq }                  # or artemis; optional, this is the default
 * mqtt { max_inflight = 32, max_mqueue_len = 100000, mqueue_overflow = drop_oldest }   # optional, these are the defaults
 * </pre>
 *
 * <p>{@code bind} is {@code PORT} (all interfaces) or {@code HOST:PORT}; IPv6 hosts go in brackets. Immutable.
 *
 * @param file where it was read from, for messages
 * @param cluster the cluster link configuration
 * @param mqtt the listener for MQTT clients
 * @param link the plain TCP listener for link connections ({@code tcp.clink}), or null when there is only {@code
 *     ssl.clink}; link listeners are the only ones accepting {@code $LINK/...} traffic
 * @param linkUsers the users allowed on the plain TCP link listener; empty when anonymous link connections are
 *     accepted
 * @param linkTls the TLS listener for link connections ({@code ssl.clink}), or null when there is none
 * @param management the management API's settings
 * @param dataDir where clink keeps its state ({@code node.data_dir}), absolute
 * @param brokerType the broker to embed ({@code broker.type})
 * @param session the per-client delivery limits ({@code mqtt { ... }})
 * @param clustering how this node joins the other nodes of its region, or null for a single node
 * @since 0.1.0
 */
public record BrokerConfig(
        String file,
        ClusterLinkConfig cluster,
        Bind mqtt,
        @Nullable Bind link,
        List<LinkAuthenticator.LinkUser> linkUsers,
        @Nullable LinkTlsListener linkTls,
        Management management,
        Path dataDir,
        BrokerType brokerType,
        Session session,
        @Nullable Clustering clustering) {

    /** The default MQTT listener, as EMQX's: all interfaces, port 1883. */
    public static final Bind DEFAULT_MQTT = new Bind("0.0.0.0", 1883);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);
    private static final Set<String> ROOT_KEYS =
            Set.of("broker", "cluster", "listeners", "management", "node", "api_key", "mqtt");
    private static final Set<String> MQTT_KEYS = Set.of("max_inflight", "max_mqueue_len", "mqueue_overflow");
    // EMQX's other mqtt.* settings: accepted with a warning so an EMQX file loads; anything else (a typo) is refused.
    private static final Set<String> MQTT_IGNORED = Set.of(
            "idle_timeout",
            "max_packet_size",
            "max_clientid_len",
            "max_topic_levels",
            "max_qos_allowed",
            "max_topic_alias",
            "retain_available",
            "wildcard_subscription",
            "shared_subscription",
            "exclusive_subscription",
            "ignore_loop_deliver",
            "strict_mode",
            "response_information",
            "server_keepalive",
            "keepalive_multiplier",
            "retry_interval",
            "use_username_as_clientid",
            "peer_cert_as_username",
            "peer_cert_as_clientid",
            "session_expiry_interval",
            "max_awaiting_rel",
            "await_rel_timeout",
            "mqueue_store_qos0",
            "mqueue_priorities",
            "mqueue_default_priority",
            "max_subscriptions",
            "upgrade_qos",
            "shared_subscription_strategy",
            "client_attrs_init",
            "message_expiry_interval");
    private static final String NODE_IGNORED = "an EMQX node setting clink-broker does not use";
    private static final Map<String, String> ROOT_IGNORED = Map.of(
            "dashboard", "clink-broker has no dashboard",
            "log", "clink-broker logs to standard error (logback)");

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if there is no link listener
     */
    public BrokerConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(mqtt, "mqtt");
        linkUsers = List.copyOf(linkUsers);
        if (link == null && linkTls == null) {
            throw new IllegalArgumentException("at least one link listener (link or linkTls) is required");
        }
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(dataDir, "dataDir");
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("dataDir must be absolute: " + dataDir);
        }
        Objects.requireNonNull(brokerType, "brokerType");
        Objects.requireNonNull(session, "session");
        if (clustering != null && brokerType == BrokerType.HIVEMQ) {
            throw new IllegalArgumentException(
                    "HiveMQ CE cannot cluster; a multi-node region needs broker.type = artemis");
        }
    }

    /**
     * A single-node configuration (see the canonical constructor).
     *
     * @param file where it was read from, for messages
     * @param cluster the cluster link configuration
     * @param mqtt the listener for MQTT clients
     * @param link the plain TCP link listener, or null
     * @param linkUsers the users allowed on the plain TCP link listener
     * @param linkTls the TLS link listener, or null
     * @param management the management API's settings
     * @param dataDir where clink keeps its state, absolute
     * @param brokerType the broker to embed
     * @param session the per-client delivery limits
     * @throws IllegalArgumentException if there is no link listener
     * @since 0.1.0
     */
    public BrokerConfig(
            String file,
            ClusterLinkConfig cluster,
            Bind mqtt,
            @Nullable Bind link,
            List<LinkAuthenticator.LinkUser> linkUsers,
            @Nullable LinkTlsListener linkTls,
            Management management,
            Path dataDir,
            BrokerType brokerType,
            Session session) {
        this(file, cluster, mqtt, link, linkUsers, linkTls, management, dataDir, brokerType, session, null);
    }

    /**
     * A configuration embedding HiveMQ, the default broker, with the default {@link Session} limits.
     *
     * @param file where it was read from, for messages
     * @param cluster the cluster link configuration
     * @param mqtt the listener for MQTT clients
     * @param link the plain TCP link listener, or null
     * @param linkUsers the users allowed on the plain TCP link listener
     * @param linkTls the TLS link listener, or null
     * @param management the management API's settings
     * @param dataDir where clink keeps its state, absolute
     * @throws IllegalArgumentException if there is no link listener
     * @since 0.1.0
     */
    public BrokerConfig(
            String file,
            ClusterLinkConfig cluster,
            Bind mqtt,
            @Nullable Bind link,
            List<LinkAuthenticator.LinkUser> linkUsers,
            @Nullable LinkTlsListener linkTls,
            Management management,
            Path dataDir) {
        this(file, cluster, mqtt, link, linkUsers, linkTls, management, dataDir, BrokerType.HIVEMQ, Session.DEFAULT);
    }

    /**
     * What the broker does for each MQTT client's QoS 1 and 2 deliveries ({@code mqtt { ... }}, EMQX's names).
     *
     * <p>A message waits in the client's queue while {@code maxInflight} deliveries to that client are unacknowledged;
     * a message arriving when the queue holds {@code maxMqueueLen} makes the broker drop one (which one: {@code
     * overflow}).
     *
     * @param maxInflight unacknowledged QoS 1/2 deliveries per client, and the Receive Maximum the broker grants every
     *     client (EMQX {@code mqtt.max_inflight}); 1 to 65535
     * @param maxMqueueLen messages queued per client beyond those in flight (EMQX {@code mqtt.max_mqueue_len}); 1 or
     *     more
     * @param overflow which message a full queue drops
     * @since 0.1.0
     */
    public record Session(int maxInflight, long maxMqueueLen, Overflow overflow) {

        /**
         * EMQX's in-flight window (32) and overflow policy (drop the oldest); a queue of 100,000 where EMQX has 1,000,
         * because HiveMQ accepts a publisher's burst faster than it delivers to a subscriber (EMQX and Mosquitto slow
         * the publisher down instead), and a 20,000-message burst from {@code mosquitto_pub -l} queues ~10,000 here.
         */
        public static final Session DEFAULT = new Session(32, 100_000, Overflow.DROP_OLDEST);

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException naming the value out of range
         */
        public Session {
            if (maxInflight < 1 || maxInflight > 65535) {
                throw new IllegalArgumentException("maxInflight must be in 1..65535, got " + maxInflight);
            }
            if (maxMqueueLen < 1) {
                throw new IllegalArgumentException("maxMqueueLen must be at least 1, got " + maxMqueueLen);
            }
            Objects.requireNonNull(overflow, "overflow");
        }
    }

    /**
     * Which message a client's full queue drops ({@code mqtt.mqueue_overflow}, a clink key; EMQX always drops the
     * oldest).
     *
     * @since 0.1.0
     */
    public enum Overflow {
        /** The oldest queued message makes room for the new one, as EMQX does ({@code drop_oldest}). */
        DROP_OLDEST,
        /** The new message is dropped, as HiveMQ does by default ({@code drop_new}). */
        DROP_NEW;

        /**
         * The configuration value.
         *
         * @return {@code drop_oldest} or {@code drop_new}
         */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The default management API address, as EMQX's dashboard port, on loopback only. */
    public static final Bind DEFAULT_MANAGEMENT = new Bind("127.0.0.1", 18083);

    /** The default {@code node.data_dir}, as EMQX's: {@code data} in the working directory. */
    public static final String DEFAULT_DATA_DIR = "data";

    /**
     * The management HTTP API ({@code management { enable, bind }}, {@code api_key.bootstrap_file}).
     *
     * @param enabled whether it runs
     * @param bind where it listens; {@code PORT} alone means loopback
     * @param apiKeyFile EMQX's {@code api_key.bootstrap_file} (lines {@code key:secret[:role]}), absolute, or null
     *     for none: the API is then read-only and unauthenticated
     * @param overrideFile where links written through the API persist, absolute, or null to keep them in memory
     *     (a configuration not read from a file)
     * @since 0.1.0
     */
    public record Management(
            boolean enabled,
            Bind bind,
            @Nullable Path apiKeyFile,
            @Nullable Path overrideFile) {

        /** On {@link #DEFAULT_MANAGEMENT}. */
        public static final Management DEFAULT = new Management(true, DEFAULT_MANAGEMENT);

        /**
         * Validates the fields.
         *
         * @throws NullPointerException if {@code bind} is null
         */
        public Management {
            Objects.requireNonNull(bind, "bind");
        }

        /** Without API keys nor override file. */
        public Management(boolean enabled, Bind bind) {
            this(enabled, bind, null, null);
        }
    }

    /**
     * The same configuration with another data directory (the demo keeps its state under the temporary directory).
     *
     * @param dir the directory, absolute
     * @return the new configuration
     * @since 0.1.0
     */
    public BrokerConfig withDataDir(Path dir) {
        return new BrokerConfig(
                file, cluster, mqtt, link, linkUsers, linkTls, management, dir, brokerType, session, clustering);
    }

    /**
     * The same configuration embedding another broker.
     *
     * @param type the broker
     * @return the new configuration
     * @since 0.1.0
     */
    public BrokerConfig withBrokerType(BrokerType type) {
        return new BrokerConfig(
                file, cluster, mqtt, link, linkUsers, linkTls, management, dataDir, type, session, clustering);
    }

    /**
     * A listener address.
     *
     * @param host an IP address or host name; {@code 0.0.0.0} for all interfaces
     * @param port 1..65535
     * @since 0.1.0
     */
    public record Bind(String host, int port) {

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if the port is out of range or the host empty
         */
        public Bind {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
        }

        /**
         * Parses {@code PORT} or {@code HOST:PORT} ({@code [v6]:PORT} for IPv6).
         *
         * @param text the bind text
         * @return the address, or null if the text is not one
         * @since 0.1.0
         */
        public static @org.jspecify.annotations.Nullable Bind parse(String text) {
            String t = text.trim();
            String host = "0.0.0.0";
            String port = t;
            if (t.startsWith("[")) {
                int close = t.indexOf("]:");
                if (close < 0) {
                    return null;
                }
                host = t.substring(1, close);
                port = t.substring(close + 2);
            } else if (t.indexOf(':') >= 0) {
                int colon = t.lastIndexOf(':');
                host = t.substring(0, colon);
                port = t.substring(colon + 1);
                if (host.indexOf(':') >= 0) {
                    return null;
                }
            }
            if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace) || !port.matches("\\d{1,5}")) {
                return null;
            }
            int p = Integer.parseInt(port);
            return p < 1 || p > 65535 ? null : new Bind(host, p);
        }

        /**
         * The address as printed: {@code host:port}, IPv6 in brackets.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        boolean overlaps(Bind other) {
            return port == other.port && (host.equals(other.host) || isAny(host) || isAny(other.host));
        }

        private static boolean isAny(String h) {
            return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
        }
    }

    /**
     * Loads a configuration file.
     *
     * @param file the HOCON file
     * @return the configuration
     * @throws ConfigLoadException naming the file, the field and the value of the first error
     * @since 0.1.0
     */
    public static BrokerConfig load(Path file) {
        ConfigDocument doc = ClusterLinkConfigLoader.parseFile(file);
        BrokerConfig c = from(doc, file.toString(), ClusterLinkConfigLoader.baseDirectoryOf(file));
        // Links written through the management API, on top of the file (see OverrideFile).
        Path override = OverrideFile.pathFor(file);
        ClusterLinkConfig cluster =
                OverrideFile.read(override, c.cluster().name()).applyTo(c.cluster());
        Management m = c.management();
        return new BrokerConfig(
                c.file,
                cluster,
                c.mqtt,
                c.link,
                c.linkUsers,
                c.linkTls,
                new Management(m.enabled(), m.bind(), m.apiKeyFile(), override),
                c.dataDir,
                c.brokerType,
                c.session,
                c.clustering);
    }

    /**
     * Reads a parsed document.
     *
     * @param doc the resolved HOCON document
     * @param origin how messages name it
     * @param baseDirectory where relative file names resolve
     * @return the configuration
     * @throws ConfigLoadException naming the origin, the field and the value of the first error
     * @since 0.1.0
     */
    public static BrokerConfig from(ConfigDocument doc, String origin, Path baseDirectory) {
        Consumer<String> warn = LOG::warn;
        ConfigSection root = doc.root(origin, baseDirectory, warn);
        root.checkKeys(ROOT_KEYS, ROOT_IGNORED, Map.of());
        // discovery_strategy and static are read below, as the Artemis cluster connection.
        ClusterLinkConfig cluster =
                ClusterLinkConfigLoader.fromConfig(doc, origin, baseDirectory, Set.of("discovery_strategy", "static"));
        ConfigSection listeners = root.section("listeners").orElseThrow(() -> root.missing("listeners"));
        listeners.checkKeys(
                Set.of("tcp", "ssl"),
                Map.of(),
                Map.of(
                        "ws", "WebSocket listeners are not offered by clink-broker",
                        "wss", "WebSocket listeners are not offered by clink-broker",
                        "quic", "QUIC listeners are not offered by clink-broker"));
        ConfigSection tcp = listeners.section("tcp").orElse(null);
        if (tcp != null) {
            tcp.checkKeys(Set.of("default", "clink"), Map.of(), Map.of());
        }
        Bind mqtt = tcp == null
                ? DEFAULT_MQTT
                : tcp.section("default").map(BrokerConfig::bind).orElse(DEFAULT_MQTT);
        ConfigSection ssl = listeners.section("ssl").orElse(null);
        if (ssl != null) {
            ssl.checkKeys(
                    Set.of("clink"),
                    Map.of(),
                    Map.of(
                            "default",
                            "clink-broker offers TLS on the link listener (ssl.clink) only; MQTT clients use tcp.default"));
        }
        ConfigSection sslClink = ssl == null ? null : ssl.section("clink").orElse(null);
        ConfigSection clink = tcp == null ? null : tcp.section("clink").orElse(null);
        if (clink == null && sslClink == null) {
            throw listeners.error("needs a link listener: tcp.clink { bind }, ssl.clink { bind, ssl_options } or both");
        }
        LinkTlsListener linkTls = null;
        if (sslClink != null) {
            Bind tlsBind = bind(sslClink, Set.of("bind", "enable", "authentication", "ssl_options"));
            if (mqtt.overlaps(tlsBind)) {
                throw sslClink.error("bind", "uses the same address as listeners.tcp.default (" + mqtt + ")");
            }
            linkTls = LinkTlsListener.read(sslClink, tlsBind, users(sslClink));
        }
        Bind link = null;
        List<LinkAuthenticator.LinkUser> users = List.of();
        if (clink != null) {
            link = bind(clink);
            if (mqtt.overlaps(link)) {
                throw clink.error("bind", "uses the same address as listeners.tcp.default (" + mqtt + ")");
            }
            if (linkTls != null && sslClink != null && linkTls.bind().overlaps(link)) {
                throw sslClink.error("bind", "uses the same address as listeners.tcp.clink (" + link + ")");
            }
            users = users(clink);
        }
        Bind linkBind = link;
        LinkTlsListener tls = linkTls;
        Management management = root.section("management")
                .map(m -> management(m, mqtt, linkBind, tls))
                .orElse(Management.DEFAULT);
        Path apiKeys = root.section("api_key").map(BrokerConfig::apiKeyFile).orElse(null);
        if (apiKeys != null) {
            management = new Management(management.enabled(), management.bind(), apiKeys, null);
        }
        ConfigSection node = root.section("node").orElse(null);
        Path dataDir = node == null ? absolute(DEFAULT_DATA_DIR) : dataDir(node);
        BrokerType type = root.section("broker").map(BrokerConfig::brokerType).orElse(BrokerType.HIVEMQ);
        Session session = root.section("mqtt").map(BrokerConfig::session).orElse(Session.DEFAULT);
        // Always there: the cluster link configuration above requires it.
        ConfigSection clusterSection = root.section("cluster").orElseThrow(() -> root.missing("cluster"));
        Clustering clustering = Clustering.read(clusterSection, node).orElse(null);
        if (clustering == null) {
            if (node != null) {
                for (String k : List.of("name", "cookie", "cluster_bind", "route_store_bind")) {
                    if (node.has(k)) {
                        LOG.warn("{}: ignored (used only with cluster.discovery_strategy = static)", node.pathOf(k));
                    }
                }
            }
        } else {
            checkMultiNode(
                    clusterSection, Objects.requireNonNull(node), clustering, cluster, type, mqtt, link, linkTls);
        }
        return new BrokerConfig(
                origin, cluster, mqtt, link, users, linkTls, management, dataDir, type, session, clustering);
    }

    private static void checkMultiNode(
            ConfigSection clusterSection,
            ConfigSection node,
            Clustering clustering,
            ClusterLinkConfig cluster,
            BrokerType type,
            Bind mqtt,
            @Nullable Bind link,
            @Nullable LinkTlsListener linkTls) {
        if (type == BrokerType.HIVEMQ) {
            throw clusterSection.error(
                    "discovery_strategy",
                    "is static (several nodes), but broker.type is hivemq: HiveMQ CE cannot cluster; use broker.type"
                            + " = artemis");
        }
        if (cluster.actorName().isPresent()
                || cluster.links().stream().anyMatch(l -> l.actorName().isPresent())) {
            throw clusterSection.error(
                    "actor_name",
                    "must not be set on a multi-node region: each node runs its own actor, named after node.name");
        }
        Bind b = clustering.bind();
        if (b.overlaps(mqtt) || (link != null && b.overlaps(link)) || (linkTls != null && b.overlaps(linkTls.bind()))) {
            throw node.error("cluster_bind", "uses the same address as a listener (" + b + ")");
        }
        Bind s = clustering.storeBind();
        if (s.overlaps(mqtt) || (link != null && s.overlaps(link)) || (linkTls != null && s.overlaps(linkTls.bind()))) {
            throw node.error(
                    node.has("route_store_bind") ? "route_store_bind" : "cluster_bind",
                    "puts the route store (" + s + ") on the address of a listener");
        }
    }

    private static BrokerType brokerType(ConfigSection broker) {
        broker.checkKeys(Set.of("type"), Map.of(), Map.of());
        String text = broker.string("type").orElse(BrokerType.HIVEMQ.configName());
        return BrokerType.fromConfigName(text).orElseThrow(() -> broker.error("type", "must be hivemq or artemis"));
    }

    private static List<LinkAuthenticator.LinkUser> users(ConfigSection clink) {
        List<LinkAuthenticator.LinkUser> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigSection u : clink.sections("authentication").orElse(List.of())) {
            u.checkKeys(Set.of("username", "password", "cluster"), Map.of(), Map.of());
            String username = u.string("username").orElseThrow(() -> u.missing("username"));
            String password = u.secret("password").orElseThrow(() -> u.missing("password"));
            String remote = u.string("cluster").orElseThrow(() -> u.missing("cluster"));
            if (!names.add(username)) {
                throw u.error("username", "is listed twice");
            }
            try {
                users.add(new LinkAuthenticator.LinkUser(username, password, remote));
            } catch (IllegalArgumentException e) {
                String detail = String.valueOf(e.getMessage());
                throw u.error(detail.startsWith("cluster") ? "cluster" : "username", detail);
            }
        }
        if (clink.has("authentication") && users.isEmpty()) {
            throw clink.error("authentication", "lists no user; leave it out to accept anonymous link connections");
        }
        return users;
    }

    private static Management management(
            ConfigSection m, Bind mqtt, @Nullable Bind link, @Nullable LinkTlsListener tls) {
        m.checkKeys(Set.of("enable", "bind"), Map.of(), Map.of());
        boolean enabled = m.bool("enable").orElse(true);
        Bind bind = DEFAULT_MANAGEMENT;
        if (m.has("bind")) {
            String text = m.string("bind").orElseThrow(() -> m.missing("bind"));
            Bind parsed = Bind.parse(text);
            if (parsed == null) {
                throw m.error("bind", "must be PORT or HOST:PORT with a port in 1..65535 ([v6]:PORT for IPv6)");
            }
            // No authentication: a bare port stays on loopback; listening elsewhere must be asked for by address.
            bind = text.trim().matches("\\d+") ? new Bind(DEFAULT_MANAGEMENT.host(), parsed.port()) : parsed;
        }
        if (enabled && bind.overlaps(mqtt)) {
            throw m.error("bind", "uses the same address as listeners.tcp.default (" + mqtt + ")");
        }
        if (enabled && link != null && bind.overlaps(link)) {
            throw m.error("bind", "uses the same address as listeners.tcp.clink (" + link + ")");
        }
        if (enabled && tls != null && bind.overlaps(tls.bind())) {
            throw m.error("bind", "uses the same address as listeners.ssl.clink (" + tls.bind() + ")");
        }
        return new Management(enabled, bind);
    }

    /** {@code api_key { bootstrap_file }}, read once here so that a bad line stops the load naming it. */
    private static @Nullable Path apiKeyFile(ConfigSection apiKey) {
        apiKey.checkKeys(Set.of("bootstrap_file"), Map.of(), Map.of());
        Path file = apiKey.file("bootstrap_file").orElse(null);
        if (file != null) {
            ApiKeys.read(file);
        }
        return file;
    }

    private static Session session(ConfigSection m) {
        Map<String, String> ignored = new java.util.HashMap<>();
        MQTT_IGNORED.forEach(k -> ignored.put(k, "an EMQX MQTT setting clink-broker does not offer; HiveMQ's applies"));
        m.checkKeys(MQTT_KEYS, ignored, Map.of());
        int inflight = m.int32("max_inflight").orElse(Session.DEFAULT.maxInflight());
        if (inflight < 1 || inflight > 65535) {
            throw m.error("max_inflight", "must be in 1..65535, got " + inflight);
        }
        long queue = m.integer("max_mqueue_len").orElse(Session.DEFAULT.maxMqueueLen());
        if (queue < 1) {
            throw m.error("max_mqueue_len", "must be at least 1, got " + queue);
        }
        Overflow overflow = Session.DEFAULT.overflow();
        if (m.has("mqueue_overflow")) {
            String text = m.string("mqueue_overflow").orElseThrow(() -> m.missing("mqueue_overflow"));
            overflow = java.util.Arrays.stream(Overflow.values())
                    .filter(o -> o.configName().equals(text.trim()))
                    .findFirst()
                    .orElseThrow(
                            () -> m.error("mqueue_overflow", "must be drop_oldest or drop_new, got \"" + text + "\""));
        }
        return new Session(inflight, queue, overflow);
    }

    private static Path dataDir(ConfigSection node) {
        Map<String, String> ignored = new java.util.HashMap<>();
        Set<String> known = Set.of("data_dir", "name", "cookie", "cluster_bind", "route_store_bind");
        node.keys().forEach(k -> {
            if (!known.contains(k)) {
                ignored.put(k, NODE_IGNORED);
            }
        });
        node.checkKeys(known, ignored, Map.of());
        String text = node.string("data_dir").orElse(DEFAULT_DATA_DIR);
        if (text.isBlank()) {
            throw node.error("data_dir", "must not be empty");
        }
        Path dir;
        try {
            dir = absolute(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw node.error("data_dir", "is not a file name: " + e.getMessage());
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw node.error("data_dir", "is not a directory (" + dir + ")");
        }
        if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
            throw node.error("data_dir", "is not writable (" + dir + ")");
        }
        return dir;
    }

    /** As EMQX's {@code node.data_dir}: a relative name is relative to the working directory. */
    private static Path absolute(String name) {
        return Path.of(name).toAbsolutePath().normalize();
    }

    private static Bind bind(ConfigSection listener) {
        return bind(listener, Set.of("bind", "enable", "authentication"));
    }

    private static Bind bind(ConfigSection listener, Set<String> keys) {
        listener.checkKeys(
                keys,
                Map.of(
                        "max_connections", "the embedded broker's own limits apply",
                        "acceptors", "an Erlang option",
                        "proxy_protocol", "not supported; connect directly"),
                Map.of());
        if (!listener.bool("enable").orElse(true)) {
            throw listener.error("enable", "a clink-broker listener cannot be disabled");
        }
        String text = listener.string("bind").orElseThrow(() -> listener.missing("bind"));
        Bind b = Bind.parse(text);
        if (b == null) {
            throw listener.error("bind", "must be PORT or HOST:PORT with a port in 1..65535 ([v6]:PORT for IPv6)");
        }
        return b;
    }
}
