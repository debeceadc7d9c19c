package io.clink.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.DispatchStrategy;
import io.clink.api.config.InvalidConfigException;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ReconnectBackoff;
import io.clink.api.config.ResourceOptions;
import io.clink.api.config.TcpOptions;
import io.clink.api.transport.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the {@code cluster { name, links = [...] }} block of a HOCON configuration file, in the shape of EMQX's
 * cluster-linking configuration, into a {@link ClusterLinkConfig}.
 *
 * <pre>
 * cluster {
 *   name = "cluster-us-east"
 *   links = [
 *     { name = "cluster-eu-west", server = "eu-west.example.net:11883", clientid = "clink-us-east", topics = ["#"] }
 *   ]
 * }
 * </pre>
 *
 * <p>Value conventions are EMQX's: durations such as {@code 15s}, {@code 1m} or {@code 1h30m} (a bare integer is
 * milliseconds), sizes such as {@code 256MB} (1024-based; a bare integer is bytes), {@code password =
 * "file:///run/secrets/clink"} reads the password from a file, and {@code ssl { enable, cacertfile, certfile,
 * keyfile, verify = verify_peer | verify_none, server_name_indication, versions }}. Relative file names resolve
 * against the configuration file's directory. HOCON substitutions ({@code ${?ENV_VAR}}) are resolved. Other
 * top-level sections of the file (such as {@code listeners}) are left to the caller.
 *
 * <p>Loading stops at the first error with a {@link ConfigLoadException} whose message names the file and line, the
 * field path (such as {@code cluster.links[0].topics}) and the value (passwords never shown). Unknown keys inside
 * {@code cluster}, a link or its nested blocks are refused, naming the key, so that a typo never passes silently;
 * the few EMQX options that mean nothing to clink are accepted and logged as ignored.
 *
 * <p>Thread-safe: every method is stateless.
 *
 * @since 0.1.0
 */
