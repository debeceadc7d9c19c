package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.core.LinkRate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DisconnectReason REFUSED =
            new DisconnectReason(Cause.CONNECT_REFUSED, 0x86, "Bad user name or password");

    private static LinkConfig link(String password) {
        return LinkConfig.builder()
                .name("cluster-eu-west")
                .server("eu.example.net:11883")
                .clientId("clink-us-east")
                .username("clink-us")
                .password(password)
                .topics(List.of("t/#", "a/b"))
                .build();
    }

    private static ClusterLinkConfig cluster(LinkConfig link) {
        return ClusterLinkConfig.builder().name("cluster-us-east").link(link).build();
    }

    /** Serialises and parses back: what a client of the API reads. */
    private static JsonNode wire(JsonNode node) throws Exception {
        return JSON.readTree(JSON.writeValueAsBytes(node));
    }

    @Test
    void link_refusedConnection_disconnectedWithTheRefusalAsReason() throws Exception {
        LinkConfig l = link("s3cret");
        ActorStatus actor = new ActorStatus(
                "clink@h",
                1_700_000_000_000L,
                ActorState.DISCONNECTED,
                1_700_000_001_000L,
                REFUSED,
                "connection_failed: bad user name or password");
        LinkStatus status = new LinkStatus(
                "cluster-eu-west", true, List.of(actor), ForwardingStatus.DISCONNECTED, REFUSED, 1_700_000_000_500L);

        JsonNode j = wire(LinkJson.link(cluster(l), l, status, "clink@h"));

        assertThat(j.get("name").asText()).isEqualTo("cluster-eu-west");
        assertThat(j.get("server").asText()).isEqualTo("eu.example.net:11883");
        assertThat(j.get("clientid").asText()).isEqualTo("clink-us-east");
        assertThat(j.get("username").asText()).isEqualTo("clink-us");
        assertThat(j.get("password").asText()).isEqualTo("******");
        assertThat(j.toString()).doesNotContain("s3cret");
        assertThat(j.get("topics")).hasSize(2);
        assertThat(j.get("topics").get(0).asText()).isEqualTo("t/#");
        assertThat(j.get("status").asText()).isEqualTo("disconnected");
        assertThat(j.get("node_status")).hasSize(1);
        assertThat(j.get("node_status").get(0).get("node").asText()).isEqualTo("clink@h");
        assertThat(j.get("node_status").get(0).get("status").asText()).isEqualTo("disconnected");
        assertThat(j.get("node_status").get(0).get("reason").asText())
                .isEqualTo("connect_refused (reason code 0x86): Bad user name or password");
        JsonNode fwd = j.get("clink").get("forwarding");
        assertThat(fwd.get("last_disconnect").get("cause").asText()).isEqualTo("connect_refused");
        assertThat(fwd.get("last_disconnect").get("reason_code").asInt()).isEqualTo(0x86);
        assertThat(fwd.get("since").asText()).isEqualTo("2023-11-14T22:13:20.500Z");
        JsonNode a = j.get("clink").get("actors").get(0);
        assertThat(a.get("state").asText()).isEqualTo("disconnected");
        assertThat(a.get("incarnation").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(a.get("last_error").asText()).isEqualTo("connection_failed: bad user name or password");
        assertThat(j.get("clink").get("healthy").asBoolean()).isFalse();
        JsonNode reconnect = j.get("clink").get("reconnect");
        assertThat(reconnect.get("initial_delay").asText()).isEqualTo("1s");
        assertThat(reconnect.get("max_delay").asText()).isEqualTo("10s");
        assertThat(reconnect.get("jitter").asDouble()).isEqualTo(0.25);
    }

    @Test
    void link_severalEndpoints_echoesServerAndShowsEndpointsInUse() throws Exception {
        LinkConfig l = LinkConfig.builder()
                .name("cluster-eu-west")
                .server("a.example:1, b.example:2")
                .topics(List.of("t/#"))
                .build();
        ActorStatus online =
                new ActorStatus("clink@h", 5, ActorState.ONLINE, 6, null, null).withEndpoint("b.example:2");
        ActorStatus down = new ActorStatus("clink@h2", 5, ActorState.DISCONNECTED, 6, REFUSED, null);
        LinkStatus status = new LinkStatus(
                "cluster-eu-west",
                true,
                List.of(online, down),
                ForwardingStatus.CONNECTED,
                null,
                7,
                List.of("b.example:2"));

        JsonNode j = wire(LinkJson.link(cluster(l), l, status, "n"));

        assertThat(j.get("server").asText()).isEqualTo("a.example:1,b.example:2");
        assertThat(j.get("clink").get("actors").get(0).get("endpoint").asText()).isEqualTo("b.example:2");
        assertThat(j.get("clink").get("actors").get(1).get("endpoint").isNull()).isTrue();
        assertThat(j.get("clink").get("forwarding").get("endpoints").get(0).asText())
                .isEqualTo("b.example:2");
    }

    @Test
    void link_singleEndpoint_echoesServerAsBefore() throws Exception {
        LinkConfig l = link("p");
        JsonNode j = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("cluster-eu-west", 1), "n"));

        assertThat(j.get("server").asText()).isEqualTo("eu.example.net:11883");
        assertThat(j.get("clink").get("forwarding").get("endpoints")).isEmpty();
    }

    @Test
    void link_connected_noReasonEvenWithAnOldDisconnect() throws Exception {
        LinkConfig l = link("p");
        ActorStatus actor = new ActorStatus("clink@h", 5, ActorState.ONLINE, 6, REFUSED, null);
        LinkStatus status =
                new LinkStatus("cluster-eu-west", true, List.of(actor), ForwardingStatus.CONNECTED, REFUSED, 7);

        JsonNode j = wire(LinkJson.link(cluster(l), l, status, "n"));

        assertThat(j.get("status").asText()).isEqualTo("connected");
        assertThat(j.get("node_status").get(0).has("reason")).isFalse();
        assertThat(j.get("clink").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void link_disabled_disconnectedWithoutActors() throws Exception {
        LinkConfig l = link("p").toBuilder().enable(false).build();

        JsonNode j = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("cluster-eu-west", 0), "n"));

        assertThat(j.get("enable").asBoolean()).isFalse();
        assertThat(j.get("status").asText()).isEqualTo("disconnected");
        assertThat(j.get("node_status").get(0).has("reason")).isFalse();
        assertThat(j.get("clink").get("actors")).isEmpty();
    }

    @Test
    void link_noPassword_noPasswordField() throws Exception {
        LinkConfig l =
                LinkConfig.builder().name("b").server("h").topics(List.of()).build();

        JsonNode j = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("b", 0), "n"));

        assertThat(j.has("password")).isFalse();
        assertThat(j.has("username")).isFalse();
        assertThat(j.get("ssl").get("enable").asBoolean()).isFalse();
    }

    @Test
    void link_textNeedingEscapes_survivesTheRoundTrip() throws Exception {
        String nasty = "u\"s\\e\nr\u0001é";
        LinkConfig l = link("p").toBuilder().username(nasty).build();

        JsonNode j = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("cluster-eu-west", 0), "n\"ode"));

        assertThat(j.get("username").asText()).isEqualTo(nasty);
        assertThat(j.get("node_status").get(0).get("node").asText()).isEqualTo("n\"ode");
    }

    @Test
    void metrics_emqxNamesAndClinkExtras() throws Exception {
        LinkMetrics m = LinkMetrics.builder()
                .routesSent(1)
                .routesReceived(2)
                .routesSkipped(12)
                .remoteRoutes(3)
                .forwarded(4)
                .received(5)
                .filtered(6)
                .dropped(7)
                .failed(8)
                .retried(9)
                .bufferedMessages(10)
                .bufferedBytes(11)
                .fieldsDropped(12)
                .rejected(13)
                .protocolErrors(14)
                .brokerErrors(15)
                .reconnects(16)
                .inflightMessages(2)
                .build();

        JsonNode j = wire(LinkJson.metrics(m, new LinkRate(1.234, 9.999, 0.5), "clink@h"));

        JsonNode body = j.get("metrics");
        assertThat(body.get("router").get("routes").asLong()).isEqualTo(3);
        JsonNode fwd = body.get("forwarding");
        assertThat(fwd.get("matched").asLong()).isEqualTo(m.matched()).isEqualTo(4 + 8 + 7 + 10);
        assertThat(fwd.get("success").asLong()).isEqualTo(4);
        assertThat(fwd.get("failed").asLong()).isEqualTo(8);
        assertThat(fwd.get("dropped").asLong()).isEqualTo(7);
        assertThat(fwd.get("retried").asLong()).isEqualTo(9);
        assertThat(fwd.get("queuing").asLong()).isEqualTo(10);
        assertThat(fwd.get("inflight").asLong()).isEqualTo(2);
        assertThat(fwd.get("rate").asDouble()).as("rounded to two decimals").isEqualTo(1.23);
        assertThat(fwd.get("rate_max").asDouble()).isEqualTo(10.0);
        assertThat(fwd.get("rate_last5m").asDouble()).isEqualTo(0.5);
        JsonNode clink = body.get("clink");
        assertThat(clink.get("routes_sent").asLong()).isEqualTo(1);
        assertThat(clink.get("routes_received").asLong()).isEqualTo(2);
        assertThat(clink.get("routes_skipped").asLong()).isEqualTo(12);
        assertThat(clink.get("messages_received").asLong()).isEqualTo(5);
        assertThat(clink.get("messages_filtered").asLong()).isEqualTo(6);
        assertThat(clink.get("queuing_bytes").asLong()).isEqualTo(11);
        assertThat(clink.get("fields_dropped").asLong()).isEqualTo(12);
        assertThat(clink.get("messages_rejected").asLong()).isEqualTo(13);
        assertThat(clink.get("protocol_errors").asLong()).isEqualTo(14);
        assertThat(clink.get("broker_errors").asLong()).isEqualTo(15);
        assertThat(clink.get("reconnects").asLong()).isEqualTo(16);
        assertThat(j.get("node_metrics")).hasSize(1);
        assertThat(j.get("node_metrics").get(0).get("node").asText()).isEqualTo("clink@h");
        assertThat(j.get("node_metrics").get(0).get("metrics")).isEqualTo(body);
    }

    @Test
    void routes_escapedIdsSortedAndCapped() throws Exception {
        Set<RemoteRoute> routes = new HashSet<>();
        routes.add(new RemoteRoute("dev/#", "$p/caf\\xE9/dev/#"));
        routes.add(new RemoteRoute("a/b", "a/b"));
        routes.add(new RemoteRoute("a/b", "$s/g/a/b"));

        JsonNode j = wire(LinkJson.routes(routes));

        assertThat(j.get("count").asInt()).isEqualTo(3);
        assertThat(j.get("truncated").asBoolean()).isFalse();
        assertThat(j.get("routes")).hasSize(3);
        assertThat(j.get("routes").get(0).get("filter").asText()).isEqualTo("a/b");
        assertThat(j.get("routes").get(0).get("route_id").asText()).isEqualTo("$s/g/a/b");
        assertThat(j.get("routes").get(2).get("route_id").asText()).isEqualTo("$p/caf\\xE9/dev/#");

        for (int i = 0; routes.size() <= LinkJson.MAX_LISTED_ROUTES; i++) {
            routes.add(new RemoteRoute("many/" + i, "many/" + i));
        }
        JsonNode capped = wire(LinkJson.routes(routes));
        assertThat(capped.get("count").asInt()).isEqualTo(LinkJson.MAX_LISTED_ROUTES + 1);
        assertThat(capped.get("truncated").asBoolean()).isTrue();
        assertThat(capped.get("routes")).hasSize(LinkJson.MAX_LISTED_ROUTES);
    }

    @Test
    void error_emqxShape() throws Exception {
        JsonNode j = wire(LinkJson.error("NOT_FOUND", "Cluster link not found"));

        assertThat(j.toString()).isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"Cluster link not found\"}");
    }

    @Test
    void link_resourceOptions_defaultsFilledAsEmqxWritesThem() throws Exception {
        LinkConfig l = link("p");

        JsonNode r = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("cluster-eu-west", 0), "n"))
                .get("resource_opts");

        assertThat(r.get("dispatch_strategy").asText()).isEqualTo("per_clientid");
        assertThat(r.get("request_ttl").asText()).isEqualTo("45s");
        assertThat(r.get("inflight_window").asInt()).isEqualTo(100);
        assertThat(r.get("max_buffer_bytes").asText()).isEqualTo("256MB");
    }

    @Test
    void link_ignoredOptions_absentFromEcho() throws Exception {
        LinkConfig l = link("p");

        JsonNode j = wire(LinkJson.link(cluster(l), l, LinkStatus.disabled("cluster-eu-west", 0), "n"));

        // Accepted from EMQX configurations and ignored with a warning (LinkSectionReader): never shown as if set.
        assertThat(j.has("retry_interval")).isFalse();
        assertThat(j.get("resource_opts").has("worker_pool_size")).isFalse();
        assertThat(j.get("resource_opts").has("health_check_interval")).isFalse();
        assertThat(j.get("resource_opts").has("start_timeout")).isFalse();
        assertThat(j.get("pool_size").asInt()).isEqualTo(8);
        assertThat(j.get("max_inflight").asInt()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource({"268435456, 256MB", "1073741824, 1GB", "65536, 64KB", "1000, 1000B", "1, 1B", "1049600, 1025KB"})
    void bytes_asEmqxWritesThem(long n, String text) {
        assertThat(LinkJson.bytes(n)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"PT15S, 15s", "PT0.5S, 500ms", "PT2M, 120s", "PT0S, 0s"})
    void duration_asEmqxWritesIt(Duration d, String text) {
        assertThat(LinkJson.duration(d)).isEqualTo(text);
    }
}
