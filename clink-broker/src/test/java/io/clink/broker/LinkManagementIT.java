package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.core.ClusterLink;
import io.clink.core.config.ConfigLoadException;
import io.clink.hivemq.HiveMqEngineStarters;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.net.FaultProxy;
import io.clink.testkit.net.FreePorts;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write half of the management API against two running brokers started from files, over real HTTP: EMQX's CRUD
 * sequence with forwarding checked at each step, the kept password, concurrent deletes, bad bodies, API keys, metrics
 * reset, and the override file surviving a restart. cluster-us-east starts with no link (EMQX's test starts with an
 * empty list); cluster-eu-west's file links it to cluster-us-east with topics ["#"]. The tests share the brokers and
 * run in order, each leaving us-east as it found it except where the order says otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkManagementIT {

    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    private static final String ADMIN = "ops:ops-secret-1";
    private static final String VIEWER = "ro:ro-secret-2";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private final OpenBrokers open = new OpenBrokers();
    private Demo.Ports p;
    private Path usConf;
    private EmbeddedClusterBroker us;
    private EmbeddedClusterBroker eu;
    private ApiClient usApi;
    private ApiClient euApi;

    @BeforeAll
    void startBrokers() throws Exception {
        p = TestPorts.demo();
        Path keys =
                Files.writeString(dir.resolve("api-keys"), "# test keys\nops:ops-secret-1\nro:ro-secret-2:viewer\n");
        String apiKey = "\napi_key { bootstrap_file = \"" + keys + "\" }\n";
        usConf = Files.writeString(dir.resolve("us.conf"), """
                cluster { name = "cluster-us-east", links = [] }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  tcp.clink { bind = "127.0.0.1:%d" }
                }
                management { bind = "127.0.0.1:%d" }
                """.formatted(p.usMqtt(), p.usLink(), p.usApi()) + apiKey);
        Path euConf = Files.writeString(dir.resolve("eu.conf"), Demo.euWest(p, List.of("#")) + apiKey);
        us = startUs();
        eu = open.start(BrokerConfig.load(euConf).withDataDir(dir.resolve("eu-data")));
        usApi = new ApiClient(us.managementUrl().orElseThrow(), ADMIN);
        euApi = new ApiClient(eu.managementUrl().orElseThrow(), ADMIN);
    }

    private EmbeddedClusterBroker startUs() {
        return open.closeLater(EmbeddedClusterBroker.start(
                BrokerConfig.load(usConf).withDataDir(dir.resolve("us-data")), HiveMqEngineStarters::starter));
    }

    @AfterAll
    void stopBrokers() throws Exception {
        open.close();
    }

    private String euLinkBody(String topics, String extra) {
        return "{\"name\":\"" + EU + "\",\"server\":\"127.0.0.1:" + p.euLink() + "\",\"clientid\":\"clink-us-east\","
                + "\"topics\":" + topics + extra + "}";
    }

    @Test
    @Order(1)
    void crud_emqxSequence_forwardingFollowsEachStep() throws Exception {
        assertThat(usApi.json("/cluster/links")).isEmpty();
        assertThat(usApi.get("/cluster/links/link/" + EU).statusCode()).isEqualTo(404);
        MqttTestClient usSub = open.client(us, "us-sub");
        usSub.subscribe("a/1", 1);
        usSub.subscribe("b/1", 1);
        MqttTestClient euPub = open.client(eu, "eu-pub");

        // Create.
        HttpResponse<String> created =
                usApi.send("POST", "/cluster/links", euLinkBody("[\"a/#\"]", ",\"password\":\"pw-1\""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode link = ApiClient.JSON.readTree(created.body());
        assertThat(link.get("name").asText()).isEqualTo(EU);
        assertThat(link.get("password").asText()).isEqualTo("******");
        assertThat(link.has("status")).isTrue();
        assertThat(link.get("node_status").get(0).get("node").asText()).isEqualTo(usLink().nodeName());
        HttpResponse<String> again = usApi.send("POST", "/cluster/links", euLinkBody("[\"a/#\"]", ""));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(code(again)).isEqualTo("ALREADY_EXISTS");

        // Read; then the link works: eu-west forwards what us-east asked for, and only that.
        await("us-east's link is up", () -> healthy(usLink(), EU));
        assertThat(usApi.json("/cluster/links/link/" + EU).get("topics").get(0).asText())
                .isEqualTo("a/#");
        await("eu-west holds us-east's a/1 route", () -> routes(euLink(), US).contains("a/1"));
        assertThat(routes(euLink(), US)).doesNotContain("b/1");
        euPub.publishUntilReceived("a/1", "first", usSub, Duration.ofMillis(500));

        // Update topics, the password sent back as ******: forwarding follows the new topics, the secret stays.
        HttpResponse<String> updated =
                usApi.send("PUT", "/cluster/links/link/" + EU, euLinkBody("[\"b/#\"]", ",\"password\":\"******\""));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(ApiClient.JSON.readTree(updated.body()).get("topics").get(0).asText())
                .isEqualTo("b/#");
        assertThat(usLink().config().link(EU).orElseThrow().password()).hasValue("pw-1");
        await(
                "eu-west swaps us-east's a/1 route for b/1",
                () -> routes(euLink(), US).contains("b/1")
                        && !routes(euLink(), US).contains("a/1"));
        euPub.publishUntilReceived("b/1", "second", usSub, Duration.ofMillis(500));

        // Metrics reset, on eu-west, whose link forwarded both messages.
        await(
                "eu-west counts its forwards",
                () -> euLink().metrics(US).orElseThrow().forwarded() >= 2);
        assertThat(euApi.as(VIEWER)
                        .send("PUT", "/cluster/links/link/" + US + "/metrics/reset")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> reset = euApi.send("PUT", "/cluster/links/link/" + US + "/metrics/reset");
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(reset.body()).isEmpty();
        JsonNode fwd = euApi.json("/cluster/links/link/" + US + "/metrics")
                .get("metrics")
                .get("forwarding");
        assertThat(fwd.get("success").asLong()).isZero();
        assertThat(fwd.get("matched").asLong()).isZero();
        assertThat(euApi.send("PUT", "/cluster/links/link/nope/metrics/reset").statusCode())
                .isEqualTo(404);

        // Disable: disconnected, and the routes eu-west had replicated into us-east are dropped at once.
        HttpResponse<String> disabled = usApi.send(
                "PUT",
                "/cluster/links/link/" + EU,
                euLinkBody("[\"b/#\"]", ",\"enable\":false,\"password\":\"******\""));
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(ApiClient.JSON.readTree(disabled.body()).get("status").asText())
                .isEqualTo("disconnected");
        assertThat(ApiClient.JSON.readTree(disabled.body()).get("enable").asBoolean())
                .isFalse();
        assertThat(usLink().remoteRoutes(EU)).isEmpty();

        // Enable again: the link comes back and forwards.
        HttpResponse<String> enabled = usApi.send(
                "PUT",
                "/cluster/links/link/" + EU,
                euLinkBody("[\"b/#\"]", ",\"enable\":true,\"password\":\"******\""));
        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        await("us-east's link is up again", () -> healthy(usLink(), EU));
        euPub.publishUntilReceived("b/1", "third", usSub, Duration.ofMillis(500));
        assertThat(usLink().config().link(EU).orElseThrow().password()).hasValue("pw-1");

        // Delete: 204, then 404; eu-west's routes leave us-east and eu-west's actor is refused from now on.
        assertThat(usApi.send("DELETE", "/cluster/links/link/" + EU).statusCode())
                .isEqualTo(204);
        assertThat(usApi.get("/cluster/links/link/" + EU).statusCode()).isEqualTo(404);
        assertThat(usApi.send("DELETE", "/cluster/links/link/" + EU).statusCode())
                .isEqualTo(404);
        assertThat(usApi.json("/cluster/links")).isEmpty();
        assertThat(usLink().remoteRoutes(EU)).isEmpty();
        await("eu-west's link to us-east goes down", () -> !healthy(euLink(), US));
    }

    @Test
    @Order(2)
    void delete_eightAtOnce_exactlyOneSucceeds() throws Exception {
        HttpResponse<String> created = usApi.send(
                "POST", "/cluster/links", "{\"name\":\"cluster-x\",\"server\":\"127.0.0.1:1\",\"topics\":[]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return usApi.send("DELETE", "/cluster/links/link/cluster-x")
                                        .statusCode();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<Integer> f : all) {
                codes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(codes).containsOnly(204, 404);
            assertThat(codes.stream().filter(c -> c == 204).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(usLink().config().links()).isEmpty();
    }

    @Test
    @Order(3)
    void writes_badBodies_answer400NamingTheProblem() throws Exception {
        String bad = "{\"name\":\"cluster-y\",\"server\":\"127.0.0.1:1\",\"topics\":[\"a/#/b\"]}";
        HttpResponse<String> r = usApi.send("POST", "/cluster/links", bad);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(code(r)).isEqualTo("BAD_REQUEST");
        // The configuration file's reader gives the same message for the same link.
        Path file = Files.writeString(
                dir.resolve("bad.conf"), "{\"cluster\":{\"name\":\"" + US + "\",\"links\":[" + bad + "]}}");
        String fileMessage = "";
        try {
            io.clink.core.config.ClusterLinkConfigLoader.load(file);
        } catch (ConfigLoadException e) {
            fileMessage = String.valueOf(e.getMessage());
        }
        assertThat(fileMessage).contains("cluster.links[0].topics = [\"a/#/b\"]");
        assertThat(message(r))
                .startsWith("topics = [\"a/#/b\"]")
                .isEqualTo(
                        fileMessage.substring(fileMessage.indexOf("cluster.links[0].") + "cluster.links[0].".length()));

        assertBad("POST", "/cluster/links", "{\"name\":", "not valid JSON");
        assertBad("POST", "/cluster/links", "[1,2]", "must be a JSON object");
        assertBad("POST", "/cluster/links", "", "empty");
        assertBad("POST", "/cluster/links", "{\"name\":\"a\",\"name\":\"b\"}", "not valid JSON");
        assertBad("POST", "/cluster/links", "{\"server\":\"h:1\",\"topics\":[]}", "name is required");
        assertBad("POST", "/cluster/links", "{\"name\":\"cluster-y\",\"topics\":[]}", "server");
        assertBad(
                "POST",
                "/cluster/links",
                "{\"name\":\"cluster-y\",\"server\":\"h:1\",\"topics\":[],\"colour\":\"red\"}",
                "colour");
        assertBad("POST", "/cluster/links", "{\"name\":\"" + US + "\",\"server\":\"h:1\",\"topics\":[]}", US);
        String huge = "{\"name\":\"cluster-y\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertBad("POST", "/cluster/links", huge, "larger than 65536 bytes");
        assertThat(usApi.send("PUT", "/cluster/links/link/nope", "{\"server\":\"h:1\",\"topics\":[]}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(usLink().config().links()).as("nothing was created").isEmpty();
    }

    @Test
    @Order(4)
    void auth_missingWrongOrViewerCredentials_401Or403() throws Exception {
        HttpResponse<String> none = usApi.as(null).get("/cluster/links");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(code(none)).isEqualTo("BAD_API_KEY_OR_SECRET");
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(usApi.as("ops:wrong").get("/cluster/links").statusCode()).isEqualTo(401);
        assertThat(usApi.as(null).get("/prometheus/stats").statusCode())
                .as("the scrape endpoint needs no key, as EMQX's by default")
                .isEqualTo(200);
        assertThat(usApi.as("nobody:ops-secret-1").get("/cluster/links").statusCode())
                .isEqualTo(401);
        assertThat(usApi.as(null)
                        .send("POST", "/cluster/links", "{\"name\":\"z\",\"server\":\"h:1\",\"topics\":[]}")
                        .statusCode())
                .isEqualTo(401);

        ApiClient viewer = usApi.as(VIEWER);
        assertThat(viewer.get("/cluster/links").statusCode()).isEqualTo(200);
        HttpResponse<String> write =
                viewer.send("POST", "/cluster/links", "{\"name\":\"z\",\"server\":\"h:1\",\"topics\":[]}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(code(write)).isEqualTo("UNAUTHORIZED_ROLE");
        assertThat(viewer.send("DELETE", "/cluster/links/link/z").statusCode()).isEqualTo(403);
        assertThat(usLink().config().links()).isEmpty();
    }

    @Test
    @Order(5)
    void override_restart_keepsTheApiWrittenLinks() throws Exception {
        HttpResponse<String> created = usApi.send(
                "POST",
                "/cluster/links",
                "{\"name\":\"cluster-p\",\"server\":\"127.0.0.1:1\",\"topics\":[\"p/#\"],\"password\":\"pw-p\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Path override = dir.resolve("us.override.json");
        assertThat(override).exists();
        assertThat(Files.getPosixFilePermissions(override)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        open.close(us);
        us = startUs();

        assertThat(usLink().config().links()).extracting(l -> l.name()).containsExactly("cluster-p");
        assertThat(usLink().config().link("cluster-p").orElseThrow().password()).hasValue("pw-p");
        assertThat(usApi.json("/cluster/links/link/cluster-p")
                        .get("topics")
                        .get(0)
                        .asText())
                .isEqualTo("p/#");
        assertThat(usApi.send("DELETE", "/cluster/links/link/cluster-p").statusCode())
                .isEqualTo(204);

        open.close(us);
        us = startUs();
        assertThat(usLink().config().links()).isEmpty();
    }

    @Test
    @Order(6)
    void failover_firstEndpointDownThenEndpointInUseStops_linkMovesAndApiShowsEndpoint() throws Exception {
        // Two endpoints on loopback, both proxies to eu-west's link listener: A is closed at first, B is up.
        InetSocketAddress euListener = new InetSocketAddress("127.0.0.1", p.euLink());
        int portA = FreePorts.one();
        FaultProxy b = FaultProxy.start(euListener);
        FaultProxy a = null;
        try {
            String endpointA = "127.0.0.1:" + portA;
            String endpointB = "127.0.0.1:" + b.port();
            HttpResponse<String> created = usApi.send(
                    "POST",
                    "/cluster/links",
                    "{\"name\":\"" + EU + "\",\"server\":\"" + endpointA + ", " + endpointB
                            + "\",\"clientid\":\"clink-us-east\",\"topics\":[\"f/#\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(ApiClient.JSON.readTree(created.body()).get("server").asText())
                    .isEqualTo(endpointA + "," + endpointB);

            await("us-east's link comes up on B", () -> onEndpoint(endpointB));
            assertThat(usLink().status(EU).orElseThrow().actors().get(0).endpoint())
                    .isEqualTo(endpointB);

            a = FaultProxy.start(euListener, portA, FaultProxy.DEFAULT_MAX_CONNECTIONS);
            b.close();
            await("us-east's link moves to A", () -> onEndpoint(endpointA));
            assertThat(usLink().status(EU).orElseThrow().forwardingEndpoints()).containsExactly(endpointA);
        } finally {
            b.close();
            if (a != null) {
                a.close();
            }
            usApi.send("DELETE", "/cluster/links/link/" + EU);
        }
    }

    /** Whether the API shows us-east's link to eu-west connected, its actor and whole pool on {@code endpoint}. */
    private boolean onEndpoint(String endpoint) {
        try {
            JsonNode j = usApi.json("/cluster/links/link/" + EU);
            JsonNode clink = j.get("clink");
            JsonNode pool = clink.get("forwarding").get("endpoints");
            return j.get("status").asText().equals("connected")
                    && endpoint.equals(
                            clink.get("actors").get(0).get("endpoint").asText(null))
                    && pool.size() == 1
                    && pool.get(0).asText().equals(endpoint);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ----

    private void assertBad(String method, String path, String body, String expected) throws Exception {
        HttpResponse<String> r = usApi.send(method, path, body);
        assertThat(r.statusCode())
                .as(method + " " + path + " " + abbreviated(body) + ": " + r.body())
                .isEqualTo(400);
        assertThat(code(r)).isEqualTo("BAD_REQUEST");
        assertThat(message(r)).as(abbreviated(body)).contains(expected);
    }

    private static String abbreviated(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private ClusterLink usLink() {
        return us.link().orElseThrow();
    }

    private ClusterLink euLink() {
        return eu.link().orElseThrow();
    }

    private static Set<String> routes(ClusterLink link, String name) {
        return link.remoteRoutes(name).stream().map(RemoteRoute::filter).collect(Collectors.toSet());
    }

    private static boolean healthy(ClusterLink link, String name) {
        return link.status(name).map(LinkStatus::isHealthy).orElse(false);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return ApiClient.JSON.readTree(r.body()).get("code").asText();
    }

    private static String message(HttpResponse<String> r) throws Exception {
        return ApiClient.JSON.readTree(r.body()).get("message").asText();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, WAIT, condition);
    }
}
