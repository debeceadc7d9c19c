package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.ActorState;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.broker.BrokerConfig;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.net.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A region of two {@code clink-broker} Artemis nodes (Artemis cluster and the Hazelcast route store) linked with a
 * one-node region, in this JVM, started once: the routes the other region sends through one node are matched on
 * both, a message forwarded into the region reaches a subscriber on either node once, and when the node holding the
 * inbound link connection goes, the link fails over to the other node and forwarding goes on without loss.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeRegionIT {

    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    private static final String COOKIE = "it-cookie-multi-node-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofMillis(500);

    /** us-east-1, us-east-2, eu-west-1. */
    private static final List<ArtemisHost> HOSTS = new ArrayList<>();

    // per us-east node: mqtt, link, cluster, store; eu-west: mqtt, link
    private static int[] ports;

    private final List<MqttTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startRegions() throws Exception {
        ports = FreePorts.pick(10);
        Path data = Files.createTempDirectory("clink-multi-node-it");
        for (int n = 0; n < 2; n++) {
            String hocon = """
                    node { name = "us-east-%d@127.0.0.1", cookie = "%s", cluster_bind = "127.0.0.1:%d",
                           route_store_bind = "127.0.0.1:%d" }
                    cluster {
                      name = "%s"
                      discovery_strategy = static
                      static {
                        seeds = ["us-east-1@127.0.0.1:%d", "us-east-2@127.0.0.1:%d"]
                        route_store_seeds = ["127.0.0.1:%d", "127.0.0.1:%d"]
                      }
                      links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-us-%d", topics = ["#"] } ]
                    }
                    listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                    broker { type = artemis }
                    management { enable = false }
                    """.formatted(
                            n + 1,
                            COOKIE,
                            usPort(n, 2),
                            usPort(n, 3),
                            US,
                            usPort(0, 2),
                            usPort(1, 2),
                            usPort(0, 3),
                            usPort(1, 3),
                            EU,
                            ports[9],
                            n + 1,
                            usPort(n, 0),
                            usPort(n, 1));
            HOSTS.add(start(hocon, data.resolve("us-east-" + (n + 1))));
        }
        String eu = """
                cluster {
                  name = "%s"
                  links = [ { name = "%s", server = "127.0.0.1:%d,127.0.0.1:%d", clientid = "clink-eu",
                              topics = ["#"] } ]
                }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                broker { type = artemis }
                management { enable = false }
                """.formatted(EU, US, usPort(0, 1), usPort(1, 1), ports[8], ports[9]);
        HOSTS.add(start(eu, data.resolve("eu-west-1")));
        Await.until("every link online", WAIT, () -> online(0, EU) && online(1, EU) && online(2, US), () -> state());
    }

    private static ArtemisHost start(String hocon, Path dir) throws Exception {
        BrokerConfig c = BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, dir.toString()), "it", dir)
                .withDataDir(dir);
        return ArtemisHost.start(
                c,
                Files.createDirectories(dir.resolve("clink")),
                new ArtemisHost.Limits(
                        EmbeddedClusterBroker.LINK_LISTENER,
                        EmbeddedClusterBroker.LINK_TLS_LISTENER,
                        EmbeddedClusterBroker.MAX_PACKET_SIZE,
                        EmbeddedClusterBroker.SERVER_RECEIVE_MAXIMUM));
    }

    @AfterAll
    static void stopRegions() {
        HOSTS.forEach(ArtemisHost::close);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttTestClient::closeQuietly);
        clients.clear();
    }

    private static int usPort(int node, int which) {
        return ports[4 * node + which];
    }

    private static int mqttPort(int host) {
        return host < 2 ? usPort(host, 0) : ports[8];
    }

    private static boolean online(int host, String link) {
        LinkStatus s = HOSTS.get(host).link().status(link).orElseThrow();
        return !s.actors().isEmpty() && s.actors().stream().allMatch(a -> a.state() == ActorState.ONLINE);
    }

    private static String state() {
        StringBuilder b = new StringBuilder();
        for (ArtemisHost h : HOSTS) {
            b.append(h.link().status()).append('\n');
        }
        return b.toString();
    }

    private static boolean hasRoute(int host, String link, String filter) {
        return HOSTS.get(host).link().remoteRoutes(link).stream()
                .map(RemoteRoute::filter)
                .anyMatch(filter::equals);
    }

    private MqttTestClient client(int host, String id) throws Exception {
        MqttTestClient c = MqttTestClient.connect("127.0.0.1", mqttPort(host), id);
        clients.add(c);
        return c;
    }

    /** Receives {@code n} messages, then makes sure no further copy arrives for a while. */
    @Test
    @Order(1)
    void routesFromTheOtherRegion_receivedThroughOneNode_matchedOnBoth() throws Exception {
        MqttTestClient sub = client(2, "eu-sub-a");
        sub.subscribe("a/#", 1);
        Await.until(
                "both us-east nodes hold eu-west's route a/#",
                WAIT,
                () -> hasRoute(0, EU, "a/#") && hasRoute(1, EU, "a/#"));

        client(1, "us2-pub-a").publish("a/from-node-2", "x", 1);
        client(0, "us1-pub-a").publish("a/from-node-1", "y", 1);

        assertThat(sub.awaitExactlyOnce(2, QUIET)).containsExactlyInAnyOrder("a/from-node-2", "a/from-node-1");
    }

    @Test
    @Order(2)
    void publishOnTheOneNodeRegion_reachesASubscriberOnTheSecondNodeOnce() throws Exception {
        MqttTestClient sub = client(1, "us2-sub-b");
        sub.subscribe("b/#", 1);
        Await.until("eu-west holds us-east-2's route b/#", WAIT, () -> hasRoute(2, US, "b/#"));

        client(2, "eu-pub-b").publish("b/1", "z", 1);

        assertThat(sub.awaitExactlyOnce(1, QUIET)).containsExactly("b/1");
    }

    @Test
    @Order(3)
    void nodeHoldingTheInboundLinkStops_linkFailsOverAndForwardingGoesOnWithoutLoss() throws Exception {
        MqttTestClient sub = client(2, "eu-sub-c");
        sub.subscribe("c/#", 1);
        Await.until("us-east-2 holds eu-west's route c/#", WAIT, () -> hasRoute(1, EU, "c/#"));
        String before = HOSTS.get(2)
                .link()
                .status(US)
                .orElseThrow()
                .actors()
                .get(0)
                .endpointInUse()
                .orElse("?");
        assertThat(before).as("eu-west's actor starts on the first endpoint").endsWith(":" + usPort(0, 1));

        HOSTS.get(0).close();
        Await.until(
                "eu-west's link fails over to us-east-2",
                WAIT,
                () -> online(2, US)
                        && HOSTS.get(2)
                                .link()
                                .status(US)
                                .orElseThrow()
                                .actors()
                                .get(0)
                                .endpointInUse()
                                .orElse("")
                                .endsWith(":" + usPort(1, 1)),
                () -> state());
        assertThat(hasRoute(1, EU, "c/#"))
                .as("the route survived its receiving node")
                .isTrue();
        MqttTestClient pub = client(1, "us2-pub-c");
        int n = 50;
        for (int i = 0; i < n; i++) {
            pub.publish("c/" + i, "m" + i, 1);
        }

        assertThat(sub.awaitExactlyOnce(n, QUIET)).hasSize(n);
    }
}
