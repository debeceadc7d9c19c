package io.clink.broker;

import io.clink.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a {@code clink-broker} node joins the other nodes of its region: EMQX's {@code cluster.discovery_strategy =
 * static} and {@code cluster.static.seeds}, with {@code node.name} and {@code node.cookie}, mapped to one Artemis
 * cluster connection (static connectors, message load balancing {@code ON_DEMAND}).
 *
 * <p>EMQX's seeds are Erlang node names ({@code emqx@host}), which carry no port; Artemis needs each peer's cluster
 * acceptor, so clink accepts {@code name@host:port} (the port defaults to {@value #DEFAULT_PORT}, EMQX's own
 * distribution port), and this node's acceptor is {@code node.cluster_bind} (clink's key).
 *
 * @param nodeName this node's {@code node.name}; also the engine's node name, so each node has its own route actor
 * @param bind this node's cluster acceptor ({@code node.cluster_bind})
 * @param peers the other nodes ({@code cluster.static.seeds} without this node), at least one
 * @param cookie the shared secret ({@code node.cookie}): the Artemis cluster password, and part of the route store's
 *     Hazelcast cluster name
 * @param storeBind this node's route-store member ({@code node.route_store_bind}; default: the cluster acceptor's
 *     host, its port + {@value #STORE_PORT_OFFSET})
 * @param storeMembers every node's route-store member, {@code host:port} ({@code cluster.static.route_store_seeds};
 *     default: each seed's host and port + {@value #STORE_PORT_OFFSET}, and this node's)
 * @since 0.1.0
 */
