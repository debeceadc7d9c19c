package io.clink.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.InvalidConfigException;
import io.clink.api.config.LinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    private static final String NODE_CLUSTERING_NOTE =
            "an EMQX node-clustering setting; clink links whole brokers and does not form broker clusters";

    /** EMQX's node-clustering settings share the {@code cluster} root; a pasted EMQX file may carry them. */
    private static final Map<String, String> CLUSTER_IGNORED = Map.ofEntries(
            Map.entry("discovery_strategy", NODE_CLUSTERING_NOTE),
            Map.entry("autoclean", NODE_CLUSTERING_NOTE),
            Map.entry("autoheal", NODE_CLUSTERING_NOTE),
            Map.entry("proto_dist", NODE_CLUSTERING_NOTE),
            Map.entry("static", NODE_CLUSTERING_NOTE),
            Map.entry("dns", NODE_CLUSTERING_NOTE),
            Map.entry("etcd", NODE_CLUSTERING_NOTE),
            Map.entry("k8s", NODE_CLUSTERING_NOTE),
            Map.entry("mcast", NODE_CLUSTERING_NOTE),
            Map.entry("core_nodes", NODE_CLUSTERING_NOTE),
            Map.entry("driver", NODE_CLUSTERING_NOTE),
            Map.entry("quic_lb_mode", NODE_CLUSTERING_NOTE),
            Map.entry("prevent_overlapping_partitions", NODE_CLUSTERING_NOTE));

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
        return fromConfig(document, originName, baseDirectory, Set.of());
    }

    /**
     * Interprets the {@code cluster} block of a parsed document whose host reads some of EMQX's node-clustering keys
     * itself ({@code clink-broker} forms Artemis clusters from {@code discovery_strategy} and {@code static}): those
     * are passed over without the "ignored" warning.
     *
     * @param document the resolved document, not null
     * @param originName how messages name the source, not null
     * @param baseDirectory the directory relative file names resolve against, not null
     * @param hostKeys keys of the {@code cluster} block the caller reads, not null
     * @return the configuration
     * @throws ConfigLoadException if the block is missing or any value is invalid
     * @since 0.1.0
     */
    public static ClusterLinkConfig fromConfig(
            ConfigDocument document, String originName, Path baseDirectory, Set<String> hostKeys) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(hostKeys, "hostKeys");
        return readCluster(document.root(originName, baseDirectory, LOG::warn), hostKeys);
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

    private static ClusterLinkConfig readCluster(ConfigSection root, Set<String> hostKeys) {
        ConfigSection cluster = root.section("cluster").orElseThrow(() -> root.missing("cluster"));
        Set<String> known = new java.util.HashSet<>(CLUSTER_KEYS);
        known.addAll(hostKeys);
        Map<String, String> ignored = new java.util.HashMap<>(CLUSTER_IGNORED);
        ignored.keySet().removeAll(hostKeys);
        cluster.checkKeys(known, ignored, Map.of());
        ClusterLinkConfig.Builder b = ClusterLinkConfig.builder();
        String name = cluster.requireString(ClusterLinkConfig.NAME.name());
        BuilderCalls.apply(cluster, ClusterLinkConfig.NAME.name(), () -> b.name(name));
        cluster.string(ClusterLinkConfig.ACTOR_NAME.name())
                .ifPresent(a -> BuilderCalls.apply(cluster, ClusterLinkConfig.ACTOR_NAME.name(), () -> b.actorName(a)));
        List<ConfigSection> links =
                cluster.sections(ClusterLinkConfig.LINKS.name()).orElse(List.of());
        List<LinkConfig> parsed = new ArrayList<>(links.size());
        for (ConfigSection link : links) {
            parsed.add(LinkSectionReader.read(link));
        }
        b.links(parsed);
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            // The cluster builder names absolute paths ("cluster.links", "cluster.links[1].name").
            String rel = e.option().startsWith("cluster.") ? e.option().substring("cluster.".length()) : e.option();
            throw cluster.errorAt(rel, BuilderCalls.detailOf(e), e);
        }
    }
}
