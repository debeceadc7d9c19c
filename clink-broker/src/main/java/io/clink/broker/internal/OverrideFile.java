package io.clink.broker.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.InvalidConfigException;
import io.clink.api.config.LinkConfig;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigDocument;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.config.ConfigSection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links changed through the management API, kept next to the configuration file as EMQX keeps its {@code
 * cluster.hocon}: {@code <config name without extension>.override.json} (for {@code cluster-us-east.conf}, {@code
 * cluster-us-east.override.json}). At start it is read on top of the configuration file: a link it holds replaces the
 * file's link of that name or is added after the file's links, and a link it lists under {@code deleted_links} is
 * left out.
 *
 * <pre>
 * { "cluster": { "name": "cluster-us-east", "links": [ { "name": "cluster-ap", "server": "...", "topics": ["#"] } ] },
 *   "deleted_links": ["cluster-eu-west"] }
 * </pre>
 *
 * <p>The file is JSON, which is HOCON, and its links are read by the same code as the configuration file's {@code
 * cluster.links}, so a bad value is reported the same way, naming this file and the line. Each link is kept as the
 * JSON the API received (a {@code ******} password replaced by the secret it stands for), so the file holds secrets:
 * it is written readable by its owner only. {@link #writeTo} replaces it atomically (a temporary file, fsync, an
 * atomic rename, fsync of the directory), so a crash leaves the old or the new file, never a mix.
 *
 * <p>Immutable and thread-safe; {@link #with} and {@link #without} return new instances.
 */
public final class OverrideFile {

    /** The key of the names of deleted links. */
    static final String DELETED = "deleted_links";

    private static final Logger LOG = LoggerFactory.getLogger(OverrideFile.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final String cluster;
    private final Map<String, ObjectNode> links;
    private final Map<String, LinkConfig> parsed;
    private final Set<String> deleted;
    private final String origin;

    private OverrideFile(
            String cluster,
            Map<String, ObjectNode> links,
            Map<String, LinkConfig> parsed,
            Set<String> deleted,
            String origin) {
        this.cluster = cluster;
        this.links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
        this.parsed = Collections.unmodifiableMap(new LinkedHashMap<>(parsed));
        this.deleted = Collections.unmodifiableSet(new LinkedHashSet<>(deleted));
        this.origin = origin;
    }

    /**
     * Where the override file of a configuration file lives.
     *
     * @param configFile the configuration file
     * @return its sibling {@code <name without extension>.override.json}
     */
    public static Path pathFor(Path configFile) {
        Path abs = configFile.toAbsolutePath();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return abs.resolveSibling(stem + ".override.json");
    }

    /**
     * No changes yet.
     *
     * @param cluster the local cluster's name
     * @param origin how messages name the file
     * @return an empty override
     */
    public static OverrideFile empty(String cluster, String origin) {
        return new OverrideFile(cluster, Map.of(), Map.of(), Set.of(), origin);
    }

    /**
     * Reads an override file, or returns an empty one when there is none.
     *
     * <p>Blocking: reads the file (and any secret files its links name). Any thread.
     *
     * @param file the file
     * @param cluster the local cluster's name; the file must have been written for it
     * @return the override
     * @throws ConfigLoadException naming the file (and line) when it is not valid JSON or a link in it is invalid
     */
    public static OverrideFile read(Path file, String cluster) {
        String origin = file.toString();
        if (!Files.exists(file)) {
            return empty(cluster, origin);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            String where = line > 0 ? origin + ":" + line : origin;
            throw new ConfigLoadException(
                    where, null, where + ": the override file is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigLoadException(origin, null, origin + ": the override file cannot be read: " + e, e);
        }
        // The same reader as the configuration file's cluster block: the same checks and the same messages.
        ConfigDocument doc = ClusterLinkConfigLoader.parseFile(file);
        ConfigSection root = doc.root(origin, ClusterLinkConfigLoader.baseDirectoryOf(file), LOG::warn);
        root.checkKeys(Set.of("cluster", DELETED), Map.of(), Map.of());
        ClusterLinkConfig config =
                ClusterLinkConfigLoader.fromConfig(doc, origin, ClusterLinkConfigLoader.baseDirectoryOf(file));
        if (!config.name().equals(cluster)) {
            throw root.errorAt(
                    "cluster.name", "was written for another cluster; this broker's cluster.name is " + cluster, null);
        }
        Map<String, ObjectNode> raw = new LinkedHashMap<>();
        Map<String, LinkConfig> parsed = new LinkedHashMap<>();
        JsonNode list = tree.path("cluster").path("links");
        for (int i = 0; i < config.links().size(); i++) {
            LinkConfig l = config.links().get(i);
            raw.put(l.name(), (ObjectNode) list.get(i));
            parsed.put(l.name(), l);
        }
        Set<String> deleted = new LinkedHashSet<>(root.strings(DELETED).orElse(List.of()));
        return new OverrideFile(cluster, raw, parsed, deleted, origin);
    }

    /**
     * The configuration file's cluster block with these changes on top.
     *
     * @param base what the configuration file says
     * @return the configuration in force
     * @throws ConfigLoadException naming this file when the result is invalid (a link to the cluster itself, say)
     */
    public ClusterLinkConfig applyTo(ClusterLinkConfig base) {
        List<LinkConfig> out = new ArrayList<>();
        for (LinkConfig l : base.links()) {
            if (parsed.containsKey(l.name())) {
                out.add(parsed.get(l.name()));
            } else if (!deleted.contains(l.name())) {
                out.add(l);
            }
        }
        for (LinkConfig l : parsed.values()) {
            if (base.link(l.name()).isEmpty()) {
                out.add(l);
            }
        }
        try {
            return ClusterLinkConfig.builder()
                    .name(base.name())
                    .actorName(base.actorName().orElse(null))
                    .links(out)
                    .build();
        } catch (InvalidConfigException e) {
            throw new ConfigLoadException(origin, e.option(), origin + ": " + e.option() + ": " + e.getMessage(), e);
        }
    }

    /**
     * This override with one link added or replaced.
     *
     * @param body the link as the API received it, its name included and a {@code ******} password resolved
     * @param link the link it was read into
     * @return the new override
     */
    public OverrideFile with(ObjectNode body, LinkConfig link) {
        Map<String, ObjectNode> raw = new LinkedHashMap<>(links);
        Map<String, LinkConfig> p = new LinkedHashMap<>(parsed);
        raw.put(link.name(), body.deepCopy());
        p.put(link.name(), link);
        Set<String> d = new LinkedHashSet<>(deleted);
        d.remove(link.name());
        return new OverrideFile(cluster, raw, p, d, origin);
    }

    /**
     * This override with one link deleted.
     *
     * @param name the link's name
     * @return the new override
     */
    public OverrideFile without(String name) {
        Map<String, ObjectNode> raw = new LinkedHashMap<>(links);
        Map<String, LinkConfig> p = new LinkedHashMap<>(parsed);
        raw.remove(name);
        p.remove(name);
        Set<String> d = new LinkedHashSet<>(deleted);
        d.add(name);
        return new OverrideFile(cluster, raw, p, d, origin);
    }

    /**
     * The JSON a link was last written with through the API.
     *
     * @param name the link's name
     * @return a copy of the JSON, or empty if the API never wrote that link
     */
    public Optional<ObjectNode> body(String name) {
        ObjectNode b = links.get(name);
        return b == null ? Optional.empty() : Optional.of(b.deepCopy());
    }

    /** The names listed as deleted. */
    public Set<String> deleted() {
        return deleted;
    }

    /** The file's content. */
    byte[] toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode c = root.putObject("cluster");
        c.put("name", cluster);
        ArrayNode l = c.putArray("links");
        links.values().forEach(l::add);
        ArrayNode d = root.putArray(DELETED);
        deleted.forEach(d::add);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree did not serialize", e);
        }
    }

    /**
     * Replaces {@code file} with this override, atomically: the old content or the new one, never a mix.
     *
     * <p>Blocking: writes and fsyncs. Call from one thread at a time per file.
     *
     * @param file where
     * @throws IOException if it cannot be written; the old file is then left as it was
     */
    public void writeTo(Path file) throws IOException {
        Path dir = ClusterLinkConfigLoader.baseDirectoryOf(file);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        byte[] bytes = toJson();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Files.deleteIfExists(tmp);
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("the file system of " + dir + " cannot rename atomically", e);
        }
        // The rename is durable once the directory entry is; not every platform can open a directory to sync it.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
