package io.clink.api.config;

import io.clink.api.transport.TlsSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One cluster link: an entry of {@code cluster.links}, named after the <em>remote</em> cluster. Carries every field
 * of EMQX's link schema (protocol document section 5.1) that clink honours, with EMQX's defaults, plus clink's own
 * options ({@code keepalive}, {@code actor_name}, {@code reconnect}, {@code forwarding_buffer}). Immutable; built by
 * {@link #builder()}. Equal when every field is equal, so a configuration reload can tell which links changed.
 *
 * <p>EMQX's {@code retry_interval} is not here: it asks for in-session retransmission of unacknowledged publishes,
 * which MQTT 5 forbids (section 4.4: a client resends only after a reconnect, as clink does). The configuration
 * loader accepts it with a warning and does not keep it.
 *
 * <p>{@link #topics()} lists what <em>this</em> cluster wants to receive from the remote one; an empty list makes
 * the link one-way (the remote still receives what it asks for). {@link #toString()} never shows the password.
 *
 * @since 0.1.0
 */
public final class LinkConfig {

    /** Option {@code enable}. */
    public static final ConfigOption<Boolean> ENABLE = ConfigOption.withDefault(
            "enable",
            true,
            "Whether the link runs. A disabled link keeps no connections and refuses the remote's handshake; disable "
                    + "a link on both sides.",
            "boolean");

    /** Option {@code name}. */
    public static final ConfigOption<String> NAME = ConfigOption.required(
            "name",
            "The remote cluster's name (its cluster.name), exactly. Must differ from the local cluster's name and be "
                    + "unique among the links.",
            "1..254 characters matching ^[0-9A-Za-z][-0-9A-Za-z_]*$");

    /** Option {@code server}. */
    public static final ConfigOption<String> SERVER = ConfigOption.required(
            "server",
            "The remote cluster's link listener, host[:port] with an optional mqtt:// or mqtts:// scheme (mqtts turns "
                    + "TLS on), or several separated by commas, tried in rotation on reconnect. The default port is "
                    + "1883.",
            "one or more host[:port] separated by ','; IPv6 in brackets; port 1..65535; no duplicates");

    /** Option {@code clientid}. */
    public static final ConfigOption<String> CLIENT_ID = ConfigOption.optional(
            "clientid",
            "Base of the client ids of the link's connections; suffixes such as :routesync:<hash> and "
                    + ":msg:<hash>:<n> are appended. Default: the local cluster's name.",
            "1..1024 characters, no whitespace or control characters");

    /** Option {@code username}. */
    public static final ConfigOption<String> USERNAME = ConfigOption.optional(
            "username", "User name the link's connections authenticate with on the remote.", "string");

    /** Option {@code password}. */
    public static final ConfigOption<String> PASSWORD = ConfigOption.optional(
            "password",
            "Password the link's connections authenticate with on the remote. Never logged or printed.",
            "string");

    /** Option {@code ssl}. */
    public static final ConfigOption<TlsSettings> SSL = ConfigOption.optional(
            "ssl",
            "TLS settings of the link's connections; present means TLS is on. Without it, mqtts:// uses TLS with the "
                    + "JDK's trust store and server verification.",
            "see TlsSettings: readable files, certfile with keyfile, TLS 1.2/1.3");

    /** Option {@code topics}. */
    public static final ConfigOption<List<String>> TOPICS = ConfigOption.required(
            "topics",
            "Topic filters this cluster wants to receive from the remote one. May be empty (one-way link).",
            "valid topic filters; none overlapping $LINK/cluster/# (nor $LINK/#); no duplicates and none covered "
                    + "by another");

    /** Option {@code pool_size}. */
    public static final ConfigOption<Integer> POOL_SIZE = ConfigOption.withDefault(
            "pool_size", 8, "Number of message-forwarding connections to the remote, per node.", "integer, 1..1024");

    /** Option {@code max_inflight}. */
    public static final ConfigOption<Integer> MAX_INFLIGHT = ConfigOption.withDefault(
            "max_inflight",
            32,
            "Maximum unacknowledged QoS 1 publishes per link connection (route actor and forwarding connections; "
                    + "resource_opts.inflight_window may narrow the forwarding connections' window).",
            "integer, 1..65535");

    /** Option {@code tcp_opts}. */
    public static final ConfigOption<TcpOptions> TCP_OPTS = ConfigOption.withDefault(
            "tcp_opts", TcpOptions.DEFAULT, "Socket options of the link's connections.", "see TcpOptions");

    /** Option {@code resource_opts}. */
    public static final ConfigOption<ResourceOptions> RESOURCE_OPTS = ConfigOption.withDefault(
            "resource_opts",
            ResourceOptions.DEFAULT,
            "How the message-forwarding side runs (workers, buffer, health checks).",
            "see ResourceOptions");

    /** Option {@code keepalive} (clink). */
    public static final ConfigOption<Duration> KEEPALIVE = ConfigOption.withDefault(
            "keepalive",
            Duration.ofSeconds(60),
            "MQTT keepalive of the link's connections (EMQX's link clients use 60 s).",
            "whole seconds, 0 (off)..65535s");

    /** Option {@code actor_name} (clink). */
    public static final ConfigOption<String> ACTOR_NAME = ConfigOption.optional(
            "actor_name",
            "Name of this node's route-replication actor, unique per node of the cluster and stable across restarts. "
                    + "Default: the cluster configuration's actor name, which defaults to clink@<host name>.",
            "1..255 characters, no whitespace, control characters, '/', '+' or '#'");

    /** Option {@code reconnect} (clink). */
    public static final ConfigOption<ReconnectBackoff> RECONNECT = ConfigOption.withDefault(
            "reconnect",
            ReconnectBackoff.DEFAULT,
            "Reconnect backoff of the link's connections: initial_delay, max_delay, jitter.",
            "see ReconnectBackoff");

    /** Option {@code forwarding_buffer.max_messages} (clink). */
    public static final ConfigOption<Integer> FORWARDING_BUFFER_MAX_MESSAGES = ConfigOption.withDefault(
            "forwarding_buffer.max_messages",
            100_000,
            "Most messages waiting to be forwarded on this link; beyond it new messages are dropped and counted.",
            "integer, 1..2^31-1");

    /** Option {@code forwarding_buffer.max_bytes} (clink). */
    public static final ConfigOption<Long> FORWARDING_BUFFER_MAX_BYTES = ConfigOption.optional(
            "forwarding_buffer.max_bytes",
            "Most payload bytes waiting to be forwarded on this link; beyond it new messages are dropped and "
                    + "counted. Default: resource_opts.max_buffer_bytes (256 MiB).",
            "bytes, 1..2^40");

    /** Every option of a link, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(
            ENABLE,
            NAME,
            SERVER,
            CLIENT_ID,
            USERNAME,
            PASSWORD,
            SSL,
            TOPICS,
            POOL_SIZE,
            MAX_INFLIGHT,
            TCP_OPTS,
            RESOURCE_OPTS,
            KEEPALIVE,
            ACTOR_NAME,
            RECONNECT,
            FORWARDING_BUFFER_MAX_MESSAGES,
            FORWARDING_BUFFER_MAX_BYTES);

    private final LinkValues values;

    private LinkConfig(LinkValues values) {
        this.values = values;
    }

    /**
     * Starts a builder with the defaults. {@link Builder#name}, {@link Builder#server} and {@link Builder#topics} are
     * required.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this link's values, to derive a changed copy. Options copied this way count as not
     * yet set, so each may be set once more.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enable = values.enable();
        b.name = values.name();
        b.server = values.server();
        b.clientId = values.clientId();
        b.username = values.username();
        b.password = values.password();
        b.ssl = values.ssl();
        b.topics = values.topics();
        b.poolSize = values.poolSize();
        b.maxInflight = values.maxInflight();
        b.tcpOptions = values.tcpOptions();
        b.resourceOptions = values.resourceOptions();
        b.keepalive = values.keepalive();
        b.actorName = values.actorName();
        b.reconnect = values.reconnect();
        b.forwardingBufferMaxMessages = values.forwardingBufferMaxMessages();
        b.forwardingBufferMaxBytes = values.forwardingBufferMaxBytes();
        return b;
    }

    /**
     * {@code enable}.
     *
     * @return whether the link runs, default {@code true}
     * @since 0.1.0
     */
    public boolean enable() {
        return values.enable();
    }

    /**
     * {@code name}: the remote cluster's name.
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
        return values.name();
    }

    /**
     * {@code server}, parsed: its first endpoint.
     *
     * @return the remote's (first) link listener
     * @since 0.1.0
     */
    public ServerAddress server() {
        return values.server().endpoints().get(0);
    }

    /**
     * {@code server}, parsed: all endpoints, which the link's connections try in rotation.
     *
     * @return the endpoints in configuration order, at least one
     * @since 0.2.0
     */
    public ServerList servers() {
        return values.server();
    }

    /**
     * {@code clientid}, as configured. The effective base is {@link ClusterLinkConfig#clientIdOf(LinkConfig)}.
     *
     * @return the base client id, or empty to use the local cluster's name
     * @since 0.1.0
     */
    public Optional<String> clientId() {
        return Optional.ofNullable(values.clientId());
    }

    /**
     * {@code username}.
     *
     * @return the user name, or empty
     * @since 0.1.0
     */
    public Optional<String> username() {
        return Optional.ofNullable(values.username());
    }

    /**
     * {@code password}. Handle with care: never log it.
     *
     * @return the password, or empty
     * @since 0.1.0
     */
    public Optional<String> password() {
        return Optional.ofNullable(values.password());
    }

    /**
     * {@code ssl}: the TLS settings as configured.
     *
     * @return the settings, or empty when no {@code ssl} block is configured
     * @since 0.1.0
     */
    public Optional<TlsSettings> ssl() {
        return Optional.ofNullable(values.ssl());
    }

    /**
     * Whether the link's connections use TLS: an {@code ssl} block is configured or the server's scheme is {@code
     * mqtts://}.
     *
     * @return {@code true} for TLS
     * @since 0.1.0
     */
    public boolean tlsEnabled() {
        return values.ssl() != null || server().tls();
    }

    /**
     * The TLS settings the connections use: the {@code ssl} block, or the defaults for {@code mqtts://} without one.
     *
     * @return the settings, or empty for plain TCP
     * @since 0.1.0
     */
    public Optional<TlsSettings> effectiveTls() {
        TlsSettings ssl = values.ssl();
        if (ssl != null) {
            return Optional.of(ssl);
        }
        return server().tls() ? Optional.of(TlsSettings.builder().build()) : Optional.empty();
    }

    /**
     * {@code topics}: what this cluster wants to receive from the remote one.
     *
     * @return an immutable list of valid, non-redundant topic filters, possibly empty
     * @since 0.1.0
     */
    public List<String> topics() {
        return values.topics();
    }

    /**
     * {@code pool_size}.
     *
     * @return forwarding connections per node, default 8
     * @since 0.1.0
     */
    public int poolSize() {
        return values.poolSize();
    }

    /**
     * {@code max_inflight}.
     *
     * @return the in-flight window per connection, default 32
     * @since 0.1.0
     */
    public int maxInflight() {
        return values.maxInflight();
    }

    /**
     * {@code tcp_opts}.
     *
     * @return the socket options, {@link TcpOptions#DEFAULT} if none
     * @since 0.1.0
     */
    public TcpOptions tcpOptions() {
        return values.tcpOptions();
    }

    /**
     * {@code resource_opts}.
     *
     * @return the forwarding options, {@link ResourceOptions#DEFAULT} if none
     * @since 0.1.0
     */
    public ResourceOptions resourceOptions() {
        return values.resourceOptions();
    }

    /**
     * {@code keepalive}.
     *
     * @return the MQTT keepalive, default 60 s
     * @since 0.1.0
     */
    public Duration keepalive() {
        return values.keepalive();
    }

    /**
     * {@code actor_name}, as configured. The effective name is {@link ClusterLinkConfig#actorNameOf(LinkConfig, String)}.
     *
     * @return the actor name, or empty to use the cluster configuration's
     * @since 0.1.0
     */
    public Optional<String> actorName() {
        return Optional.ofNullable(values.actorName());
    }

    /**
     * {@code reconnect}.
     *
     * @return the backoff, default {@link ReconnectBackoff#DEFAULT}
     * @since 0.1.0
     */
    public ReconnectBackoff reconnect() {
        return values.reconnect();
    }

    /**
     * {@code forwarding_buffer.max_messages}.
     *
     * @return the limit, default 100 000
     * @since 0.1.0
     */
    public int forwardingBufferMaxMessages() {
        return values.forwardingBufferMaxMessages();
    }

    /**
     * {@code forwarding_buffer.max_bytes}.
     *
     * @return the limit, default {@link ResourceOptions#maxBufferBytes()}
     * @since 0.1.0
     */
    public long forwardingBufferMaxBytes() {
        return values.effectiveForwardingBufferMaxBytes();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LinkConfig && ((LinkConfig) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** All options except the password, which shows as {@code ******} when set. */
    @Override
    public String toString() {
        return values.toString();
    }

    /**
     * Builds {@link LinkConfig}. Not thread-safe. Each setter checks its value at once and throws {@link
     * InvalidConfigException} naming the option and the value; {@link #build()} checks the required options and
     * refuses an option set twice.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Checks.SetOnce setOnce = new Checks.SetOnce();
        private boolean enable = ENABLE.defaultOrThrow();
        private @Nullable String name;
        private @Nullable ServerList server;
        private @Nullable String clientId;
        private @Nullable String username;
        private @Nullable String password;
        private @Nullable TlsSettings ssl;
        private @Nullable List<String> topics;
        private int poolSize = POOL_SIZE.defaultOrThrow();
        private int maxInflight = MAX_INFLIGHT.defaultOrThrow();
        private TcpOptions tcpOptions = TCP_OPTS.defaultOrThrow();
        private ResourceOptions resourceOptions = RESOURCE_OPTS.defaultOrThrow();
        private Duration keepalive = KEEPALIVE.defaultOrThrow();
        private @Nullable String actorName;
        private ReconnectBackoff reconnect = RECONNECT.defaultOrThrow();
        private int forwardingBufferMaxMessages = FORWARDING_BUFFER_MAX_MESSAGES.defaultOrThrow();
        // 0 = follow resource_opts.max_buffer_bytes.
        private long forwardingBufferMaxBytes;

        private Builder() {}

        /**
         * Sets {@code enable} (default true).
         *
         * @param enable whether the link runs
         * @return this builder
         */
        public Builder enable(boolean enable) {
            this.enable = enable;
            setOnce.mark(ENABLE.name());
            return this;
        }

        /**
         * Sets {@code name}. Required.
         *
         * @param name the remote cluster's name: 1..254 characters matching {@code ^[0-9A-Za-z][-0-9A-Za-z_]*$}
         * @return this builder
         * @throws InvalidConfigException if the name breaks the rule
         */
        public Builder name(String name) {
            this.name = Checks.name(NAME.name(), name);
            setOnce.mark(NAME.name());
            return this;
        }

        /**
         * Sets {@code server}. Required.
         *
         * @param server {@code [mqtt://|mqtts://]host[:port]}, or several separated by commas
         * @return this builder
         * @throws InvalidConfigException naming the entry that is empty, invalid or a duplicate
         */
        public Builder server(String server) {
            this.server = ServerList.parse(server);
            setOnce.mark(SERVER.name());
            return this;
        }

        /**
         * Sets {@code server} from a parsed address. Required (this or {@link #server(String)}).
         *
         * @param server the address
         * @return this builder
         */
        public Builder server(ServerAddress server) {
            this.server = ServerList.of(Objects.requireNonNull(server, SERVER.name()));
            setOnce.mark(SERVER.name());
            return this;
        }

        /**
         * Sets {@code clientid}.
         *
         * @param clientId 1..1024 characters without whitespace or control characters, or null for the default (the
         *     local cluster's name)
         * @return this builder
         * @throws InvalidConfigException if the value breaks the rule
         */
        public Builder clientId(@Nullable String clientId) {
            this.clientId = clientId == null ? null : Checks.token(CLIENT_ID.name(), clientId, 1024);
            setOnce.mark(CLIENT_ID.name());
            return this;
        }

        /**
         * Sets {@code username}.
         *
         * @param username the user name, or null for none
         * @return this builder
         * @throws InvalidConfigException if it contains U+0000
         */
        public Builder username(@Nullable String username) {
            this.username = username == null ? null : Checks.noNul(USERNAME.name(), username, true);
            setOnce.mark(USERNAME.name());
            return this;
        }

        /**
         * Sets {@code password}.
         *
         * @param password the password, or null for none
         * @return this builder
         * @throws InvalidConfigException if it contains U+0000 (the message does not show the password)
         */
        public Builder password(@Nullable String password) {
            this.password = password == null ? null : Checks.noNul(PASSWORD.name(), password, false);
            setOnce.mark(PASSWORD.name());
            return this;
        }

        /**
         * Sets {@code ssl}; present turns TLS on.
         *
         * @param ssl the TLS settings, or null for none
         * @return this builder
         */
        public Builder ssl(@Nullable TlsSettings ssl) {
            this.ssl = ssl;
            setOnce.mark(SSL.name());
            return this;
        }

        /**
         * Sets {@code topics}. Required; may be empty.
         *
         * @param topics topic filters: each valid, none overlapping {@code $LINK/cluster/#} (so {@code $LINK/#} is
         *     refused too), no duplicates and none covered by another
         * @return this builder
         * @throws InvalidConfigException with reason {@link InvalidConfigException#INVALID_TOPICS} naming each bad
         *     topic and its rule, or {@link InvalidConfigException#REDUNDANT_TOPICS} naming each redundant topic and
         *     what covers it
         */
        public Builder topics(List<String> topics) {
            this.topics = LinkTopics.validate(TOPICS.name(), topics);
            setOnce.mark(TOPICS.name());
            return this;
        }

        /**
         * Sets {@code topics}; see {@link #topics(List)}.
         *
         * @param topics topic filters
         * @return this builder
         * @throws InvalidConfigException as {@link #topics(List)}
         */
        public Builder topics(String... topics) {
            return topics(Arrays.asList(Objects.requireNonNull(topics, TOPICS.name())));
        }

        /**
         * Sets {@code pool_size} (default 8).
         *
         * @param size 1..1024
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder poolSize(int size) {
            this.poolSize = Checks.range(POOL_SIZE.name(), size, 1, 1024);
            setOnce.mark(POOL_SIZE.name());
            return this;
        }

        /**
         * Sets {@code max_inflight} (default 32).
         *
         * @param max 1..65535
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder maxInflight(int max) {
            this.maxInflight = Checks.range(MAX_INFLIGHT.name(), max, 1, 65535);
            setOnce.mark(MAX_INFLIGHT.name());
            return this;
        }

        /**
         * Sets {@code tcp_opts}.
         *
         * @param options the socket options
         * @return this builder
         */
        public Builder tcpOptions(TcpOptions options) {
            this.tcpOptions = Objects.requireNonNull(options, TCP_OPTS.name());
            setOnce.mark(TCP_OPTS.name());
            return this;
        }

        /**
         * Sets {@code resource_opts}.
         *
         * @param options the forwarding options
         * @return this builder
         */
        public Builder resourceOptions(ResourceOptions options) {
            this.resourceOptions = Objects.requireNonNull(options, RESOURCE_OPTS.name());
            setOnce.mark(RESOURCE_OPTS.name());
            return this;
        }

        /**
         * Sets {@code keepalive} (default 60 s).
         *
         * @param keepalive whole seconds, 0 (off) to 65535 s
         * @return this builder
         * @throws InvalidConfigException if out of range or not whole seconds
         */
        public Builder keepalive(Duration keepalive) {
            this.keepalive = Checks.wholeSeconds(
                    KEEPALIVE.name(),
                    Checks.duration(KEEPALIVE.name(), keepalive, Duration.ZERO, Duration.ofSeconds(65535)));
            setOnce.mark(KEEPALIVE.name());
            return this;
        }

        /**
         * Sets {@code actor_name}.
         *
         * @param actorName 1..255 characters without whitespace, control characters, {@code /}, {@code +} or {@code #}
         *     (it becomes a level of the actor's response topic), or null for the cluster configuration's default
         * @return this builder
         * @throws InvalidConfigException if the name breaks the rule
         */
        public Builder actorName(@Nullable String actorName) {
            this.actorName = actorName == null ? null : Checks.actorName(ACTOR_NAME.name(), actorName);
            setOnce.mark(ACTOR_NAME.name());
            return this;
        }

        /**
         * Sets {@code reconnect}.
         *
         * @param backoff the backoff
         * @return this builder
         */
        public Builder reconnect(ReconnectBackoff backoff) {
            this.reconnect = Objects.requireNonNull(backoff, RECONNECT.name());
            setOnce.mark(RECONNECT.name());
            return this;
        }

        /**
         * Sets {@code forwarding_buffer.max_messages} (default 100 000).
         *
         * @param max 1 or more
         * @return this builder
         * @throws InvalidConfigException if not positive
         */
        public Builder forwardingBufferMaxMessages(int max) {
            this.forwardingBufferMaxMessages =
                    Checks.range(FORWARDING_BUFFER_MAX_MESSAGES.name(), max, 1, Integer.MAX_VALUE);
            setOnce.mark(FORWARDING_BUFFER_MAX_MESSAGES.name());
            return this;
        }

        /**
         * Sets {@code forwarding_buffer.max_bytes} (default {@code resource_opts.max_buffer_bytes}).
         *
         * @param max 1..2^40
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder forwardingBufferMaxBytes(long max) {
            this.forwardingBufferMaxBytes = Checks.range(FORWARDING_BUFFER_MAX_BYTES.name(), max, 1L, 1L << 40);
            setOnce.mark(FORWARDING_BUFFER_MAX_BYTES.name());
            return this;
        }

        /**
         * Builds the link configuration.
         *
         * @return the configuration
         * @throws InvalidConfigException with reason {@link InvalidConfigException#REQUIRED_FIELD} naming a missing
         *     {@code name}, {@code server} or {@code topics}, or {@link InvalidConfigException#DUPLICATE_OPTION} naming
         *     an option set twice
         */
        public LinkConfig build() {
            setOnce.check();
            String n = name;
            if (n == null) {
                throw InvalidConfigException.required(NAME.name(), null);
            }
            ServerList s = server;
            if (s == null) {
                throw InvalidConfigException.required(SERVER.name(), n);
            }
            List<String> t = topics;
            if (t == null) {
                throw InvalidConfigException.required(TOPICS.name(), n);
            }
            return new LinkConfig(new LinkValues(
                    enable,
                    n,
                    s,
                    clientId,
                    username,
                    password,
                    ssl,
                    t,
                    poolSize,
                    maxInflight,
                    tcpOptions,
                    resourceOptions,
                    keepalive,
                    actorName,
                    reconnect,
                    forwardingBufferMaxMessages,
                    forwardingBufferMaxBytes));
        }
    }
}
