package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.clink.api.link.LinkStatus;
import io.clink.core.ClusterLink;
import io.clink.core.LinkMeters;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API of a running linked pair (the demo's two clusters on free ports), read with the JDK's HTTP
 * client: EMQX's paths and shapes, 404 and 405 answers, bounded server threads, and the server gone after close.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagementApiIT {

    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dir;

    @AutoClose
    private final OpenBrokers open = new OpenBrokers();

    @Test
    void api_linkedPair_reportsLinksStatusAndMetricsInEmqxShapes() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker us = open.start(Demo.config("us", Demo.usEast(p)).withDataDir(dir.resolve("us")));
        // A 5-message client queue on eu-west, for the delivery-drop check at the end.
        EmbeddedClusterBroker eu =
                open.start(Demo.config("eu", Demo.euWest(p, List.of("#")) + "\nmqtt.max_mqueue_len = 5\n")
                        .withDataDir(dir.resolve("eu")));
        ClusterLink usLink = us.link().orElseThrow();
        await(
                "both links are up",
                () -> healthy(usLink, EU) && healthy(eu.link().orElseThrow(), US));
        ApiClient api = new ApiClient("http://127.0.0.1:" + p.usApi() + "/api/v5");
        assertThat(us.managementUrl()).hasValue(api.base());

        HttpResponse<String> listed = api.get("/cluster/links");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode list = ApiClient.JSON.readTree(listed.body());
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(1);
        JsonNode link = list.get(0);
        assertThat(link.get("name").asText()).isEqualTo(EU);
        assertThat(link.get("enable").asBoolean()).isTrue();
        assertThat(link.get("server").asText()).isEqualTo("127.0.0.1:" + p.euLink());
        assertThat(link.get("clientid").asText()).isEqualTo("clink-us-east");
        assertThat(link.get("topics").get(0).asText()).isEqualTo("#");
        assertThat(link.get("pool_size").asInt()).isEqualTo(8);
        assertThat(link.get("resource_opts").get("max_buffer_bytes").asText()).isEqualTo("256MB");
        assertThat(link.has("password")).isFalse();
        assertThat(link.get("status").asText()).isEqualTo("connected");
        assertThat(link.get("node_status").get(0).get("node").asText()).isEqualTo(usLink.nodeName());
        assertThat(link.get("node_status").get(0).get("status").asText()).isEqualTo("connected");
        assertThat(link.get("clink").get("healthy").asBoolean()).isTrue();
        assertThat(link.get("clink").get("actors").get(0).get("state").asText()).isEqualTo("online");

        // Prometheus: every link meter with its labels before traffic, for the values to move from.
        Map<String, String> labels = Map.of("cluster", US, "node", usLink.nodeName(), "link", EU);
        PrometheusScrape before = PrometheusScrape.fetch(api.http(), api.base());
        assertPrometheusMeters(before, labels);
        assertThat(before.value("clink_route_actor_state", with(labels, "state", "online")))
                .hasValue(1.0);
        assertThat(before.value("clink_link_enabled", labels)).hasValue(1.0);
        assertThat(before.value("clink_forwarding_connected", labels)).hasValue(1.0);
        assertThat(before.find("jvm_memory_used_bytes", Map.of("cluster", US, "node", usLink.nodeName())))
                .as("JVM meters, tagged with cluster and node")
                .isNotEmpty();
        assertThat(before.find("jvm_threads_live_threads", Map.of())).isNotEmpty();

        JsonNode one = api.json("/cluster/links/link/" + EU);
        assertThat(one.get("name").asText()).isEqualTo(EU);
        assertThat(one.get("status").asText()).isEqualTo("connected");

        // Traffic us-east -> eu-west, then the counters say so.
        MqttTestClient euSub = open.client(eu, "eu-sub");
        MqttTestClient usPub = open.client(us, "us-pub");
        euSub.subscribe("linked/#", 1);
        publishUntilReceived(usPub, "linked/1", "Hello from US!", euSub);
        // The subscriber may get the message before us-east has eu-west's acknowledgement, which is what counts.
        await(
                "us-east counts an acknowledged forward",
                () -> usLink.metrics(EU).orElseThrow().forwarded() >= 1);
        JsonNode metrics = api.json("/cluster/links/link/" + EU + "/metrics");
        long engineForwarded = usLink.metrics(EU).orElseThrow().forwarded();
        JsonNode fwd = metrics.get("metrics").get("forwarding");
        assertThat(fwd.get("success").asLong()).isBetween(1L, engineForwarded);
        assertThat(fwd.get("matched").asLong())
                .isGreaterThanOrEqualTo(fwd.get("success").asLong());
        assertThat(fwd.get("failed").asLong()).isZero();
        assertThat(metrics.get("metrics").get("router").get("routes").asLong())
                .as("eu-west's linked/# replicated into us-east")
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.get("metrics").get("clink").get("routes_sent").asLong())
                .isGreaterThanOrEqualTo(0);
        assertThat(metrics.get("metrics").get("clink").get("routes_skipped").asLong())
                .isZero();
        JsonNode routes = api.json("/cluster/links/link/" + EU + "/routes");
        assertThat(routes.get("routes")).as("eu-west's routes listed").anySatisfy(r -> {
            assertThat(r.get("filter").asText()).isEqualTo("linked/#");
            assertThat(r.get("route_id").asText()).isEqualTo("linked/#");
        });
        assertThat(metrics.get("node_metrics").get(0).get("node").asText()).isEqualTo(usLink.nodeName());
        assertThat(fwd.has("rate") && fwd.has("rate_last5m") && fwd.has("rate_max"))
                .as("EMQX's rate fields")
                .isTrue();

        // Prometheus after traffic: the forwarding counters moved, the text format is served by default.
        PrometheusScrape after = PrometheusScrape.fetch(api.http(), api.base());
        assertPrometheusMeters(after, labels);
        assertThat(after.value("clink_forwarding_success_total", labels).orElseThrow())
                .isGreaterThan(
                        before.value("clink_forwarding_success_total", labels).orElseThrow())
                .isLessThanOrEqualTo(usLink.metrics(EU).orElseThrow().forwarded());
        assertThat(after.value("clink_forwarding_matched_total", labels).orElseThrow())
                .isGreaterThan(
                        before.value("clink_forwarding_matched_total", labels).orElseThrow());
        assertThat(after.value("clink_routes", labels).orElseThrow()).isGreaterThanOrEqualTo(1.0);
        HttpResponse<String> text = api.get("/prometheus/stats");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).contains("# TYPE clink_forwarding_success_total counter");
        assertThat(api.send("POST", "/prometheus/stats").statusCode()).isEqualTo(405);
        // The other side counts what it received.
        JsonNode euMetrics = new ApiClient("http://127.0.0.1:" + p.euApi() + "/api/v5")
                .json("/cluster/links/link/" + US + "/metrics");
        assertThat(euMetrics
                        .get("metrics")
                        .get("clink")
                        .get("messages_received")
                        .asLong())
                .isGreaterThanOrEqualTo(1);

        assertDeliveryDrops(p, api, usPub, eu);
    }

    /**
     * {@code delivery.dropped}, a node figure: the {@code $LINK} publishes each node consumed are not drops; a
     * subscriber on eu-west that never acknowledges, with a Receive Maximum of 1 and the 5-message queue, loses the
     * oldest 15 of a 20-message burst forwarded from us-east, and exactly those are counted.
     */
    private void assertDeliveryDrops(Demo.Ports p, ApiClient usApi, MqttTestClient usPub, EmbeddedClusterBroker eu)
            throws Exception {
        ApiClient euApi = new ApiClient("http://127.0.0.1:" + p.euApi() + "/api/v5");
        String euNode = eu.link().orElseThrow().nodeName();
        JsonNode euNodes = euApi.json("/metrics");
        assertThat(euNodes.get(0).get("node").asText()).isEqualTo(euNode);
        assertThat(euNodes.get(0).get("delivery.dropped").asLong())
                .as("link traffic so far (handshakes, routes, heartbeats, forwards) is consumed, not dropped")
                .isZero();
        assertThat(usApi.json("/metrics").get(0).get("delivery.dropped").asLong())
                .isZero();
        assertThat(euApi.json("/metrics?aggregate=true").has("node")).isFalse();
        assertThat(euApi.send("POST", "/metrics").statusCode()).isEqualTo(405);

        MqttConnectionOptions one = MqttTestClient.defaultOptions();
        one.setReceiveMaximum(1);
        MqttTestClient slow = open.closeLater(MqttTestClient.connect(
                "tcp://127.0.0.1:" + p.euMqtt(), "eu-slow", one, MqttTestClient.DEFAULT_TIMEOUT));
        slow.paho().setManualAcks(true);
        slow.subscribe("drop/burst", 1);
        // Subscribed after the burst's filter, so once a probe arrives the burst's route has replicated too.
        MqttTestClient marker = open.client(eu, "eu-marker");
        marker.subscribe("drop/marker", 1);
        publishUntilReceived(usPub, "drop/marker", "probe", marker);
        for (int i = 0; i < 20; i++) {
            usPub.publish("drop/burst", "m" + i, 1);
        }
        // One publisher, one link connection, in order: when the marker arrives the burst has been handed over.
        usPub.publish("drop/marker", "after", 1);
        await(
                "the marker after the burst arrives",
                () -> marker.received().stream().anyMatch(r -> r.payload().equals("after")));

        // HiveMQ's queue of 5 holds the unacknowledged message in flight too: 5 kept, drop_oldest discards 15.
        Await.until(
                "eu-west counts the drops",
                Duration.ofMillis(WAIT_MS),
                () -> dropped(euApi) == 15,
                () -> "delivery.dropped = " + dropped(euApi) + ", slow subscriber got "
                        + slow.received().size());
        assertThat(dropped(euApi)).isEqualTo(15);
        assertThat(dropped(usApi)).isZero();
        Map<String, String> node = Map.of("cluster", EU, "node", euNode);
        assertThat(PrometheusScrape.fetch(euApi.http(), euApi.base()).value("clink_delivery_dropped_total", node))
                .hasValue(15.0);
    }

    private static long dropped(ApiClient api) {
        try {
            return api.json("/metrics").get(0).get("delivery.dropped").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void api_unknownLinkPathOrMethod_answers404Or405WithEmqxErrorBody() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker us = open.start(Demo.config("us", Demo.usEast(p)).withDataDir(dir.resolve("us")));
        ApiClient api = new ApiClient(us.managementUrl().orElseThrow());

        for (String path : List.of(
                "/cluster/links/link/nope", "/cluster/links/link/nope/metrics", "/cluster/links/link/nope/routes")) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(ApiClient.JSON.readTree(r.body()))
                    .as(path)
                    .isEqualTo(
                            ApiClient.JSON.readTree("{\"code\":\"NOT_FOUND\",\"message\":\"Cluster link not found\"}"));
        }
        for (String path : List.of("/status", "/cluster/links/link/", "/cluster/links/link/a/b", "/cluster/links/x")) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(ApiClient.JSON.readTree(r.body()).get("code").asText())
                    .as(path)
                    .isEqualTo("NOT_FOUND");
        }
        for (String[] m : new String[][] {
            {"POST", "/cluster/links"},
            {"DELETE", "/cluster/links/link/" + "cluster-eu-west"},
            {"PUT", "/cluster/links/link/cluster-eu-west"},
            {"PUT", "/cluster/links/link/x/metrics"}
        }) {
            HttpResponse<String> r = api.send(m[0], m[1]);
            assertThat(r.statusCode()).as(m[0] + " " + m[1]).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET");
            assertThat(ApiClient.JSON.readTree(r.body()).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        }
    }

    @Test
    void api_manyConcurrentRequests_servedByTwoThreadsAndGoneAfterClose() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker us = open.start(Demo.config("us", Demo.usEast(p)).withDataDir(dir.resolve("us")));
        ApiClient api = new ApiClient(us.managementUrl().orElseThrow());
        String prefix = "clink-mgmt-" + US + "-";

        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(api.http()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(api.base() + "/cluster/links"))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(threads(prefix)).isBetween(1L, 2L);

        us.close();

        assertThatThrownBy(() -> api.get("/cluster/links")).isInstanceOf(ConnectException.class);
        await("the API's threads end", () -> threads(prefix) == 0);
        assertThat(us.link()).isEmpty();
    }

    @Test
    void api_disabled_noServer() throws Exception {
        Demo.Ports p = TestPorts.demo();
        String text = Demo.usEast(p) + "\nmanagement.enable = false\n";
        EmbeddedClusterBroker us = open.start(Demo.config("us", text).withDataDir(dir.resolve("us")));

        assertThat(us.managementUrl()).isEmpty();
        assertThatThrownBy(() -> new ApiClient("http://127.0.0.1:" + p.usApi() + "/api/v5").get("/cluster/links"))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void api_boundToAllInterfaces_servesAndWarns() throws Exception {
        Demo.Ports p = TestPorts.demo();
        String text = Demo.usEast(p) + "\nmanagement.bind = \"0.0.0.0:" + p.usApi() + "\"\n";
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EmbeddedClusterBroker.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            EmbeddedClusterBroker us = open.start(Demo.config("open.conf", text).withDataDir(dir.resolve("us")));

            assertThat(new ApiClient("http://127.0.0.1:" + p.usApi() + "/api/v5").json("/cluster/links"))
                    .hasSize(1);
            assertThat(seen.list)
                    .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                            && e.getFormattedMessage()
                                    .startsWith("open.conf: management.bind = \"0.0.0.0:" + p.usApi()
                                            + "\" is not a loopback address"));
        } finally {
            log.detachAppender(seen);
        }
    }

    @Test
    void start_managementPortTaken_refusedNamingTheSetting() throws Exception {
        Demo.Ports p = TestPorts.demo();
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(p.usApi(), 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() ->
                            open.start(Demo.config("us.conf", Demo.usEast(p)).withDataDir(dir.resolve("us"))))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageStartingWith(
                            "us.conf: management.bind = \"127.0.0.1:" + p.usApi() + "\": cannot listen");
        }
    }

    // ---- helpers ----

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .count();
    }

    private static void assertPrometheusMeters(PrometheusScrape scrape, Map<String, String> labels) {
        for (LinkMeters.Meter m : LinkMeters.all()) {
            String name = PrometheusScrape.prometheusName(m);
            Map<String, String> want = new HashMap<>(labels);
            want.putAll(m.tags());
            assertThat(scrape.value(name, want)).as(name + " " + want).isPresent();
            assertThat(scrape.type(name))
                    .as(name)
                    .isEqualTo(
                            m.type() == LinkMeters.Type.COUNTER
                                    ? Metrics.MetricType.COUNTER
                                    : Metrics.MetricType.GAUGE);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new HashMap<>(labels);
        out.put(key, value);
        return out;
    }

    private static boolean healthy(ClusterLink link, String name) {
        return link.status(name).map(LinkStatus::isHealthy).orElse(false);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(WAIT_MS), condition);
    }

    private static void publishUntilReceived(MqttTestClient pub, String topic, String payload, MqttTestClient sub)
            throws Exception {
        pub.publishUntilReceived(topic, payload, sub, Duration.ofMillis(500));
    }
}
