package io.clink.broker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ResourceOptions;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.api.transport.DisconnectReason;
import io.clink.core.LinkRate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The management API's documents, in the shapes of EMQX's cluster-link API (protocol document sections 6.1-6.3),
 * built as Jackson trees so that Jackson does all quoting and escaping. clink's own details, which EMQX has no field
 * for, go under a {@code clink} key so that EMQX tooling can ignore them.
 *
 * <p>Pure functions of their arguments; thread-safe.
 */
public final class LinkJson {

    /** What EMQX shows instead of a secret. */
    public static final String REDACTED = "******";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private LinkJson() {}

    /**
     * One link: its configuration with defaults filled and secrets redacted (only the options clink honours; those
     * it accepts and ignores, such as {@code retry_interval}, are not echoed), its {@code status} and {@code
     * node_status} (this node only), and clink's details of the actors and the forwarding pool.
     */
    public static ObjectNode link(ClusterLinkConfig cluster, LinkConfig link, LinkStatus status, String node) {
        ObjectNode o = F.objectNode();
        o.put("name", link.name());
        o.put("enable", link.enable());
        o.put("server", link.servers().toString());
        o.put("clientid", cluster.clientIdOf(link));
        link.username().ifPresent(u -> o.put("username", u));
        link.password().ifPresent(p -> o.put("password", REDACTED));
        ArrayNode topics = o.putArray("topics");
        link.topics().forEach(topics::add);
        o.put("pool_size", link.poolSize());
        o.put("max_inflight", link.maxInflight());
        o.put("keepalive", duration(link.keepalive()));
        ObjectNode ssl = o.putObject("ssl");
        ssl.put("enable", link.tlsEnabled());
        link.effectiveTls().ifPresent(t -> {
            ssl.put("verify", t.verifyPeer() ? "verify_peer" : "verify_none");
            t.serverName().ifPresent(n -> ssl.put("server_name_indication", n));
            t.caFile().ifPresent(f -> ssl.put("cacertfile", f.toString()));
            t.certFile().ifPresent(f -> ssl.put("certfile", f.toString()));
            t.keyFile().ifPresent(f -> ssl.put("keyfile", f.toString()));
        });
        ResourceOptions r = link.resourceOptions();
        ObjectNode res = o.putObject("resource_opts");
        res.put("dispatch_strategy", r.dispatchStrategy().configValue());
        res.put("request_ttl", duration(r.requestTtl()));
        res.put("inflight_window", r.inflightWindow());
        res.put("max_buffer_bytes", bytes(r.maxBufferBytes()));

        String value = status(status);
        o.put("status", value);
        ObjectNode nodeStatus = o.putArray("node_status").addObject();
        nodeStatus.put("node", node);
        nodeStatus.put("status", value);
        if (!value.equals("connected")) {
            reason(status).ifPresent(why -> nodeStatus.put("reason", why));
        }

        ObjectNode clink = o.putObject("clink");
        clink.put("healthy", status.isHealthy());
        ObjectNode reconnect = clink.putObject("reconnect");
        reconnect.put("initial_delay", duration(link.reconnect().initialDelay()));
        reconnect.put("max_delay", duration(link.reconnect().maxDelay()));
        reconnect.put("jitter", link.reconnect().jitter());
        ObjectNode fwd = clink.putObject("forwarding");
        fwd.put("status", value);
        fwd.put("since", Instant.ofEpochMilli(status.sinceMillis()).toString());
        if (status.forwardingLastDisconnect() != null) {
            fwd.set("last_disconnect", disconnect(status.forwardingLastDisconnect()));
        }
        ArrayNode endpoints = fwd.putArray("endpoints");
        status.forwardingEndpoints().forEach(endpoints::add);
        ArrayNode actors = clink.putArray("actors");
        for (ActorStatus a : status.actors()) {
            ObjectNode j = actors.addObject();
            j.put("name", a.actorName());
            j.put("incarnation", a.incarnation());
            j.put("state", a.state().name().toLowerCase(Locale.ROOT));
            j.put("since", Instant.ofEpochMilli(a.sinceMillis()).toString());
            if (a.lastDisconnect() != null) {
                j.set("last_disconnect", disconnect(a.lastDisconnect()));
            }
            if (a.lastError() != null) {
                j.put("last_error", a.lastError());
            }
            // null while the actor is not connected, so clients can tell "not connected" from "field unknown"
            j.put("endpoint", a.endpoint());
        }
        return o;
    }

    /**
     * EMQX's status value: the forwarding pool's health ({@code connected}, {@code connecting}, {@code
     * disconnected}); a disabled link is {@code disconnected}.
     */
    public static String status(LinkStatus status) {
        return status.forwarding().apiValue();
    }

    /**
     * Why a link that is not connected is down: the forwarding pool's last disconnect, else the actor's last
     * disconnect, else the actor's last error.
     */
    static Optional<String> reason(LinkStatus status) {
        if (status.forwardingLastDisconnect() != null) {
            return Optional.of(status.forwardingLastDisconnect().toString());
        }
        for (ActorStatus a : status.actors()) {
            if (a.lastDisconnect() != null) {
                return Optional.of(a.lastDisconnect().toString());
            }
            if (a.lastError() != null) {
                return Optional.of(a.lastError());
            }
        }
        return Optional.empty();
    }