public final class ClusterLinkConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLinkConfigLoader.class);

    private static final Set<String> CLUSTER_KEYS =
            Set.of(ClusterLinkConfig.NAME.name(), ClusterLinkConfig.LINKS.name(), ClusterLinkConfig.ACTOR_NAME.name());

    /** EMQX's node-clustering settings share the {@code cluster} root; a pasted EMQX file may carry them. */
    private static final Map<String, String> CLUSTER_IGNORED = Map.ofEntries(
            Map.entry("discovery_strategy", EmqxNote.NODE_CLUSTERING),
            Map.entry("autoclean", EmqxNote.NODE_CLUSTERING),
            Map.entry("autoheal", EmqxNote.NODE_CLUSTERING),
            Map.entry("proto_dist", EmqxNote.NODE_CLUSTERING),
            Map.entry("static", EmqxNote.NODE_CLUSTERING),
            Map.entry("dns", EmqxNote.NODE_CLUSTERING),
            Map.entry("etcd", EmqxNote.NODE_CLUSTERING),
            Map.entry("k8s", EmqxNote.NODE_CLUSTERING),
            Map.entry("mcast", EmqxNote.NODE_CLUSTERING),
            Map.entry("core_nodes", EmqxNote.NODE_CLUSTERING),
            Map.entry("driver", EmqxNote.NODE_CLUSTERING),
            Map.entry("quic_lb_mode", EmqxNote.NODE_CLUSTERING),
            Map.entry("prevent_overlapping_partitions", EmqxNote.NODE_CLUSTERING));

    private static final String SSL = "ssl";
    private static final String TCP_OPTS = "tcp_opts";
    private static final String RESOURCE_OPTS = "resource_opts";
    private static final String RECONNECT = "reconnect";
    private static final String FORWARDING_BUFFER = "forwarding_buffer";

    private static final Set<String> LINK_KEYS = Set.of(
            LinkConfig.ENABLE.name(),
            LinkConfig.NAME.name(),
            LinkConfig.SERVER.name(),
            LinkConfig.CLIENT_ID.name(),
            LinkConfig.USERNAME.name(),
            LinkConfig.PASSWORD.name(),
            SSL,
            LinkConfig.TOPICS.name(),
            LinkConfig.POOL_SIZE.name(),
            LinkConfig.RETRY_INTERVAL.name(),
            LinkConfig.MAX_INFLIGHT.name(),
            TCP_OPTS,
            RESOURCE_OPTS,
            LinkConfig.KEEPALIVE.name(),
            LinkConfig.ACTOR_NAME.name(),
            RECONNECT,
            FORWARDING_BUFFER);

    private static final Map<String, String> LINK_IGNORED =
            Map.of("ps_actor_incarnation", "EMQX manages it internally; clink keeps incarnations in its own store");

    private static final Set<String> SSL_KEYS =
            Set.of("enable", "cacertfile", "certfile", "keyfile", "verify", "server_name_indication", "versions");

    private static final Map<String, String> SSL_IGNORED = Map.of(
            "depth", "the JVM's certificate path validation sets the chain depth",
            "reuse_sessions", "the JVM reuses TLS sessions by itself",
            "secure_renegotiate", "TLS 1.3 has no renegotiation and the JVM refuses insecure renegotiation",
            "hibernate_after", "an Erlang process option",
            "log_level", "TLS logging follows the JVM's javax.net.debug",
            "middlebox_comp_mode", "an Erlang TLS 1.3 option");

    private static final Map<String, String> SSL_UNSUPPORTED = Map.of(
            "ciphers", "the JVM's default cipher suites are used",
            "password", "encrypted private keys are not supported; give an unencrypted PEM key file",
            "partial_chain", "the chain must reach a certificate in cacertfile",
            "verify_peer_ext_key_usage", "extended key usage is checked by the JVM's defaults");

    private static final Set<String> TCP_KEYS = Set.of(
            TcpOptions.ACTIVE_N.name(),
            TcpOptions.NODELAY.name(),
            TcpOptions.SNDBUF.name(),
            TcpOptions.RECBUF.name(),
            TcpOptions.BUFFER.name(),
            TcpOptions.KEEPALIVE.name(),
            TcpOptions.DELAY_SEND.name());

    private static final Set<String> RESOURCE_KEYS = Set.of(
            ResourceOptions.WORKER_POOL_SIZE.name(),
            ResourceOptions.DISPATCH_STRATEGY.name(),
            ResourceOptions.HEALTH_CHECK_INTERVAL.name(),
            ResourceOptions.REQUEST_TTL.name(),
            "request_timeout",
            ResourceOptions.INFLIGHT_WINDOW.name(),
            ResourceOptions.MAX_BUFFER_BYTES.name(),
            ResourceOptions.START_TIMEOUT.name());

    private static final Map<String, String> RESOURCE_IGNORED = Map.ofEntries(
            Map.entry("health_check_interval_jitter", EmqxNote.RESOURCE),
            Map.entry("health_check_timeout", EmqxNote.RESOURCE),
            Map.entry("buffer_mode", EmqxNote.RESOURCE),
            Map.entry("buffer_seg_bytes", EmqxNote.RESOURCE),
            Map.entry("resume_interval", EmqxNote.RESOURCE),
            Map.entry("metrics_flush_interval", EmqxNote.RESOURCE),
            Map.entry("auto_restart_interval", EmqxNote.RESOURCE),
            Map.entry("enable_queue", EmqxNote.RESOURCE));

    private static final Set<String> RECONNECT_KEYS = Set.of(
            ReconnectBackoff.INITIAL_DELAY.name(), ReconnectBackoff.MAX_DELAY.name(), ReconnectBackoff.JITTER.name());

    private static final Set<String> BUFFER_KEYS = Set.of("max_messages", "max_bytes");

    private ClusterLinkConfigLoader() {}

    /**
     * Loads the {@code cluster} block of a HOCON file.
     *
     * <p>Blocking: reads the file and any files it names ({@code include}, {@code file://} passwords). Relative file
     * names resolve against the file's directory.
     *
     * @param file the configuration file, not null
     * @return the configuration
     * @throws ConfigLoadException if the file cannot be read or parsed, or any value is invalid; the message names
     *     the file, the field and the value
     * @since 0.1.0
     */
    public static ClusterLinkConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        return fromConfig(parseFile(file), file.toString(), baseDirectoryOf(file));
    }

    /**
     * Loads the {@code cluster} block of a HOCON document held in a string. Relative file names resolve against the
     * working directory; messages name the source {@code <string>}.
     *
     * @param hocon the document, not null
     * @return the configuration
     * @throws ConfigLoadException if the text does not parse or any value is invalid
     * @since 0.1.0
     */
    public static ClusterLinkConfig parse(String hocon) {
        return parse(hocon, "<string>", Path.of("").toAbsolutePath());
    }

    /**
     * Loads the {@code cluster} block of a HOCON document held in a string.
     *
     * @param hocon the document, not null
     * @param originName how messages name the source, such as a file name, not null
     * @param baseDirectory the directory relative file names resolve against, not null
     * @return the configuration
     * @throws ConfigLoadException if the text does not parse or any value is invalid
     * @since 0.1.0
     */
    public static ClusterLinkConfig parse(String hocon, String originName, Path baseDirectory) {
        Objects.requireNonNull(originName, "originName");
        return fromConfig(parseString(hocon, originName), originName, baseDirectory);
    }

    /**
     * Reads and resolves a HOCON file, without interpreting it, for callers that read more sections of the same
     * file (such as {@code listeners}).
     *
     * @param file the file, not null
     * @return the resolved document
     * @throws ConfigLoadException if the file cannot be read, does not parse or has an unresolved substitution
     * @since 0.1.0
     */
    public static ConfigDocument parseFile(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigLoadException(name, null, name + ": no such configuration file", null);
        }
        if (!Files.isReadable(file)) {
            throw new ConfigLoadException(name, null, name + ": the configuration file is not readable", null);
        }
        try {
            com.typesafe.config.Config c = ConfigFactory.parseFile(
                    file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
            return new ConfigDocument(c.resolve());
        } catch (ConfigException e) {
            throw syntax(name, e);
        }
    }

    /**
     * Parses and resolves a HOCON document held in a string.
     *
     * @param hocon the document, not null
     * @param originName how messages name the source, not null
     * @return the resolved document
     * @throws ConfigLoadException if the text does not parse or has an unresolved substitution
     * @since 0.1.0
     */
    public static ConfigDocument parseString(String hocon, String originName) {
        Objects.requireNonNull(hocon, "hocon");
        Objects.requireNonNull(originName, "originName");
        try {
            return new ConfigDocument(ConfigFactory.parseString(
                            hocon,
                            ConfigParseOptions.defaults()
                                    .setSyntax(ConfigSyntax.CONF)
                                    .setOriginDescription(originName))
                    .resolve());
        } catch (ConfigException e) {
            throw syntax(originName, e);
        }
    }

    /**
     * Interprets the {@code cluster} block of a parsed document.
     *
     * @param document the resolved document, not null
     * @param originName how messages name the source, not null
     * @param baseDirectory the directory relative file names resolve against, not null
     * @return the configuration
     * @throws ConfigLoadException if the block is missing or any value is invalid
     * @since 0.1.0
     */
    public static ClusterLinkConfig fromConfig(ConfigDocument document, String originName, Path baseDirectory) {
        Objects.requireNonNull(document, "document");
        return readCluster(document.root(originName, baseDirectory, LOG::warn));
    }

    /**
     * The directory relative names in a file resolve against.
     *
     * @param file a configuration file
     * @return its absolute parent directory
     * @since 0.1.0
     */
    public static Path baseDirectoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    private static ConfigLoadException syntax(String name, ConfigException e) {
        int line = e.origin() == null ? -1 : e.origin().lineNumber();
        String where = line > 0 ? name + ":" + line : name;
        // Typesafe's message starts with its own origin description; keep only what follows it.
        String detail = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        if (e.origin() != null && detail.startsWith(e.origin().description() + ": ")) {
            detail = detail.substring(e.origin().description().length() + 2);
        }
        return new ConfigLoadException(where, null, where + ": invalid HOCON: " + detail, e);
    }

    private static ClusterLinkConfig readCluster(ConfigSection root) {
        ConfigSection cluster = root.section("cluster").orElseThrow(() -> root.missing("cluster"));
        cluster.checkKeys(CLUSTER_KEYS, CLUSTER_IGNORED, Map.of());
        ClusterLinkConfig.Builder b = ClusterLinkConfig.builder();
        String name = cluster.requireString(ClusterLinkConfig.NAME.name());
        apply(cluster, ClusterLinkConfig.NAME.name(), () -> b.name(name));
        cluster.string(ClusterLinkConfig.ACTOR_NAME.name())
                .ifPresent(a -> apply(cluster, ClusterLinkConfig.ACTOR_NAME.name(), () -> b.actorName(a)));
        List<ConfigSection> links =
                cluster.sections(ClusterLinkConfig.LINKS.name()).orElse(List.of());
        List<LinkConfig> parsed = new ArrayList<>(links.size());
        for (ConfigSection link : links) {
            parsed.add(readLink(link));
        }
        b.links(parsed);
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            // The cluster builder names absolute paths ("cluster.links", "cluster.links[1].name").
            String rel = e.option().startsWith("cluster.") ? e.option().substring("cluster.".length()) : e.option();
            throw cluster.errorAt(rel, detailOf(e), e);
        }
    }

    private static LinkConfig readLink(ConfigSection link) {
        link.checkKeys(LINK_KEYS, LINK_IGNORED, Map.of());
        LinkConfig.Builder b = LinkConfig.builder();
        // Each setter validates at once; its InvalidConfigException names the option relative to the link.
        set(link, LinkConfig.ENABLE.name(), link.bool(LinkConfig.ENABLE.name()), b::enable);
        set(link, LinkConfig.NAME.name(), link.string(LinkConfig.NAME.name()), b::name);
        set(link, LinkConfig.SERVER.name(), link.string(LinkConfig.SERVER.name()), v -> b.server(v));
        set(link, LinkConfig.CLIENT_ID.name(), link.string(LinkConfig.CLIENT_ID.name()), b::clientId);
        set(link, LinkConfig.USERNAME.name(), link.string(LinkConfig.USERNAME.name()), b::username);
        set(link, LinkConfig.PASSWORD.name(), link.secret(LinkConfig.PASSWORD.name()), b::password);
        set(link, LinkConfig.TOPICS.name(), link.strings(LinkConfig.TOPICS.name()), b::topics);
        set(link, LinkConfig.POOL_SIZE.name(), link.int32(LinkConfig.POOL_SIZE.name()), b::poolSize);
        set(link, LinkConfig.RETRY_INTERVAL.name(), link.duration(LinkConfig.RETRY_INTERVAL.name()), b::retryInterval);
        set(link, LinkConfig.MAX_INFLIGHT.name(), link.int32(LinkConfig.MAX_INFLIGHT.name()), b::maxInflight);
        set(link, LinkConfig.KEEPALIVE.name(), link.duration(LinkConfig.KEEPALIVE.name()), b::keepalive);
        set(link, LinkConfig.ACTOR_NAME.name(), link.string(LinkConfig.ACTOR_NAME.name()), b::actorName);
        link.section(SSL).ifPresent(s -> {
            TlsSettings tls = readSsl(s);
            if (tls != null) {
                b.ssl(tls);
            }
        });
        link.section(TCP_OPTS).ifPresent(s -> apply(link, TCP_OPTS, () -> b.tcpOptions(readTcp(s))));
        link.section(RESOURCE_OPTS)
                .ifPresent(s -> apply(link, RESOURCE_OPTS, () -> b.resourceOptions(readResource(s))));
        link.section(RECONNECT).ifPresent(s -> apply(link, RECONNECT, () -> b.reconnect(readReconnect(s))));
        link.section(FORWARDING_BUFFER).ifPresent(s -> {
            s.checkKeys(BUFFER_KEYS, Map.of(), Map.of());
            set(
                    link,
                    LinkConfig.FORWARDING_BUFFER_MAX_MESSAGES.name(),
                    s.int32("max_messages"),
                    b::forwardingBufferMaxMessages);
            set(link, LinkConfig.FORWARDING_BUFFER_MAX_BYTES.name(), s.bytes("max_bytes"), b::forwardingBufferMaxBytes);
        });
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            throw link.errorAt(e.option(), detailOf(e), e);
        }
    }

    private static @Nullable TlsSettings readSsl(ConfigSection ssl) {
        ssl.checkKeys(SSL_KEYS, SSL_IGNORED, SSL_UNSUPPORTED);
        // EMQX's default ssl block is {enable = false}; a block without enable means TLS is wanted.
        if (!ssl.bool("enable").orElse(true)) {
            return null;
        }
        TlsSettings.Builder b = TlsSettings.builder();
        ssl.file("cacertfile").ifPresent(b::caFile);
        ssl.file("certfile").ifPresent(b::certFile);
        ssl.file("keyfile").ifPresent(b::keyFile);
        ssl.string("verify").ifPresent(v -> {
            switch (v) {
                case "verify_peer":
                    b.verifyPeer(true);
                    break;
                case "verify_none":
                    b.verifyPeer(false);
                    break;
                default:
                    throw ssl.error("verify", "must be verify_peer or verify_none");
            }
        });
        ssl.string("server_name_indication").ifPresent(v -> {
            if (v.equals("disable")) {
                throw ssl.error(
                        "server_name_indication",
                        "'disable' is not supported by clink: SNI is always sent (leave it out to use the server's host)");
            }
            try {
                b.serverName(v);
            } catch (IllegalArgumentException e) {
                throw ssl.error("server_name_indication", "must be a host name");
            }
        });
        ssl.strings("versions").ifPresent(vs -> {
            List<String> mapped = new ArrayList<>();
            for (String v : vs) {
                String canonical = TlsSettings.SUPPORTED_PROTOCOLS.stream()
                        .filter(p -> p.equalsIgnoreCase(v))
                        .findFirst()
                        .orElseThrow(() -> ssl.error(
                                "versions", "unsupported TLS version '" + v + "' (allowed: tlsv1.3, tlsv1.2)"));
                mapped.add(canonical);
            }
            try {
                b.protocols(mapped);
            } catch (IllegalArgumentException e) {
                throw ssl.error("versions", String.valueOf(e.getMessage()));
            }
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String msg = Objects.requireNonNullElse(e.getMessage(), "invalid");
            // TlsSettings names "ssl.<key>" at the start of its messages.
            String key = msg.startsWith("ssl.") ? msg.substring(4).split("[ :]", 2)[0] : "";
            String detail = msg.startsWith("ssl." + key)
                    ? msg.substring(4 + key.length()).replaceFirst("^:? *", "")
                    : msg;
            return rethrowSsl(ssl, key, detail);
        }
    }

    private static TlsSettings rethrowSsl(ConfigSection ssl, String key, String detail) {
        if (SSL_KEYS.contains(key)) {
            throw ssl.error(key, detail);
        }
        throw ssl.error(detail);
    }

    private static TcpOptions readTcp(ConfigSection tcp) {
        tcp.checkKeys(TCP_KEYS, Map.of(), Map.of());
        TcpOptions.Builder b = TcpOptions.builder();
        tcp.int32(TcpOptions.ACTIVE_N.name()).ifPresent(b::activeN);
        tcp.bool(TcpOptions.NODELAY.name()).ifPresent(b::nodelay);
        tcp.bytes(TcpOptions.SNDBUF.name()).ifPresent(v -> b.sndbuf(intBytes(tcp, TcpOptions.SNDBUF.name(), v)));
        tcp.bytes(TcpOptions.RECBUF.name()).ifPresent(v -> b.recbuf(intBytes(tcp, TcpOptions.RECBUF.name(), v)));
        tcp.bytes(TcpOptions.BUFFER.name()).ifPresent(v -> b.buffer(intBytes(tcp, TcpOptions.BUFFER.name(), v)));
        tcp.string(TcpOptions.KEEPALIVE.name()).ifPresent(b::keepalive);
        tcp.bool(TcpOptions.DELAY_SEND.name()).ifPresent(b::delaySend);
        return b.build();
    }

    private static int intBytes(ConfigSection s, String key, long v) {
        if (v > Integer.MAX_VALUE) {
            throw s.error(key, "must be at most " + Integer.MAX_VALUE + " bytes");
        }
        return (int) v;
    }

    private static ResourceOptions readResource(ConfigSection r) {
        r.checkKeys(RESOURCE_KEYS, RESOURCE_IGNORED, Map.of());
        ResourceOptions.Builder b = ResourceOptions.builder();
        r.int32(ResourceOptions.WORKER_POOL_SIZE.name()).ifPresent(b::workerPoolSize);
        r.string(ResourceOptions.DISPATCH_STRATEGY.name())
                .ifPresent(v -> b.dispatchStrategy(DispatchStrategy.parse(v)));
        r.duration(ResourceOptions.HEALTH_CHECK_INTERVAL.name()).ifPresent(b::healthCheckInterval);
        Optional<Duration> ttl = r.duration(ResourceOptions.REQUEST_TTL.name());
        Optional<Duration> timeout = r.duration("request_timeout");
        if (ttl.isPresent() && timeout.isPresent()) {
            throw r.error("request_timeout", "is an alias of request_ttl; give only one of them");
        }
        ttl.or(() -> timeout).ifPresent(b::requestTtl);
        r.int32(ResourceOptions.INFLIGHT_WINDOW.name()).ifPresent(b::inflightWindow);
        r.bytes(ResourceOptions.MAX_BUFFER_BYTES.name()).ifPresent(b::maxBufferBytes);
        r.duration(ResourceOptions.START_TIMEOUT.name()).ifPresent(b::startTimeout);
        return b.build();
    }

    private static ReconnectBackoff readReconnect(ConfigSection r) {
        r.checkKeys(RECONNECT_KEYS, Map.of(), Map.of());
        ReconnectBackoff d = ReconnectBackoff.DEFAULT;
        return new ReconnectBackoff(
                r.duration(ReconnectBackoff.INITIAL_DELAY.name()).orElse(d.initialDelay()),
                r.duration(ReconnectBackoff.MAX_DELAY.name()).orElse(d.maxDelay()),
                r.number(ReconnectBackoff.JITTER.name()).orElse(d.jitter()));
    }

    private static <T> void set(ConfigSection link, String option, Optional<T> value, Consumer<T> setter) {
        value.ifPresent(v -> apply(link, option, () -> setter.accept(v)));
    }

    /**
     * Runs a builder call, turning its {@link InvalidConfigException} into a message naming the file, the path and
     * the value. The exception's option is relative to {@code section} ({@code topics}, {@code
     * resource_opts.request_ttl}); {@code fallback} is used when it is not.
     */
    private static void apply(ConfigSection section, String fallback, Runnable call) {
        try {
            call.run();
        } catch (InvalidConfigException e) {
            String option = e.option().isEmpty() ? fallback : e.option();
            if (option.startsWith("cluster.")) {
                option = option.substring("cluster.".length());
            }
            throw section.errorAt(option, detailOf(e), e);
        }
    }

    private static String detailOf(InvalidConfigException e) {
        String msg = Objects.requireNonNullElse(e.getMessage(), e.reason());
        String prefix = e.option() + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    }

    /** Why some EMQX options are accepted without effect. */
    private static final class EmqxNote {
        static final String NODE_CLUSTERING =
                "an EMQX node-clustering setting; clink links whole brokers and does " + "not form broker clusters";
        static final String RESOURCE = "an EMQX resource option without a clink equivalent";

        private EmqxNote() {}
    }
}
