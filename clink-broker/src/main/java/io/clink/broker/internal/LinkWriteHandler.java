package io.clink.broker.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.core.ClusterLink;
import io.clink.core.LinkChanges;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write half of the management API: create, update and delete links and reset their metrics, in EMQX's bodies
 * and error codes. A link body is read by the same code as the configuration file's {@code cluster.links} entries
 * ({@link ClusterLinkConfigLoader}), so a bad value gets the same message, naming the field and the value. Changes
 * go through {@link ClusterLink#updateConfig} (the other links keep running undisturbed) and, when the broker was
 * started from a file, into its {@link OverrideFile}.
 *
 * <p>Concurrency: every write holds one lock from reading the configuration in force to saving the override file, so
 * writes apply one at a time and none is lost; reads do not take it.
 */
public final class LinkWriteHandler {

    /** Largest request body read; a link's configuration is well under a kilobyte. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Response-only keys of a link's JSON: accepted in a body (a GET's answer sent back) and ignored. */
    private static final Set<String> RESPONSE_ONLY = Set.of("status", "node_status", "node", "clink");

    private static final Logger LOG = LoggerFactory.getLogger(LinkWriteHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** An answer: status code and body (null for 204). */
    public record Result(int status, @Nullable JsonNode body) {}

    private final ClusterLink engine;
    private final @Nullable Path file;
    private final Path baseDirectory;
    private final Object writeLock = new Object();
    private OverrideFile state;

    /**
     * @param engine the engine whose links it changes
     * @param file where changes persist, or null to keep them in memory only (the demo)
     * @param state the override read at start (empty when there is none)
     * @param baseDirectory where relative file names in a body resolve (the configuration file's directory)
     */
    public LinkWriteHandler(ClusterLink engine, @Nullable Path file, OverrideFile state, Path baseDirectory) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.file = file;
        this.state = Objects.requireNonNull(state, "state");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /**
     * Reads a request body: at most {@link #MAX_BODY_BYTES}, one JSON object.
     *
     * @param in the body
     * @return the object
     * @throws BadRequest naming what is wrong
     * @throws IOException if the connection fails
     */
    public static ObjectNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new BadRequest("the request body is empty; send the link as a JSON object");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")"));
        }
        if (tree == null || !tree.isObject()) {
            throw new BadRequest(
                    "the request body must be a JSON object, got " + (tree == null ? "nothing" : tree.getNodeType()));
        }
        return (ObjectNode) tree;
    }

    /** A request the API refuses with 400 {@code BAD_REQUEST}; the message is the answer's. */
    public static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code POST /cluster/links}: 201 with the link, 400 {@code ALREADY_EXISTS} or {@code BAD_REQUEST}. */
    public Result create(ObjectNode body) {
        JsonNode nameNode = body.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            return bad("name is required: the remote cluster's cluster.name, a string");
        }
        String name = nameNode.asText();
        synchronized (writeLock) {
            ClusterLinkConfig current = engine.config();
            if (current.link(name).isPresent()) {
                return new Result(400, LinkJson.error("ALREADY_EXISTS", "a link named " + name + " already exists"));
            }
            ObjectNode clean = withoutResponseKeys(body);
            LinkConfig link;
            try {
                link = readLink(current.name(), clean);
            } catch (BadRequest e) {
                return bad(String.valueOf(e.getMessage()));
            }
            List<LinkConfig> links = new ArrayList<>(current.links());
            links.add(link);
            return apply(current, links, state.with(clean, link), name, 201);
        }
    }

    /** {@code PUT /cluster/links/link/{name}}: 200 with the link, 404, or 400 {@code BAD_REQUEST}. */
    public Result update(String name, ObjectNode body) {
        JsonNode given = body.get("name");
        if (given != null && !(given.isTextual() && given.asText().equals(name))) {
            return bad("name = " + given + ": a link cannot be renamed; delete it and create the new one");
        }
        synchronized (writeLock) {
            ClusterLinkConfig current = engine.config();
            Optional<LinkConfig> old = current.link(name);
            if (old.isEmpty()) {
                return notFound();
            }
            ObjectNode clean = withoutResponseKeys(body);
            clean.put("name", name);
            JsonNode password = clean.get("password");
            if (password != null && password.isTextual() && password.asText().equals(LinkJson.REDACTED)) {
                // The API shows ****** for the secret; sent back, it means "keep it", as with EMQX.
                Optional<String> stored = state.body(name)
                        .map(b -> b.get("password"))
                        .filter(JsonNode::isTextual)
                        .map(JsonNode::asText)
                        .or(() -> old.get().password());
                if (stored.isPresent()) {
                    clean.put("password", stored.get());
                } else {
                    clean.remove("password");
                }
            }
            LinkConfig link;
            try {
                link = readLink(current.name(), clean);
            } catch (BadRequest e) {
                return bad(String.valueOf(e.getMessage()));
            }
            List<LinkConfig> links = new ArrayList<>(current.links());
            links.replaceAll(l -> l.name().equals(name) ? link : l);
            return apply(current, links, state.with(clean, link), name, 200);
        }
    }

    /** {@code DELETE /cluster/links/link/{name}}: 204 or 404. */
    public Result delete(String name) {
        synchronized (writeLock) {
            ClusterLinkConfig current = engine.config();
            if (current.link(name).isEmpty()) {
                return notFound();
            }
            List<LinkConfig> links = new ArrayList<>(current.links());
            links.removeIf(l -> l.name().equals(name));
            return apply(current, links, state.without(name), null, 204);
        }
    }

    /** {@code PUT /cluster/links/link/{name}/metrics/reset}: 204 or 404. */
    public Result resetMetrics(String name) {
        return engine.resetMetrics(name) ? new Result(204, null) : notFound();
    }

    /**
     * A configuration reload (SIGHUP): under the same lock as the API's writes, reads the configuration file and its
     * override again through {@code load} (the file's links with the override on top: for a link the API changed,
     * the override wins, as EMQX's override file does) and applies what changed through {@link
     * ClusterLink#replaceLinks}, leaving unchanged links running. Loading inside the lock keeps an API write that
     * races with the reload from being undone by it.
     *
     * @param load reads the configuration again; its exceptions (a bad file) propagate and nothing changes
     * @return what changed
     * @throws IllegalArgumentException if the engine refuses the new links (nothing changed)
     */
    public LinkChanges reload(Supplier<ClusterLinkConfig> load) {
        synchronized (writeLock) {
            ClusterLinkConfig current = engine.config();
            ClusterLinkConfig fresh = load.get();
            OverrideFile nextState = file == null ? state : OverrideFile.read(file, current.name());
            LinkChanges diff = engine.replaceLinks(fresh.links());
            state = nextState;
            return diff;
        }
    }

    /** Applies the new links to the engine, then persists; if persisting fails, puts the engine back. */
    private Result apply(
            ClusterLinkConfig current, List<LinkConfig> links, OverrideFile next, @Nullable String show, int status) {
        try {
            engine.replaceLinks(links);
        } catch (IllegalArgumentException e) {
            return bad(String.valueOf(e.getMessage()));
        }
        ClusterLinkConfig updated = engine.config();
        if (file != null) {
            try {
                next.writeTo(file);
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot write the override file {}; the change is undone", file, e);
                engine.updateConfig(current);
                return new Result(
                        500,
                        LinkJson.error(
                                "INTERNAL_ERROR",
                                "cannot write " + file + " (" + e.getMessage() + "); the change is undone"));
            }
        }
        state = next;
        LOG.info(
                "management API: cluster.links now {}{}",
                updated.links().stream().map(LinkConfig::name).toList(),
                file == null ? " (not persisted: the broker was not started from a file)" : ", saved in " + file);
        if (show == null) {
            return new Result(status, null);
        }
        LinkConfig link = updated.link(show).orElseThrow();
        return new Result(
                status, LinkJson.link(updated, link, engine.status(show).orElseThrow(), engine.nodeName()));
    }

    /** Reads one link through the configuration file's reader; the message names the field and the value. */
    private LinkConfig readLink(String cluster, ObjectNode link) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ObjectNode c = doc.putObject("cluster");
        c.put("name", cluster);
        c.putArray("links").add(link);
        String text;
        try {
            text = JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the link cannot be written as JSON: " + e.getOriginalMessage());
        }
        ClusterLinkConfig parsed;
        try {
            parsed = ClusterLinkConfigLoader.parse(text, "request body", baseDirectory);
        } catch (ConfigLoadException e) {
            throw new BadRequest(relative(e));
        }
        if (parsed.links().size() != 1) {
            throw new BadRequest("the body must be one link");
        }
        return parsed.links().get(0);
    }

    /** {@code request body:1: cluster.links[0].topics = ...: why} becomes {@code topics = ...: why}. */
    static String relative(ConfigLoadException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = "cluster.links[0].";
        int at = message.indexOf(prefix);
        if (at >= 0) {
            return message.substring(at + prefix.length());
        }
        at = message.indexOf("cluster.links[0]");
        if (at >= 0) {
            return "the link" + message.substring(at + "cluster.links[0]".length());
        }
        String origin = e.origin() + ": ";
        return message.startsWith(origin) ? message.substring(origin.length()) : message;
    }

    private static ObjectNode withoutResponseKeys(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove(RESPONSE_ONLY);
        return copy;
    }

    private static Result notFound() {
        return new Result(404, LinkJson.error("NOT_FOUND", "Cluster link not found"));
    }

    private static Result bad(String message) {
        return new Result(400, LinkJson.error("BAD_REQUEST", message));
    }
}