    /**
     * {@code {"metrics": {...}, "node_metrics": [{"node": ..., "metrics": {...}}]}} for one node: EMQX's {@code
     * router.routes} and {@code forwarding.*} where clink measures the same thing, clink's other counters under
     * {@code clink}. {@code forwarding} carries EMQX's {@code rate}, {@code rate_last5m} and {@code rate_max} of
     * {@code matched} in messages per second, rounded to two decimals as EMQX rounds them.
     */
    public static ObjectNode metrics(LinkMetrics m, LinkRate rate, String node) {
        ObjectNode o = F.objectNode();
        o.set("metrics", metricsBody(m, rate));
        ObjectNode n = o.putArray("node_metrics").addObject();
        n.put("node", node);
        n.set("metrics", metricsBody(m, rate));
        return o;
    }

    /**
     * EMQX's node metrics ({@code GET /api/v5/metrics}) as far as clink knows them: {@code delivery.dropped}, the
     * messages this node's broker dropped on their way to its subscribers, when the adapter can tell. Per node, as a
     * list ({@code [{"node": ..., ...}]}), or with {@code aggregate} one object without the node, as EMQX answers
     * {@code ?aggregate=true}.
     */
    public static JsonNode nodeMetrics(String node, OptionalLong deliveryDropped, boolean aggregate) {
        ObjectNode o = F.objectNode();
        if (!aggregate) {
            o.put("node", node);
        }
        deliveryDropped.ifPresent(n -> o.put("delivery.dropped", n));
        if (aggregate) {
            return o;
        }
        ArrayNode list = F.arrayNode();
        list.add(o);
        return list;
    }

    private static double twoDecimals(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static ObjectNode metricsBody(LinkMetrics m, LinkRate rate) {
        ObjectNode body = F.objectNode();
        body.putObject("router").put("routes", m.remoteRoutes());
        ObjectNode fwd = body.putObject("forwarding");
        fwd.put("matched", m.matched());
        fwd.put("success", m.forwarded());
        fwd.put("failed", m.failed());
        fwd.put("dropped", m.dropped());
        fwd.put("retried", m.retried());
        fwd.put("queuing", m.bufferedMessages());
        fwd.put("inflight", m.inflightMessages());
        fwd.put("rate", twoDecimals(rate.current()));
        fwd.put("rate_last5m", twoDecimals(rate.last5m()));
        fwd.put("rate_max", twoDecimals(rate.max()));
        ObjectNode clink = body.putObject("clink");
        clink.put("routes_sent", m.routesSent());
        clink.put("routes_received", m.routesReceived());
        clink.put("routes_skipped", m.routesSkipped());
        clink.put("messages_received", m.received());
        clink.put("messages_filtered", m.filtered());
        clink.put("queuing_bytes", m.bufferedBytes());
        clink.put("messages_rejected", m.rejected());
        clink.put("fields_dropped", m.fieldsDropped());
        clink.put("protocol_errors", m.protocolErrors());
        clink.put("broker_errors", m.brokerErrors());
        clink.put("reconnects", m.reconnects());
        return body;
    }

    /** Most routes {@link #routes} lists; a listing of a million routes would cost the API's heap, not help. */
    public static final int MAX_LISTED_ROUTES = 10_000;

    /**
     * The routes one remote cluster replicated here: {@code {"count": N, "truncated": bool, "routes": [{"filter",
     * "route_id"}, ...]}}, sorted by filter then id, at most {@link #MAX_LISTED_ROUTES} of them. Route ids are opaque
     * bytes on the wire; {@code route_id} is their escaped text ({@code \xNN} for a byte that is not part of valid
     * UTF-8, {@code \\} for a backslash), as {@link RemoteRoute#routeId()} documents.
     */
    public static ObjectNode routes(Set<RemoteRoute> routes) {
        ObjectNode o = F.objectNode();
        o.put("count", routes.size());
        o.put("truncated", routes.size() > MAX_LISTED_ROUTES);
        ArrayNode list = o.putArray("routes");
        routes.stream()
                .sorted(Comparator.comparing(RemoteRoute::filter).thenComparing(RemoteRoute::routeId))
                .limit(MAX_LISTED_ROUTES)
                .forEach(r -> list.addObject().put("filter", r.filter()).put("route_id", r.routeId()));
        return o;
    }

    /** EMQX's error body: {@code {"code": ..., "message": ...}}. */
    public static ObjectNode error(String code, String message) {
        ObjectNode o = F.objectNode();
        o.put("code", code);
        o.put("message", message);
        return o;
    }

    private static ObjectNode disconnect(@Nullable DisconnectReason r) {
        ObjectNode o = F.objectNode();
        if (r == null) {
            return o;
        }
        o.put("cause", r.cause().name().toLowerCase(Locale.ROOT));
        if (r.hasReasonCode()) {
            o.put("reason_code", r.reasonCode());
        }
        o.put("message", r.message());
        return o;
    }

    /** As EMQX writes sizes: {@code 256MB}, {@code 64KB}, else bytes ({@code 1000B}). */
    static String bytes(long n) {
        if (n > 0 && n % (1L << 30) == 0) {
            return n / (1L << 30) + "GB";
        }
        if (n > 0 && n % (1L << 20) == 0) {
            return n / (1L << 20) + "MB";
        }
        if (n > 0 && n % (1L << 10) == 0) {
            return n / (1L << 10) + "KB";
        }
        return n + "B";
    }

    /** As EMQX writes durations: {@code 15s}, or {@code 500ms} when not whole seconds. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
