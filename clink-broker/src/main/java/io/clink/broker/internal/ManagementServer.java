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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only management API of one broker, on the JDK's HTTP server, in EMQX's paths and shapes:
 *
 * <ul>
 *   <li>{@code GET /api/v5/cluster/links}: every link's configuration (secrets redacted) with its status;
 *   <li>{@code GET /api/v5/cluster/links/link/{name}}: one link, 404 {@code NOT_FOUND} if there is none;
 *   <li>{@code GET /api/v5/cluster/links/link/{name}/metrics}: its metrics, 404 likewise;
 *   <li>{@code GET /api/v5/cluster/links/link/{name}/routes}: the routes that cluster replicated here (clink's
 *       own path, EMQX has none), at most {@value LinkJson#MAX_LISTED_ROUTES}, see {@link LinkJson#routes}.
 * </ul>
 *
 * <p>Other methods on these paths get 405, other paths 404, both with EMQX's {@code {"code", "message"}} body.
 *
 * <p>Concurrency: requests run on a small fixed pool ({@value #THREADS} threads) and only read the engine's
 * thread-safe snapshots; a slow client holds one of them, never the broker. {@link #close()} stops accepting, waits
 * briefly for exchanges in progress, and stops the pool.
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ClusterLink link;

    private ManagementServer(HttpServer server, ExecutorService executor, ClusterLink link) {
        this.server = server;
        this.executor = executor;
        this.link = link;
    }

    /**
     * Starts serving.
     *
     * @param address where to listen; port 0 picks a free port
     * @param link the engine whose links it reports
     * @return the running server
     * @throws IOException if it cannot listen there
     */
    public static ManagementServer start(InetSocketAddress address, ClusterLink link) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(link, "link");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(
                THREADS,
                new ThreadFactoryBuilder()
                        .setNameFormat("clink-mgmt-" + link.config().name() + "-%d")
                        .setDaemon(true)
                        .build());
        ManagementServer m = new ManagementServer(server, executor, link);
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
        String path = exchange.getRequestURI().getPath();
        String name = null;
        boolean metrics = false;
        boolean routes = false;
        if (path.startsWith(LINK)) {
            String rest = path.substring(LINK.length());
            metrics = rest.endsWith(METRICS);
            routes = rest.endsWith(ROUTES);
            name = metrics
                    ? rest.substring(0, rest.length() - METRICS.length())
                    : routes ? rest.substring(0, rest.length() - ROUTES.length()) : rest;
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                send(exchange, 404, LinkJson.error("NOT_FOUND", "Request path not found: " + path));
                return;
            }
        } else if (!path.equals(LINKS)) {
            send(exchange, 404, LinkJson.error("NOT_FOUND", "Request path not found: " + path));
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(
                    exchange,
                    405,
                    LinkJson.error(
                            "METHOD_NOT_ALLOWED",
                            "Method " + exchange.getRequestMethod() + " not allowed: this API is read-only"));
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
        } else if (metrics) {
            send(exchange, 200, LinkJson.metrics(link.metrics(name).orElseThrow(), link.nodeName()));
        } else if (routes) {
            send(exchange, 200, LinkJson.routes(link.remoteRoutes(name)));
        } else {
            send(exchange, 200, LinkJson.link(config, linkConfig.get(), status.get(), link.nodeName()));
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
