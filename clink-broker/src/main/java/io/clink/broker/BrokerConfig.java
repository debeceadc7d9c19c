package io.clink.broker;

import com.typesafe.config.Config;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.internal.config.Section;
import io.clink.hivemq.LinkAuthenticator;
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
 * @since 0.1.0
 */
public record BrokerConfig(
        String file, ClusterLinkConfig cluster, Bind mqtt, @Nullable Bind link,
        List<LinkAuthenticator.LinkUser> linkUsers, @Nullable LinkTlsListener linkTls) {

    /** The default MQTT listener, as EMQX's: all interfaces, port 1883. */
    public static final Bind DEFAULT_MQTT = new Bind("0.0.0.0", 1883);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);
    private static final Set<String> ROOT_KEYS = Set.of("cluster", "listeners");
    private static final Map<String, String> ROOT_IGNORED = Map.of(
            "node", "EMQX node settings; clink-broker runs one node",
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
        Config doc = ClusterLinkConfigLoader.parseFile(file);
        return from(doc, file.toString(), ClusterLinkConfigLoader.baseDirectoryOf(file));
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
    public static BrokerConfig from(Config doc, String origin, Path baseDirectory) {
        Consumer<String> warn = LOG::warn;
        Section root = Section.root(doc.root(), new Section.Source(origin, baseDirectory, warn));
        root.checkKeys(ROOT_KEYS, ROOT_IGNORED, Map.of());
        ClusterLinkConfig cluster = ClusterLinkConfigLoader.fromConfig(doc, origin, baseDirectory);
        Section listeners = root.section("listeners").orElseThrow(() -> root.missing("listeners"));
        listeners.checkKeys(Set.of("tcp", "ssl"), Map.of(), Map.of(
                "ws", "WebSocket listeners are not offered by clink-broker",
                "wss", "WebSocket listeners are not offered by clink-broker",
                "quic", "QUIC listeners are not offered by clink-broker"));
        Section tcp = listeners.section("tcp").orElse(null);
        if (tcp != null) {
            tcp.checkKeys(Set.of("default", "clink"), Map.of(), Map.of());
        }
        Bind mqtt = tcp == null ? DEFAULT_MQTT : tcp.section("default").map(BrokerConfig::bind).orElse(DEFAULT_MQTT);
        Section ssl = listeners.section("ssl").orElse(null);
        if (ssl != null) {
            ssl.checkKeys(Set.of("clink"), Map.of(), Map.of("default",
                    "clink-broker offers TLS on the link listener (ssl.clink) only; MQTT clients use tcp.default"));
        }
        Section sslClink = ssl == null ? null : ssl.section("clink").orElse(null);
        Section clink = tcp == null ? null : tcp.section("clink").orElse(null);
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
        if (clink == null) {
            return new BrokerConfig(origin, cluster, mqtt, null, List.of(), linkTls);
        }
        Bind link = bind(clink);
        if (mqtt.overlaps(link)) {
            throw clink.error("bind", "uses the same address as listeners.tcp.default (" + mqtt + ")");
        }
        if (linkTls != null && linkTls.bind().overlaps(link)) {
            throw sslClink.error("bind", "uses the same address as listeners.tcp.clink (" + link + ")");
        }
        return new BrokerConfig(origin, cluster, mqtt, link, users(clink), linkTls);
    }

    private static List<LinkAuthenticator.LinkUser> users(Section clink) {
        List<LinkAuthenticator.LinkUser> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Section u : clink.sections("authentication").orElse(List.of())) {
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
                throw u.error(e.getMessage().startsWith("cluster") ? "cluster" : "username", e.getMessage());
            }
        }
        if (clink.has("authentication") && users.isEmpty()) {
            throw clink.error("authentication", "lists no user; leave it out to accept anonymous link connections");
        }
        return users;
    }

    private static Bind bind(Section listener) {
        return bind(listener, Set.of("bind", "enable", "authentication"));
    }

    private static Bind bind(Section listener, Set<String> keys) {
        listener.checkKeys(keys, Map.of(
                "max_connections", "HiveMQ's own limits apply",
                "acceptors", "an Erlang option",
                "proxy_protocol", "not supported; connect directly"), Map.of());
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
