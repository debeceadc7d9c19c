package io.clink.api.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cluster-linking configuration of this cluster: its own name ({@code cluster.name}) and its links ({@code
 * cluster.links}). Immutable; built by {@link #builder()}, which checks across the links that every link name is
 * unique and that no link carries the local cluster's name. Equal when the name, the actor name and the links (in
 * order) are equal.
 *
 * <p>In the configuration file:
 *
 * <pre>
 * cluster {
 *   name = "cluster-us-east"
 *   links = [
 *     { name = "cluster-eu-west", server = "emqx.eu-west.example.net:11883", clientid = "clink-us-east",
 *       topics = ["#"] }
 *   ]
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class ClusterLinkConfig {

    /** Option {@code cluster.name}. */
    public static final ConfigOption<String> NAME = ConfigOption.required(
            "name",
            "This cluster's name, as the remote clusters' links name it. Also the default base of the link client ids.",
            "1..254 characters matching ^[0-9A-Za-z][-0-9A-Za-z_]*$");

    /** Option {@code cluster.links}. */
    public static final ConfigOption<List<LinkConfig>> LINKS = ConfigOption.withDefault(
            "links", List.of(), "The links to other clusters, one per remote cluster.", "unique link names");

    /** Option {@code cluster.actor_name} (clink). */
    public static final ConfigOption<String> ACTOR_NAME = ConfigOption.optional(
            "actor_name",
            "Default name of this node's route-replication actors, unique per node and stable across restarts. "
                    + "Default: clink@<host name>.",
            "1..255 characters, no whitespace, control characters, '/', '+' or '#'");

    private final String name;
    private final List<LinkConfig> links;
    private final @Nullable String actorName;

    private ClusterLinkConfig(String name, List<LinkConfig> links, @Nullable String actorName) {
        this.name = name;
        this.links = links;
        this.actorName = actorName;
    }

    /**
     * Starts a builder. {@link Builder#name} is required; the list of links starts empty.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code cluster.name}.
     *
     * @return the local cluster's name
     * @since 0.1.0
     */
    public String name() {
        return name;
    }

    /**
     * {@code cluster.links}.
     *
     * @return the links in configuration order, immutable
     * @since 0.1.0
     */
    public List<LinkConfig> links() {
        return links;
    }

    /**
     * The links with {@code enable = true}.
     *
     * @return the enabled links in configuration order, immutable
     * @since 0.1.0
     */
    public List<LinkConfig> enabledLinks() {
        return links.stream().filter(LinkConfig::enable).collect(java.util.stream.Collectors.toUnmodifiableList());
    }

    /**
     * The link to a remote cluster.
     *
     * @param remoteCluster the remote cluster's name, not null
     * @return the link, or empty if none is configured
     * @since 0.1.0
     */
    public Optional<LinkConfig> link(String remoteCluster) {
        Objects.requireNonNull(remoteCluster, "remoteCluster");
        return links.stream().filter(l -> l.name().equals(remoteCluster)).findFirst();
    }

    /**
     * {@code cluster.actor_name}, as configured.
     *
     * @return the default actor name, or empty to use the node's name
     * @since 0.1.0
     */
    public Optional<String> actorName() {
        return Optional.ofNullable(actorName);
    }

    /**
     * The base client id a link's connections use: its {@code clientid}, or the local cluster's name.
     *
     * @param link a link, not null
     * @return the base client id
     * @since 0.1.0
     */
    public String clientIdOf(LinkConfig link) {
        return link.clientId().orElse(name);
    }

    /**
     * The name of this node's route-replication actor on a link: the link's {@code actor_name}, else this
     * configuration's {@code actor_name}, else the node's name. Every node of a cluster must end up with a distinct
     * name: the remote counts routes per actor, and two nodes sharing one actor would keep each other's routes alive.
     *
     * @param link a link, not null
     * @param nodeName this broker node's name (EMQX uses its Erlang node name, e.g. {@code emqx@10.0.0.1})
     * @return the actor name
     * @since 0.1.0
     */
    public String actorNameOf(LinkConfig link, String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        return link.actorName().orElseGet(() -> actorName != null ? actorName : nodeName);
    }

    /**
     * The default node name, {@code clink@<host name>}, with any character that cannot appear in a topic level or a
     * client id replaced. Resolved once per process; may consult DNS on first use.
     *
     * @return the default node name
     * @since 0.1.0
     */
    public static String defaultNodeName() {
        return HostActorName.VALUE;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ClusterLinkConfig)) {
            return false;
        }
        ClusterLinkConfig c = (ClusterLinkConfig) o;
        return name.equals(c.name) && links.equals(c.links) && Objects.equals(actorName, c.actorName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, links, actorName);
    }

    /** Every option; link passwords show as {@code ******}. */
    @Override
    public String toString() {
        return "ClusterLinkConfig{name=" + name + ", actor_name=" + actorName + ", links=" + links + '}';
    }

    /**
     * Builds {@link ClusterLinkConfig}. Not thread-safe. Setters check their value at once; {@link #build()} checks
     * the links against each other and against the local name.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Checks.SetOnce setOnce = new Checks.SetOnce();
        private @Nullable String name;
        private final List<LinkConfig> links = new ArrayList<>();
        private @Nullable String actorName;

        private Builder() {}

        /**
         * Sets {@code cluster.name}. Required.
         *
         * @param name 1..254 characters matching {@code ^[0-9A-Za-z][-0-9A-Za-z_]*$}
         * @return this builder
         * @throws InvalidConfigException if the name breaks the rule
         */
        public Builder name(String name) {
            this.name = Checks.name("cluster." + NAME.name(), name);
            setOnce.mark("cluster." + NAME.name());
            return this;
        }

        /**
         * Appends a link.
         *
         * @param link the link, not null
         * @return this builder
         */
        public Builder link(LinkConfig link) {
            links.add(Objects.requireNonNull(link, "link"));
            return this;
        }

        /**
         * Replaces the links.
         *
         * @param links the links in order, not null, no null elements
         * @return this builder
         */
        public Builder links(List<LinkConfig> links) {
            List<LinkConfig> copy = List.copyOf(Objects.requireNonNull(links, "links"));
            this.links.clear();
            this.links.addAll(copy);
            return this;
        }

        /**
         * Sets {@code cluster.actor_name}, the default actor name of every link.
         *
         * @param actorName 1..255 characters without whitespace, control characters, {@code /}, {@code +} or {@code
         *     #}, or null for {@code clink@<host name>}
         * @return this builder
         * @throws InvalidConfigException if the name breaks the rule
         */
        public Builder actorName(@Nullable String actorName) {
            this.actorName = actorName == null ? null : Checks.actorName("cluster." + ACTOR_NAME.name(), actorName);
            setOnce.mark("cluster." + ACTOR_NAME.name());
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws InvalidConfigException with reason {@link InvalidConfigException#REQUIRED_FIELD} if the name is
         *     missing, {@link InvalidConfigException#DUPLICATED_CLUSTER_LINKS} naming every link name used more than
         *     once, {@link InvalidConfigException#LINK_TO_SELF} naming a link that carries the local name, or {@link
         *     InvalidConfigException#DUPLICATE_OPTION}
         */
        public ClusterLinkConfig build() {
            setOnce.check();
            String n = name;
            if (n == null) {
                throw InvalidConfigException.required("cluster." + NAME.name(), null);
            }
            Map<String, Integer> seen = new HashMap<>();
            Set<String> duplicates = new LinkedHashSet<>();
            for (LinkConfig l : links) {
                if (seen.merge(l.name(), 1, Integer::sum) == 2) {
                    duplicates.add(l.name());
                }
            }
            if (!duplicates.isEmpty()) {
                throw new InvalidConfigException(
                        "cluster." + LINKS.name(),
                        InvalidConfigException.DUPLICATED_CLUSTER_LINKS,
                        "duplicated cluster link names " + duplicates + "; each link names a different remote cluster");
            }
            for (int i = 0; i < links.size(); i++) {
                if (links.get(i).name().equals(n)) {
                    throw new InvalidConfigException(
                            "cluster." + LINKS.name() + "[" + i + "]." + LinkConfig.NAME.name(),
                            InvalidConfigException.LINK_TO_SELF,
                            "'" + n + "' is the local cluster's name; a link is named after the remote cluster");
                }
            }
            return new ClusterLinkConfig(n, List.copyOf(links), actorName);
        }
    }

    /** The host-name default of the node name, resolved once per process on first use. */
    private static final class HostActorName {
        static final String VALUE = "clink@" + sanitize(hostName());

        private HostActorName() {}

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException | SecurityException e) {
                return "localhost";
            }
        }

        /** Keeps the name usable as a topic level and a client-id part whatever the resolver returned. */
        private static String sanitize(String host) {
            StringBuilder sb = new StringBuilder(host.length());
            for (int i = 0; i < host.length() && sb.length() < 240; i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_';
                sb.append(ok ? c : '_');
            }
            return sb.length() == 0 ? "localhost" : sb.toString();
        }
    }
}
