package io.clink.broker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;
import io.clink.core.ClusterLink;
import io.clink.core.LinkRate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API of one broker, on the JDK's HTTP server, in EMQX's paths, shapes and error codes:
 *
 * <ul>
 *   <li>{@code GET /api/v5/cluster/links}: every link's configuration (secrets redacted) with its status;
 *       {@code POST} creates a link (see {@link LinkWriteHandler});
 *   <li>{@code GET /api/v5/cluster/links/link/{name}}: one link, 404 {@code NOT_FOUND} if there is none; {@code
 *       PUT} replaces it, {@code DELETE} removes it;
 *   <li>{@code GET /api/v5/cluster/links/link/{name}/metrics}: its metrics, 404 likewise; {@code PUT
 *       .../metrics/reset} sets its counters to zero;
 *   <li>{@code GET /api/v5/cluster/links/link/{name}/routes}: the routes that cluster replicated here (clink's
 *       own path, EMQX has none), at most {@value LinkJson#MAX_LISTED_ROUTES}, see {@link LinkJson#routes};
 *   <li>{@code GET /api/v5/metrics}: EMQX's node metrics as far as clink has them, {@code delivery.dropped} (see
 *       {@link LinkJson#nodeMetrics}); {@code ?aggregate=true} answers one object instead of a per-node list;
 *   <li>{@code GET /api/v5/prometheus/stats}: every link's meters and the JVM's in Prometheus' text format (see
 *       {@link PrometheusStats}). Like EMQX's endpoint (whose basic auth is off by default) it needs no API key:
 *       a Prometheus server scrapes it without credentials, and it shows counts, never configuration or secrets.
 * </ul>
 *
 * <p>With API keys ({@link ApiKeys}) every request needs HTTP Basic credentials (401 {@code BAD_API_KEY_OR_SECRET}
 * without), and a {@code viewer} key's writes get 403 {@code UNAUTHORIZED_ROLE}. Without keys the API is read-only
 * and open: writes get 405, as before keys existed. Other methods on these paths get 405, other paths 404, all with
 * EMQX's {@code {"code", "message"}} body.
 *
 * <p>Concurrency: requests run on a small fixed pool ({@value #THREADS} threads); reads only read the engine's
 * thread-safe snapshots, writes take {@link LinkWriteHandler}'s lock; a slow client holds one thread, never the
 * broker. {@link #close()} stops accepting, waits briefly for exchanges in progress, and stops the pool.
 */
public final class ManagementServer implements AutoCloseable {

    /** The API's base path. */
    public static final String BASE = "/api/v5";

    static final int THREADS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final String LINKS = BASE + "/cluster/links";
    private static final String LINK = LINKS + "/link/";
    private static final String METRICS = "/metrics";
    private static final String ROUTES = "/routes";
    private static final String RESET = "/metrics/reset";
    private static final String PROMETHEUS = BASE + "/prometheus/stats";
    private static final String NODE_METRICS = BASE + "/metrics";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ClusterLink link;
    private final ApiKeys keys;
    private final LinkWriteHandler writes;
    private final PrometheusStats prometheus;

    private ManagementServer(
            HttpServer server, ExecutorService executor, ClusterLink link, ApiKeys keys, LinkWriteHandler writes) {
        this.server = server;
        this.executor = executor;
        this.link = link;
        this.keys = keys;
        this.writes = writes;
        this.prometheus = new PrometheusStats(link);
    }

    /**
     * Starts serving the read-only API without keys.
     *
     * @param address where to listen; port 0 picks a free port
     * @param link the engine whose links it reports
     * @return the running server
     * @throws IOException if it cannot listen there
     */
    public static ManagementServer start(InetSocketAddress address, ClusterLink link) throws IOException {
        return start(
                address,
                link,
                ApiKeys.NONE,
                new LinkWriteHandler(
                        link,
                        null,
                        OverrideFile.empty(link.config().name(), "none"),
                        Path.of("").toAbsolutePath()));
    }

    /**
     * Starts serving.
     *
     * @param address where to listen; port 0 picks a free port
     * @param link the engine whose links it reports
     * @param keys the API keys; {@link ApiKeys#NONE} for a read-only API without authentication
     * @param writes what carries out the writes (used only with keys)
     * @return the running server
     * @throws IOException if it cannot listen there
     */
    public static ManagementServer start(
            InetSocketAddress address, ClusterLink link, ApiKeys keys, LinkWriteHandler writes) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(writes, "writes");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(
                THREADS,
                new ThreadFactoryBuilder()
                        .setNameFormat("clink-mgmt-" + link.config().name() + "-%d")
                        .setDaemon(true)
                        .build());
        ManagementServer m = new ManagementServer(server, executor, link, keys, writes);
        server.createContext("/", m::handle);
        server.setExecutor(executor);
        server.start();
        return m;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Whether it listens on a loopback address only. */
    public boolean isLoopback() {
        return server.getAddress().getAddress().isLoopbackAddress();
    }

    /** The base URL, for example {@code http://127.0.0.1:18083/api/v5}. */
    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + BASE;
    }

    @Override
    public void close() {
        server.stop(1);
        prometheus.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                LOG.warn("management API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                send(exchange, 500, LinkJson.error("INTERNAL_ERROR", String.valueOf(e.getMessage())));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (exchange.getRequestURI().getPath().equals(PROMETHEUS)) {
            // Before the key check, on purpose: see the class comment.
            prometheus(exchange, method);
            return;
        }
        ApiKeys.Role role = null;
        if (!keys.isEmpty()) {
            role = keys.authenticate(exchange.getRequestHeaders().getFirst("Authorization"))
                    .orElse(null);
            if (role == null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"clink\"");
                send(
                        exchange,
                        401,
                        LinkJson.error(
                                "BAD_API_KEY_OR_SECRET",
                                "missing or wrong credentials: send an API key and its secret with HTTP Basic"));
                return;
            }
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals(NODE_METRICS)) {
            nodeMetrics(exchange, method);
            return;
        }
        String name = null;
        String tail = "";
        if (path.startsWith(LINK)) {
            String rest = path.substring(LINK.length());
            for (String suffix : new String[] {RESET, METRICS, ROUTES}) {
                if (rest.endsWith(suffix)) {
                    tail = suffix;
                    rest = rest.substring(0, rest.length() - suffix.length());
                    break;
                }
            }
            name = rest;
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                send(exchange, 404, LinkJson.error("NOT_FOUND", "Request path not found: " + path));
                return;
            }
        } else if (!path.equals(LINKS)) {
            send(exchange, 404, LinkJson.error("NOT_FOUND", "Request path not found: " + path));
            return;
        }
        String allowed = name == null
                ? "GET, POST"
                : switch (tail) {
                    case RESET -> "PUT";
                    case "" -> "GET, PUT, DELETE";
                    default -> "GET";
                };
        boolean read = method.equals("GET");
        if (!read && (keys.isEmpty() || !List.of(allowed.split(", ")).contains(method))) {
            String readOnly = keys.isEmpty() ? "GET" : allowed;
            exchange.getResponseHeaders().set("Allow", readOnly);
            send(
                    exchange,
                    405,
                    LinkJson.error(
                            "METHOD_NOT_ALLOWED",
                            "Method " + method + " not allowed"
                                    + (keys.isEmpty()
                                            ? ": this API is read-only (no api_key.bootstrap_file is configured)"
                                            : " on " + path + "; allowed: " + allowed)));
            return;
        }
        if (read && tail.equals(RESET)) {
            exchange.getResponseHeaders().set("Allow", "PUT");
            send(exchange, 405, LinkJson.error("METHOD_NOT_ALLOWED", "Method GET not allowed on " + path));
            return;
        }
        if (!read) {
            if (role != ApiKeys.Role.ADMINISTRATOR) {
                send(
                        exchange,
                        403,
                        LinkJson.error(
                                "UNAUTHORIZED_ROLE", "a viewer key may only read; writes need an administrator key"));
                return;
            }
            write(exchange, method, name, tail);
            return;
        }
        if (name == null) {
            send(exchange, 200, list());
            return;
        }
        ClusterLinkConfig config = link.config();
        Optional<LinkConfig> linkConfig = config.link(name);
        Optional<LinkStatus> status = link.status(name);
        if (linkConfig.isEmpty() || status.isEmpty()) {
            send(exchange, 404, LinkJson.error("NOT_FOUND", "Cluster link not found"));
        } else if (tail.equals(METRICS)) {
            send(
                    exchange,
                    200,
                    LinkJson.metrics(
                            link.metrics(name).orElseThrow(), link.rate(name).orElse(LinkRate.ZERO), link.nodeName()));
        } else if (tail.equals(ROUTES)) {
            send(exchange, 200, LinkJson.routes(link.remoteRoutes(name)));
        } else {
            send(exchange, 200, LinkJson.link(config, linkConfig.get(), status.get(), link.nodeName()));
        }
    }

    /** EMQX's {@code GET /api/v5/metrics[?aggregate=true]}, with the node figures clink has. */
    private void nodeMetrics(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, LinkJson.error("METHOD_NOT_ALLOWED", "Method " + method + " not allowed"));
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        boolean aggregate = query != null && List.of(query.split("&")).contains("aggregate=true");
        send(exchange, 200, LinkJson.nodeMetrics(link.nodeName(), link.droppedDeliveries(), aggregate));
    }

    private void write(HttpExchange exchange, String method, @Nullable String name, String tail) throws IOException {
        LinkWriteHandler.Result result;
        try {
            if (name == null) {
                result = writes.create(LinkWriteHandler.readBody(exchange.getRequestBody()));
            } else if (tail.equals(RESET)) {
                result = writes.resetMetrics(name);
            } else if (method.equals("DELETE")) {
                result = writes.delete(name);
            } else {
                result = writes.update(name, LinkWriteHandler.readBody(exchange.getRequestBody()));
            }
        } catch (LinkWriteHandler.BadRequest e) {
            result = new LinkWriteHandler.Result(400, LinkJson.error("BAD_REQUEST", String.valueOf(e.getMessage())));
        }
        if (result.body() == null) {
            exchange.sendResponseHeaders(result.status(), -1);
        } else {
            send(exchange, result.status(), result.body());
        }
    }

    private void prometheus(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(
                    exchange,
                    405,
                    LinkJson.error("METHOD_NOT_ALLOWED", "Method " + method + " not allowed on " + PROMETHEUS));
            return;
        }
        PrometheusStats.Rendered r =
                prometheus.scrape(exchange.getRequestHeaders().getFirst("Accept"));
        exchange.getResponseHeaders().set("Content-Type", r.contentType());
        exchange.sendResponseHeaders(200, r.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(r.body());
        }
    }

    private JsonNode list() {
        ClusterLinkConfig config = link.config();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (LinkConfig l : config.links()) {
            link.status(l.name()).ifPresent(s -> out.add(LinkJson.link(config, l, s, link.nodeName())));
        }
        return out;
    }

    private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
