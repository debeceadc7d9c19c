package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerType;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.testkit.Await;
import io.clink.testkit.RecordingHooks;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.postoffice.BindingType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two {@code clink-broker} Artemis nodes of one region ({@code cluster.discovery_strategy = static}) in this JVM,
 * started once for every check: what the link's delivery and a local publish on one node do for a subscriber on the
 * other, and what each node's adapter reports as its own subscriptions.
 *
 * <p>Each node's engine hooks are replaced by {@link RecordingHooks} after the start, so the checks see exactly what
 * the adapter would report to clink (the region has no links, so the engines have nothing else to do).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArtemisClusterIT {

    private static final String REGION = "cluster-us-east";
    private static final String COOKIE = "it-cookie-0123456789abcdef";

    private static final List<ArtemisHost> HOSTS = new ArrayList<>();
    private static final List<RecordingHooks> HOOKS = new ArrayList<>();
    private static int[] ports;

    private final List<MqttTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startNodes() throws Exception {
        // per node: mqtt, link, cluster; then the two route-store members
        ports = FreePorts.pick(8);
        Path data = Files.createTempDirectory("clink-artemis-cluster-it");
        for (int n = 0; n < 2; n++) {
            int other = 1 - n;
            String hocon = """
                    node { name = "us-east-%d@127.0.0.1", cookie = "%s", cluster_bind = "127.0.0.1:%d",
                           route_store_bind = "127.0.0.1:%d" }
                    cluster {
                      name = "%s"
                      links = []
                      discovery_strategy = static
                      static {
                        seeds = ["us-east-1@127.0.0.1:%d", "us-east-2@127.0.0.1:%d"]
                        route_store_seeds = ["127.0.0.1:%d", "127.0.0.1:%d"]
                      }
                    }
                    listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                    broker { type = artemis }
                    management { enable = false }
                    """.formatted(
                            n + 1,
                            COOKIE,
                            clusterPort(n),
                            ports[6 + n],
                            REGION,
                            clusterPort(0),
                            clusterPort(1),
                            ports[6],
                            ports[7],
                            mqttPort(n),
                            ports[3 * n + 1]);
            assertThat(other).isBetween(0, 1);
            BrokerConfig c = BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, "node" + n), "node" + n, data)
                    .withDataDir(data.resolve("node" + n));
            Path clinkData = Files.createDirectories(data.resolve("node" + n).resolve("clink"));
            HOSTS.add(ArtemisHost.start(
                    c,
                    clinkData,
                    new ArtemisHost.Limits(
                            EmbeddedClusterBroker.LINK_LISTENER,
                            EmbeddedClusterBroker.LINK_TLS_LISTENER,
                            EmbeddedClusterBroker.MAX_PACKET_SIZE,
                            EmbeddedClusterBroker.SERVER_RECEIVE_MAXIMUM)));
        }
        for (ArtemisHost h : HOSTS) {
            RecordingHooks hooks = new RecordingHooks();
            h.adapter().attach(hooks);
            HOOKS.add(hooks);
        }
    }

    @AfterAll
    static void stopNodes() {
        for (ArtemisHost h : HOSTS) {
            h.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttTestClient::closeQuietly);
        clients.clear();
    }

    private static int mqttPort(int node) {
        return ports[3 * node];
    }

    private static int clusterPort(int node) {
        return ports[3 * node + 2];
    }

    private MqttTestClient client(int node, String clientId) throws Exception {
        MqttTestClient c = MqttTestClient.connect("127.0.0.1", mqttPort(node), clientId);
        clients.add(c);
        return c;
    }

    /** Waits until {@code node} has a binding for {@code clientId}'s subscription queue on the other node. */
    private static void awaitRemoteBinding(int node, String clientId) throws InterruptedException {
        Await.until(
                "node " + node + " learns of " + clientId + "'s subscription",
                () -> HOSTS.get(node)
                        .server()
                        .getPostOffice()
                        .getAllBindings()
                        .anyMatch(b -> b.getType() == BindingType.REMOTE_QUEUE
                                && b.getUniqueName().toString().contains(clientId)));
    }

    private static MqttMessage forwarded(String topic, String payload) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .originCluster("cluster-eu-west")
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    /** Takes messages until {@code last} arrives; the marker published after the message proves nothing else came. */
    private static List<String> receivedThrough(MqttTestClient c, String last) throws InterruptedException {
        List<String> got = new ArrayList<>();
        while (got.isEmpty() || !got.get(got.size() - 1).equals(last)) {
            Received r = c.awaitMessage();
            got.add(r.payload());
        }
        return got;
    }

    @Test
    void deliver_onNode1_reachesSubscriberOnNode2ExactlyOnce() throws Exception {
        MqttTestClient remote = client(1, "acl-deliver-2");
        MqttTestClient local = client(0, "acl-deliver-1");
        remote.subscribe("acl/deliver/#", 1);
        local.subscribe("acl/deliver/#", 1);
        awaitRemoteBinding(0, "acl-deliver-2");

        HOSTS.get(0).adapter().deliver(forwarded("acl/deliver/1", "from eu-west"));
        HOSTS.get(0).adapter().deliver(forwarded("acl/deliver/1", "marker"));

        assertThat(receivedThrough(remote, "marker")).containsExactly("from eu-west", "marker");
        assertThat(receivedThrough(local, "marker")).containsExactly("from eu-west", "marker");
    }

    @Test
    void localPublish_onNode1_reachesSubscriberOnNode2ExactlyOnce() throws Exception {
        MqttTestClient remote = client(1, "acl-local-2");
        remote.subscribe("acl/local/+", 1);
        awaitRemoteBinding(0, "acl-local-2");
        MqttTestClient publisher = client(0, "acl-local-pub");

        publisher.publish("acl/local/a", "hello node 2", 1);
        publisher.publish("acl/local/a", "marker", 1);

        assertThat(receivedThrough(remote, "marker")).containsExactly("hello node 2", "marker");
        // The local publish is reported once, by the node it was published on.
        assertThat(HOOKS.get(0)
                        .any(
                                RecordingHooks.Published.class,
                                p -> p.message().topic().equals("acl/local/a")))
                .isTrue();
        assertThat(HOOKS.get(1)
                        .any(
                                RecordingHooks.Published.class,
                                p -> p.message().topic().equals("acl/local/a")))
                .isFalse();
    }

    @Test
    void subscriptionOnNode2_notReportedAsNode1Route() throws Exception {
        MqttTestClient remote = client(1, "acl-routes-2");
        remote.subscribe("acl/routes/#", 1);
        awaitRemoteBinding(0, "acl-routes-2");

        List<LocalSubscription> node1 = new ArrayList<>();
        HOSTS.get(0).adapter().forEachSubscription(node1::add);
        List<LocalSubscription> node2 = new ArrayList<>();
        HOSTS.get(1).adapter().forEachSubscription(node2::add);

        assertThat(HOOKS.get(1)
                        .any(RecordingHooks.Subscribed.class, s -> s.clientId().equals("acl-routes-2")))
                .isTrue();
        assertThat(HOOKS.get(0)
                        .any(RecordingHooks.Subscribed.class, s -> s.clientId().equals("acl-routes-2")))
                .isFalse();
        assertThat(node2).contains(new LocalSubscription("acl-routes-2", "acl/routes/#"));
        assertThat(node1).noneMatch(s -> s.clientId().equals("acl-routes-2"));
    }

    @Test
    void clusterAcceptor_withoutCookie_refused() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(
                        "tcp://127.0.0.1:" + clusterPort(0) + "?reconnectAttempts=0");
                ClientSessionFactory factory = locator.createSessionFactory()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> factory.createSession("anyone", "guess", false, true, true, false, 1)
                                    .close())
                    .isInstanceOf(ActiveMQSecurityException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> factory.createSession(null, null, false, true, true, false, 1)
                                    .close())
                    .isInstanceOf(ActiveMQSecurityException.class);
        }
    }

    @Test
    void engines_runWithTheirOwnNodeNames() {
        assertThat(HOSTS.get(0).link().nodeName()).isEqualTo("us-east-1@127.0.0.1");
        assertThat(HOSTS.get(1).link().nodeName()).isEqualTo("us-east-2@127.0.0.1");
        assertThat(BrokerType.ARTEMIS).isNotNull();
    }
}