public record Clustering(
        String nodeName,
        BrokerConfig.Bind bind,
        List<Seed> peers,
        String cookie,
        BrokerConfig.Bind storeBind,
        List<String> storeMembers) {

    /** The cluster acceptor's port when a seed or {@code node.cluster_bind} names none: EMQX's distribution port. */
    public static final int DEFAULT_PORT = 4370;

    /**
     * The route store's port when {@code node.route_store_bind} or {@code cluster.static.route_store_seeds} does not
     * say: the cluster acceptor's port plus this, as EMQX's RPC port (5370) is its distribution port (4370) plus
     * 1000.
     */
    public static final int STORE_PORT_OFFSET = 1000;

    /** The cookie EMQX ships with; a cluster secured by it is secured by nothing. */
    static final String EMQX_DEFAULT_COOKIE = "emqxsecretcookie";

    /** Shorter cookies are refused: the cookie is the only thing that keeps strangers out of the cluster acceptor. */
    static final int MIN_COOKIE_LENGTH = 16;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if a field is empty or a peer is this node
     */
    public Clustering {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(storeBind, "storeBind");
        peers = List.copyOf(peers);
        storeMembers = List.copyOf(storeMembers);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("at least one peer is required");
        }
        for (Seed s : peers) {
            if (s.name().equals(nodeName)) {
                throw new IllegalArgumentException("a peer is this node: " + s);
            }
        }
    }

    /**
     * One {@code cluster.static.seeds} entry.
     *
     * @param name the node's {@code node.name}
     * @param host where its cluster acceptor listens
     * @param port its cluster acceptor's port
     * @since 0.1.0
     */
    public record Seed(String name, String host, int port) {

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if the port is out of range or a name empty
         */
        public Seed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
            if (name.isEmpty() || host.isEmpty()) {
                throw new IllegalArgumentException("name and host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
        }

        @Override
        public String toString() {
            return name + ":" + port;
        }
    }

    /**
     * Reads the clustering keys. Blocking-free; the loading thread.
     *
     * @param cluster the {@code cluster} section
     * @param node the {@code node} section, or null
     * @return the clustering, or empty for a single node ({@code discovery_strategy} absent, {@code manual} or
     *     {@code singleton})
     * @throws io.clink.core.config.ConfigLoadException naming the key and the value of the first error
     */
    static Optional<Clustering> read(ConfigSection cluster, @Nullable ConfigSection node) {
        String strategy =
                cluster.string("discovery_strategy").orElse("manual").trim().toLowerCase(Locale.ROOT);
        switch (strategy) {
            case "manual", "singleton" -> {
                // EMQX's default: a node that nobody joined runs alone; clink-broker has no join command.
                if (cluster.has("static")) {
                    throw cluster.error(
                            "discovery_strategy",
                            "is " + strategy
                                    + " (one node), but cluster.static is set; use discovery_strategy = static");
                }
                return Optional.empty();
            }
            case "static" -> {
                // handled below
            }
            default ->
                throw cluster.error(
                        "discovery_strategy",
                        "must be manual or singleton (one node) or static, got \"" + strategy
                                + "\"; clink-broker finds nodes from a" + " static list only");
        }
        ConfigSection stat = cluster.section("static").orElseThrow(() -> cluster.missing("static"));
        stat.checkKeys(List.of("seeds", "route_store_seeds"), java.util.Map.of(), java.util.Map.of());
        List<String> texts = stat.strings("seeds").orElseThrow(() -> stat.missing("seeds"));
        if (node == null) {
            throw cluster.error("discovery_strategy", "is static, which needs node { name, cookie, cluster_bind }");
        }
        String name =
                node.string("name").orElseThrow(() -> node.missing("name")).trim();
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '+' || c == '#')) {
            throw node.error("name", "must be non-empty without whitespace, '/', '+' or '#', got \"" + name + "\"");
        }
        String cookie = node.secret("cookie").orElseThrow(() -> node.missing("cookie"));
        if (cookie.equals(EMQX_DEFAULT_COOKIE)) {
            throw node.error("cookie", "is EMQX's published default; choose a secret shared by the region's nodes");
        }
        if (cookie.length() < MIN_COOKIE_LENGTH) {
            throw node.error("cookie", "must be at least " + MIN_COOKIE_LENGTH + " characters");
        }
        String bindText = node.string("cluster_bind").orElseThrow(() -> node.missing("cluster_bind"));
        BrokerConfig.Bind bind = BrokerConfig.Bind.parse(bindText);
        if (bind == null) {
            throw node.error(
                    "cluster_bind", "must be PORT or HOST:PORT with a port in 1..65535, got \"" + bindText + "\"");
        }
        List<Seed> peers = new ArrayList<>();
        for (String text : texts) {
            Seed s = seed(stat, text);
            if (s.name().equals(name)) {
                continue; // EMQX's lists name every node, this one included
            }
            if (peers.stream().anyMatch(p -> p.name().equals(s.name()))) {
                throw stat.error("seeds", "names node " + s.name() + " twice");
            }
            peers.add(s);
        }
        if (peers.isEmpty()) {
            throw stat.error("seeds", "must name at least one node other than this one (" + name + ")");
        }
        BrokerConfig.Bind storeBind = storeBind(node, bind);
        List<String> storeMembers = storeMembers(stat, node, bind, storeBind, peers);
        return Optional.of(new Clustering(name, bind, peers, cookie, storeBind, storeMembers));
    }

    /** {@code node.route_store_bind}, or the cluster acceptor's host and port + {@value #STORE_PORT_OFFSET}. */
    private static BrokerConfig.Bind storeBind(ConfigSection node, BrokerConfig.Bind bind) {
        BrokerConfig.Bind storeBind;
        if (node.has("route_store_bind")) {
            String text = node.string("route_store_bind").orElseThrow();
            storeBind = BrokerConfig.Bind.parse(text);
            if (storeBind == null) {
                throw node.error(
                        "route_store_bind", "must be PORT or HOST:PORT with a port in 1..65535, got \"" + text + "\"");
            }
        } else if (bind.port() + STORE_PORT_OFFSET > 65535) {
            throw node.error(
                    "cluster_bind",
                    "uses port " + bind.port() + ", so route_store_bind (default: that port + " + STORE_PORT_OFFSET
                            + ") must be set");
        } else {
            storeBind = new BrokerConfig.Bind(bind.host(), bind.port() + STORE_PORT_OFFSET);
        }
        if (storeBind.overlaps(bind)) {
            throw node.error("route_store_bind", "uses the same address as cluster_bind (" + bind + ")");
        }
        return storeBind;
    }

    /**
     * {@code cluster.static.route_store_seeds}, or every node's cluster port + {@value #STORE_PORT_OFFSET}; never on
     * a node's cluster acceptor.
     */
    private static List<String> storeMembers(
            ConfigSection stat,
            ConfigSection node,
            BrokerConfig.Bind bind,
            BrokerConfig.Bind storeBind,
            List<Seed> peers) {
        List<String> storeMembers = new ArrayList<>();
        if (stat.has("route_store_seeds")) {
            for (String text : stat.strings("route_store_seeds").orElseThrow()) {
                String t = text.trim();
                int colon = t.lastIndexOf(':');
                int port = -1;
                try {
                    port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : -1;
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (port < 1 || port > 65535) {
                    throw stat.error("route_store_seeds", "entry \"" + text + "\" must be HOST:PORT, port in 1..65535");
                }
                storeMembers.add(t);
            }
            if (storeMembers.isEmpty()) {
                throw stat.error("route_store_seeds", "must list the route-store member of every node");
            }
        } else {
            storeMembers.add(storeBind.host() + ":" + storeBind.port());
            for (Seed p : peers) {
                if (p.port() + STORE_PORT_OFFSET > 65535) {
                    throw stat.error(
                            "seeds",
                            "entry " + p + " uses port " + p.port() + ", so route_store_seeds (default: each seed's"
                                    + " port + " + STORE_PORT_OFFSET + ") must be set");
                }
                storeMembers.add(p.host() + ":" + (p.port() + STORE_PORT_OFFSET));
            }
        }
        // A store member on a node's cluster acceptor would make Hazelcast and Artemis fight over one port.
        List<String> clusterAddresses = new ArrayList<>();
        clusterAddresses.add(bind.host() + ":" + bind.port());
        peers.forEach(p -> clusterAddresses.add(p.host() + ":" + p.port()));
        for (String m : storeMembers) {
            if (clusterAddresses.contains(m)) {
                throw stat.has("route_store_seeds")
                        ? stat.error("route_store_seeds", "entry \"" + m + "\" is a node's cluster acceptor")
                        : node.error(
                                "cluster_bind",
                                "and the seeds put a route-store member (port + " + STORE_PORT_OFFSET + ") on a node's"
                                        + " cluster acceptor (" + m + "); set node.route_store_bind and"
                                        + " cluster.static.route_store_seeds");
            }
        }
        return storeMembers;
    }

    private static Seed seed(ConfigSection stat, String text) {
        String t = text.trim();
        int at = t.indexOf('@');
        if (at <= 0 || at == t.length() - 1) {
            throw stat.error("seeds", "entry \"" + text + "\" must be NAME@HOST or NAME@HOST:PORT");
        }
        String name = t.substring(0, at);
        String rest = t.substring(at + 1);
        String host = rest;
        int port = DEFAULT_PORT;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && !rest.endsWith("]")) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw stat.error("seeds", "entry \"" + text + "\" must be NAME@HOST or NAME@HOST:PORT, port in 1..65535");
        }
        // The seed's node name is the whole EMQX name (name@host), as node.name is.
        return new Seed(name + "@" + stripPort(rest), host, port);
    }

    private static String stripPort(String rest) {
        int colon = rest.lastIndexOf(':');
        return colon >= 0 && !rest.endsWith("]") ? rest.substring(0, colon) : rest;
    }

    @Override
    public String toString() {
        return "Clustering{" + nodeName + " at " + bind + ", peers=" + peers + "}";
    }
}
