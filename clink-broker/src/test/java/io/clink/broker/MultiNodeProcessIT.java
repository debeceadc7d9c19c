package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two regions of two {@code clink-broker} Artemis nodes each, four JVM processes on loopback, as
 * {@code examples/multi-node/} runs them (Artemis clustering and the Hazelcast route store inside each region, every
 * link's {@code server} listing both nodes of the other region).
 *
 * <p>Short form (every build): one copy of a publish on either eu-west node reaches a subscriber on us-east-2; a
 * route added on either us-east node reaches both eu-west nodes (the time is printed); {@code kill -9} of us-east-1,
 * the node holding the other region's inbound link connections: the links fail over to us-east-2 and every one of
 * 100 QoS 1 messages published on eu-west afterwards reaches us-east-2's subscriber. With {@code -Psoak} also: the
 * dead node's route expires on both eu-west nodes after the actor TTL, and us-east-1 restarted rejoins with a greater
 * incarnation and its routes come back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MultiNodeProcessIT {

    private static final boolean SOAK = Boolean.getBoolean("clink.soak");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    private static final String[] NAMES = {"us-east-1", "us-east-2", "eu-west-1", "eu-west-2"};

    private final List<Process> processes = new ArrayList<>();
    private final List<MqttTestClient> clients = new ArrayList<>();
    private final ClinkBrokerJarIT.Running[] nodes = new ClinkBrokerJarIT.Running[4];
    /** Per node: mqtt, link, cluster, store, api. */
    private final int[] ports = FreePorts.pick(20);

    private Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(MqttTestClient::closeQuietly);
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private int port(int node, int which) {
        return ports[5 * node + which];
    }

    private String config(int n) {
        boolean us = n < 2;
        int first = us ? 0 : 2;
        int other = us ? 2 : 0;
        return """
                node {
                  name = "%s@127.0.0.1"
                  cookie = "process-it-cookie-%s-0123456789"
                  cluster_bind = "127.0.0.1:%d"
                  route_store_bind = "127.0.0.1:%d"
                  data_dir = "%s"
                }
                broker { type = artemis }
                cluster {
                  name = "%s"
                  discovery_strategy = static
                  static {
                    seeds = ["%s@127.0.0.1:%d", "%s@127.0.0.1:%d"]
                    route_store_seeds = ["127.0.0.1:%d", "127.0.0.1:%d"]
                  }
                  links = [ { name = "%s", server = "127.0.0.1:%d,127.0.0.1:%d", clientid = "clink-%s",
                              topics = ["#"] } ]
                }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { bind = "127.0.0.1:%d" }
                """.formatted(
                        NAMES[n],
                        us ? "us" : "eu",
                        port(n, 2),
                        port(n, 3),
                        dir.resolve(NAMES[n]).toString().replace("\\", "/"),
                        us ? US : EU,
                        NAMES[first],
                        port(first, 2),
                        NAMES[first + 1],
                        port(first + 1, 2),
                        port(first, 3),
                        port(first + 1, 3),
                        us ? EU : US,
                        port(other, 1),
                        port(other + 1, 1),
                        NAMES[n],
                        port(n, 0),
                        port(n, 1),
                        port(n, 4));
    }

    private ClinkBrokerJarIT.Running start(int n) throws Exception {
        Path conf = dir.resolve(NAMES[n] + ".conf");
        Files.writeString(conf, config(n), StandardCharsets.UTF_8);
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                Path.of("target", "clink-broker.jar").toString(),
                "--config",
                conf.toString());
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        ClinkBrokerJarIT.Running r = new ClinkBrokerJarIT.Running(p);
        nodes[n] = r;
        return r;
    }

    private ApiClient api(int n) {
        return new ApiClient("http://127.0.0.1:" + port(n, 4) + "/api/v5");
    }

    private Set<String> routes(int n, String link) {
        try {
            Set<String> out = new HashSet<>();
            for (JsonNode r :
                    api(n).json("/cluster/links/link/" + link + "/routes").get("routes")) {
                out.add(r.get("filter").asText());
            }
            return out;
        } catch (Exception e) {
            return Set.of();
        }
    }

    private JsonNode actor(int n, String link) throws Exception {
        return api(n).json("/cluster/links/link/" + link)
                .get("clink")
                .get("actors")
                .get(0);
    }

    private boolean onlineVia(int n, String link, int endpointNode) {
        try {
            JsonNode a = actor(n, link);
            return a.get("state").asText().equals("online")
                    && a.get("endpoint").asText().endsWith(":" + port(endpointNode, 1));
        } catch (Exception e) {
            return false;
        }
    }

    private MqttTestClient client(int n, String id) throws Exception {
        MqttTestClient c = MqttTestClient.connect("127.0.0.1", port(n, 0), id);
        clients.add(c);
        return c;
    }

    @Test
    void twoRegionsOfTwoNodes_oneCopyEverywhereRoutesOnBothNodesAndFailoverWithoutLoss() throws Exception {
        dir = Files.createTempDirectory("clink-multi-node-process-it");
        // The first node of each region first, so the other region's links land on it.
        start(0);
        start(2);
        nodes[0].awaitLine(l -> l.startsWith("clink-broker " + US + " ready"));
        nodes[2].awaitLine(l -> l.startsWith("clink-broker " + EU + " ready"));
        start(1);
        start(3);
        nodes[1].awaitLine(l -> l.startsWith("clink-broker " + US + " ready"));
        nodes[3].awaitLine(l -> l.startsWith("clink-broker " + EU + " ready"));
        Await.until(
                "every actor online on the other region's first node",
                WAIT,
                () -> onlineVia(0, EU, 2) && onlineVia(1, EU, 2) && onlineVia(2, US, 0) && onlineVia(3, US, 0));

        MqttTestClient sub = client(1, "us2-sub");
        sub.subscribe("t/#", 1);
        long t0 = System.nanoTime();
        Await.until(
                "us-east-2's route on both eu-west nodes",
                WAIT,
                () -> routes(2, US).contains("t/#") && routes(3, US).contains("t/#"));
        long propagationMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("route from us-east-2 on both eu-west nodes after %d ms%n", propagationMillis);
        assertThat(propagationMillis)
                .as("propagation bound: well inside one route-actor heartbeat (10 s)")
                .isLessThan(10_000);
        client(2, "eu1-pub").publish("t/from-eu-west-1", "a", 1);
        client(3, "eu2-pub").publish("t/from-eu-west-2", "b", 1);
        assertThat(sub.awaitExactlyOnce(2, QUIET)).containsExactlyInAnyOrder("t/from-eu-west-1", "t/from-eu-west-2");

        MqttTestClient only1 = client(0, "us1-sub");
        only1.subscribe("only1/#", 1);
        Await.until(
                "us-east-1's route on both eu-west nodes",
                WAIT,
                () -> routes(2, US).contains("only1/#") && routes(3, US).contains("only1/#"));
        long incarnationBefore = actor(0, EU).get("incarnation").asLong();

        nodes[0].process.destroyForcibly();
        assertThat(nodes[0].process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Await.until(
                "both eu-west links fail over to us-east-2", WAIT, () -> onlineVia(2, US, 1) && onlineVia(3, US, 1));
        MqttTestClient pub = client(2, "eu1-pub-after");
        int n = 100;
        for (int i = 0; i < n; i++) {
            pub.publish("t/after/" + i, "m" + i, 1);
        }
        Set<String> got = new HashSet<>();
        for (Received r : sub.awaitMessages(n)) {
            got.add(r.topic());
        }
        assertThat(got).as("QoS 1 after the failover: none lost").hasSize(n);

        if (!SOAK) {
            return;
        }
        Await.until(
                "us-east-1's route expires on both eu-west nodes after the actor TTL",
                Duration.ofSeconds(120),
                () -> !routes(2, US).contains("only1/#") && !routes(3, US).contains("only1/#"));
        assertThat(routes(2, US)).contains("t/#");
        start(0);
        nodes[0].awaitLine(l -> l.startsWith("clink-broker " + US + " ready"));
        Await.until("us-east-1's actor online again", WAIT, () -> {
            try {
                return actor(0, EU).get("state").asText().equals("online");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(actor(0, EU).get("incarnation").asLong()).isGreaterThan(incarnationBefore);
        MqttTestClient again = client(0, "us1-sub-again");
        again.subscribe("only1/#", 1);
        Await.until(
                "us-east-1's route back on both eu-west nodes",
                WAIT,
                () -> routes(2, US).contains("only1/#") && routes(3, US).contains("only1/#"));
        client(3, "eu2-pub-again").publish("only1/x", "c", 1);
        assertThat(again.awaitMessageOn("only1/x").topic()).isEqualTo("only1/x");
    }
}
