package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.net.FreePorts;
import io.clink.testkit.tls.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code clink-broker} with {@code broker.type = artemis}, four clusters started once for every check:
 *
 * <ul>
 *   <li>{@code cluster-us-east}: Artemis, linked with the three others, asking each for {@code #};
 *   <li>{@code cluster-eu-west}: HiveMQ, asking us-east for {@code #} (the quick start across brokers);
 *   <li>{@code cluster-ap-south}: Artemis, asking us-east for {@code #} (the quick start on Artemis), its link
 *       listener TLS only ({@code ssl.clink}, client certificates required), so us-east's link to it runs over
 *       mutual TLS;
 *   <li>{@code cluster-sa-east}: Artemis, asking us-east for nothing (the asymmetric variant), its link listener
 *       open only to the link user {@code clink-us}, which us-east's link presents.
 * </ul>
 *
 * <p>On the Artemis side it checks what a user of the quick start meets: shared subscriptions, MQTT 3.1.1 clients,
 * retained messages (a forwarded message never enters the retained store), {@code $LINK} refused on the default
 * listener, link users refused with a wrong password, and the management API.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArtemisBrokerIT {

    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    private static final String AP = "cluster-ap-south";
    private static final String SA = "cluster-sa-east";
    private static final String AF = "cluster-af-south";
    private static final String LINK_USER = "clink-us";
    private static final String LINK_PASSWORD = "us-secret";
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private static final OpenBrokers OPEN = new OpenBrokers();
    private static final Map<String, EmbeddedClusterBroker> BROKERS = new HashMap<>();
    /** MQTT and link port of each cluster. */
    private static final Map<String, int[]> PORTS = new HashMap<>();

    private static int usApi;
    private static Path data;
    private static TestPki.Identity ca;
    private static TestPki.Identity usIdentity;

    private final OpenBrokers clients = new OpenBrokers();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startClusters() throws Exception {
        int[] p = FreePorts.pick(11);
        PORTS.put(US, new int[] {p[0], p[1]});
        PORTS.put(EU, new int[] {p[2], p[3]});
        PORTS.put(AP, new int[] {p[4], p[5]});
        PORTS.put(SA, new int[] {p[6], p[7]});
        usApi = p[8];
        PORTS.put(AF, new int[] {p[9], p[10]});
        data = Files.createTempDirectory("clink-artemis-broker-it");
        ca = TestPki.ca("clink test CA");
        usIdentity = TestPki.leaf(ca, US, TestPki.ecKeys());
        Path caPem = TestPki.writeCertificates(data.resolve("ca.pem"), ca.certificate());
        TestPki.Pem usPem = TestPki.write(data, "us-east", usIdentity);
        TestPki.Pem apPem = TestPki.write(data, "ap-south", TestPki.leaf(ca, AP, TestPki.rsaKeys()));
        start(US, BrokerType.ARTEMIS, """
                cluster {
                  name = "%s"
                  links = [
                    { name = "%s", server = "127.0.0.1:%d", clientid = "clink-us-eu", topics = ["#"] },
                    { name = "%s", server = "127.0.0.1:%d", clientid = "clink-us-ap", topics = ["#"],
                      ssl { enable = true, cacertfile = "%s", certfile = "%s", keyfile = "%s", verify = verify_peer } },
                    { name = "%s", server = "127.0.0.1:%d", clientid = "clink-us-sa", topics = ["#"],
                      username = "%s", password = "%s" }
                  ]
                }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { bind = "127.0.0.1:%d" }
                """.formatted(
                        US,
                        EU,
                        link(EU),
                        AP,
                        link(AP),
                        caPem,
                        usPem.cert(),
                        usPem.key(),
                        SA,
                        link(SA),
                        LINK_USER,
                        LINK_PASSWORD,
                        mqtt(US),
                        link(US),
                        usApi));
        start(
                EU,
                BrokerType.HIVEMQ,
                peerOfUs(EU, "[\"#\"]", "tcp.clink { bind = \"127.0.0.1:%d\" }".formatted(link(EU))));
        start(AP, BrokerType.ARTEMIS, peerOfUs(AP, "[\"#\"]", """
                ssl.clink {
                  bind = "127.0.0.1:%d"
                  ssl_options { cacertfile = "%s", certfile = "%s", keyfile = "%s", verify = verify_peer,
                                fail_if_no_peer_cert = true }
                }""".formatted(
                        link(AP), caPem, apPem.cert(), apPem.key())));
        start(SA, BrokerType.ARTEMIS, peerOfUs(SA, "[]", """
                tcp.clink {
                  bind = "127.0.0.1:%d"
                  authentication = [ { username = "%s", password = "%s", cluster = "%s" } ]
                }""".formatted(link(SA), LINK_USER, LINK_PASSWORD, US)));
        // TLS that verifies a certificate the client shows but does not require one, and offers TLS 1.3 only.
        TestPki.Pem afPem = TestPki.write(data, "af-south", TestPki.leaf(ca, AF, TestPki.ecKeys()));
        start(AF, BrokerType.ARTEMIS, """
                cluster { name = "%s", links = [] }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  ssl.clink {
                    bind = "127.0.0.1:%d"
                    ssl_options { cacertfile = "%s", certfile = "%s", keyfile = "%s", verify = verify_peer,
                                  fail_if_no_peer_cert = false, versions = ["tlsv1.3"] }
                  }
                }
                management { enable = false }
                """.formatted(AF, mqtt(AF), link(AF), caPem, afPem.cert(), afPem.key()));
    }

    private static String peerOfUs(String name, String topics, String linkListener) {
        return """
                cluster {
                  name = "%s"
                  links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = %s } ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  %s
                }
                management { enable = false }
                """.formatted(name, US, link(US), name, topics, mqtt(name), linkListener);
    }

    private static void start(String name, BrokerType type, String hocon) {
        BrokerConfig c = BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, name), name, data)
                .withDataDir(data.resolve(name))
                .withBrokerType(type);
        BROKERS.put(name, OPEN.start(c));
    }

    @AfterAll
    static void stopClusters() throws Exception {
        OPEN.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        clients.close();
    }

    private static int mqtt(String cluster) {
        return PORTS.get(cluster)[0];
    }

    private static int link(String cluster) {
        return PORTS.get(cluster)[1];
    }

    private MqttTestClient client(String cluster, String clientId) throws MqttException {
        return clients.closeLater(MqttTestClient.connect("127.0.0.1", mqtt(cluster), clientId));
    }

    @Test
    void readyLine_artemis_sameAsHiveMq() {
        assertThat(BROKERS.get(US).readyLine())
                .isEqualTo(
                        "clink-broker " + US + " ready: mqtt=127.0.0.1:" + mqtt(US) + " clink=127.0.0.1:" + link(US));
    }

    @Test
    void hivemqAndArtemis_mosquittoClients_deliverBothWays() throws Exception {
        assumeTrue(Mosquitto.installed(), "mosquitto clients not installed");

        String toArtemis = Mosquitto.subscribeThenPublish(
                processes, mqtt(US), Mosquitto.V5, "linked/#", mqtt(EU), Mosquitto.V5, "linked/42", "Hello from EU");
        String toHiveMq = Mosquitto.subscribeThenPublish(
                processes, mqtt(EU), Mosquitto.V5, "linked/#", mqtt(US), Mosquitto.V5, "linked/1", "Hello from US");

        assertThat(toArtemis).isEqualTo("linked/42 Hello from EU");
        assertThat(toHiveMq).isEqualTo("linked/1 Hello from US");
    }

    @Test
    void mqtt311Clients_onArtemis_subscribeAndPublishAcrossTheLink() throws Exception {
        assumeTrue(Mosquitto.installed(), "mosquitto clients not installed");

        String received = Mosquitto.subscribeThenPublish(
                processes, mqtt(US), Mosquitto.V311, "v311/#", mqtt(EU), Mosquitto.V5, "v311/in", "to a 3.1.1 sub");
        String sent = Mosquitto.subscribeThenPublish(
                processes, mqtt(EU), Mosquitto.V5, "v311/#", mqtt(US), Mosquitto.V311, "v311/out", "from a 3.1.1 pub");

        assertThat(received).isEqualTo("v311/in to a 3.1.1 sub");
        assertThat(sent).isEqualTo("v311/out from a 3.1.1 pub");
    }

    @Test
    void quickStart_artemisBothSides_deliversBothWays() throws Exception {
        MqttTestClient usSub = client(US, "qs-us-sub");
        MqttTestClient apSub = client(AP, "qs-ap-sub");
        MqttTestClient usPub = client(US, "qs-us-pub");
        MqttTestClient apPub = client(AP, "qs-ap-pub");
        usSub.subscribe("linked/#", 1);
        apSub.subscribe("linked/#", 1);

        Received toUs = apPub.publishUntilReceived("linked/42", "Hello from AP", usSub, INTERVAL)
                .message();
        Received toAp = usPub.publishUntilReceived("linked/1", "Hello from US", apSub, INTERVAL)
                .message();

        assertThat(toUs.payload()).isEqualTo("Hello from AP");
        assertThat(toUs.qos()).isEqualTo(1);
        assertThat(toAp.payload()).isEqualTo("Hello from US");
    }

    @Test
    void quickStart_artemisAsymmetric_onlyTheAskingSideReceives() throws Exception {
        MqttTestClient usSub = client(US, "asym-us-sub");
        MqttTestClient saSub = client(SA, "asym-sa-sub");
        MqttTestClient saPub = client(SA, "asym-sa-pub");
        MqttTestClient usPub = client(US, "asym-us-pub");
        usSub.subscribe("asym/#", 1);
        saSub.subscribe("asym/#", 1);

        // sa-east -> us-east works: us-east asked for "#", and its link user got through sa-east's listener.
        Received r = saPub.publishUntilReceived("asym/sa", "Hello from SA", usSub, INTERVAL)
                .message();
        assertThat(r.payload()).isEqualTo("Hello from SA");

        // us-east -> sa-east does not: sa-east asked for nothing. The link is up (proved above).
        for (int i = 0; i < 6; i++) {
            usPub.publish("asym/us", "Hello from US", 1);
            Thread.sleep(500);
        }
        assertThat(saSub.received()).noneMatch(m -> m.topic().equals("asym/us"));
        assertThat(usSub.received()).anyMatch(m -> m.topic().equals("asym/us"));
    }

    @Test
    void linkListener_wrongPassword_refusedWithBadUserNameOrPassword() throws Exception {
        MqttConnectionOptions wrong = MqttTestClient.defaultOptions();
        wrong.setUserName(LINK_USER);
        wrong.setPassword("not-the-secret".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> MqttTestClient.connect("tcp://127.0.0.1:" + link(SA), "intruder", wrong))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    @Test
    void linkListener_linkUser_maySubscribeOnlyItsClustersResponses() throws Exception {
        MqttConnectionOptions right = MqttTestClient.defaultOptions();
        right.setUserName(LINK_USER);
        right.setPassword(LINK_PASSWORD.getBytes(StandardCharsets.UTF_8));
        MqttTestClient user =
                clients.closeLater(MqttTestClient.connect("tcp://127.0.0.1:" + link(SA), "link-user-probe", right));

        assertThat(user.trySubscribe("$LINK/cluster/resp/" + US + "/probe", 1)).isLessThan(0x80);
        assertThat(user.trySubscribe("#", 1)).isGreaterThanOrEqualTo(0x80);
    }

    @Test
    void linkListener_linkUserPublishingForAnotherCluster_refusedAndDisconnected() throws Exception {
        MqttConnectionOptions right = MqttTestClient.defaultOptions();
        right.setUserName(LINK_USER);
        right.setPassword(LINK_PASSWORD.getBytes(StandardCharsets.UTF_8));
        MqttTestClient impostor =
                clients.closeLater(MqttTestClient.connect("tcp://127.0.0.1:" + link(SA), "link-user-impostor", right));

        // LINK_USER speaks for cluster-us-east only; the engine confines it (Artemis's security checks the password).
        int ack = impostor.tryPublish("$LINK/cluster/msg/" + EU, new byte[] {1}, 1, null);

        assertThat(impostor.awaitServerDisconnect()).isEqualTo(0x87);
        // The DISCONNECT may overtake the PUBACK; Paho then fails the publish with its own code (>= 32000).
        assertThat(ack)
                .satisfiesAnyOf(
                        a -> assertThat(a).isEqualTo(0x87), a -> assertThat(a).isGreaterThan(32_000));
    }

    @Test
    void tlsLinkListener_verifyPeerWithoutRequiringOne_acceptsNoCertificateRefusesAForeignOne() throws Exception {
        try (MqttTestClient anonymous = tlsClient(link(AF), "tls-no-cert-ok", TestPki.clientContext(ca, null))) {
            assertThat(anonymous.isConnected())
                    .as("no certificate: fail_if_no_peer_cert = false")
                    .isTrue();
        }
        try (MqttTestClient trusted = tlsClient(link(AF), "tls-trusted", TestPki.clientContext(ca, usIdentity))) {
            assertThat(trusted.isConnected()).isTrue();
        }
        // The client trusts the server, but shows a certificate the listener cannot verify: issued under the trusted
        // CA's name by another key (a client sends a certificate only when its issuer is one the server names, so a
        // certificate of an unrelated CA would not even be sent, and the client would get in as one without).
        TestPki.Identity stranger = TestPki.leaf(TestPki.ca("clink test CA"), "stranger", TestPki.ecKeys());
        assertThatThrownBy(() -> tlsClient(link(AF), "tls-foreign", TestPki.clientContext(ca, stranger))
                        .close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void tlsLinkListener_versionsTls13Only_refusesATls12Handshake() throws Exception {
        SSLContext context = TestPki.clientContext(ca, null);
        try (SSLSocket tls13 = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", link(AF))) {
            tls13.setSoTimeout(10_000);
            tls13.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls13.startHandshake();
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        try (SSLSocket tls12 = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", link(AF))) {
            tls12.setSoTimeout(10_000);
            tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(tls12::startHandshake).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void tlsLinkListener_clientCertificateRequired() throws Exception {
        // Control: a client with a certificate of the trusted CA gets in.
        try (MqttTestClient good = tlsClient(link(AP), "tls-good", TestPki.clientContext(ca, usIdentity))) {
            assertThat(good.isConnected()).isTrue();
        }

        assertThatThrownBy(() -> tlsClient(link(AP), "tls-no-cert", TestPki.clientContext(ca, null))
                        .close())
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> MqttTestClient.connect("127.0.0.1", link(AP), "plain-on-tls")
                        .close())
                .isInstanceOf(MqttException.class);
    }

    private static MqttTestClient tlsClient(int port, String id, SSLContext context) throws Exception {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSocketFactory(context.getSocketFactory());
        o.setConnectionTimeout(15);
        return MqttTestClient.connect("ssl://127.0.0.1:" + port, id, o);
    }

    @Test
    void sharedSubscription_forwardedMessages_eachReachesOneMemberOfTheGroup() throws Exception {
        MqttTestClient a = client(US, "shared-a");
        MqttTestClient b = client(US, "shared-b");
        MqttTestClient probe = client(US, "shared-probe");
        MqttTestClient euPub = client(EU, "shared-pub");
        a.subscribe("$share/g/shared/#", 1);
        b.subscribe("$share/g/shared/#", 1);
        probe.subscribe("shared/#", 1);
        // The plain subscriber proves the route is on eu-west before the counted messages are sent.
        euPub.publishUntilReceived("shared/warm-up", "w", probe, INTERVAL);

        int n = 20;
        for (int i = 0; i < n; i++) {
            euPub.publish("shared/m", "m" + i, 1);
        }
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.size() < n && System.nanoTime() < deadline) {
            drain(a, got);
            drain(b, got);
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        drain(a, got);
        drain(b, got);

        assertThat(got).hasSize(n).doesNotHaveDuplicates();
    }

    private static void drain(MqttTestClient c, List<String> into) {
        Received r;
        while ((r = c.received().poll()) != null) {
            if (r.topic().equals("shared/m")) {
                into.add(r.payload());
            }
        }
    }

    @Test
    void retained_forwardedMessage_neverEntersTheRetainedStore() throws Exception {
        MqttTestClient usSub = client(US, "ret-sub");
        MqttTestClient usLocal = client(US, "ret-local");
        MqttTestClient euPub = client(EU, "ret-pub");
        usSub.subscribe("retained/#", 1);
        usLocal.publish("retained/local", "kept".getBytes(StandardCharsets.UTF_8), 1, true, null);
        // Published with the retain flag on eu-west until us-east's subscriber got it across the link.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean arrived = false;
        while (!arrived && System.nanoTime() < deadline) {
            euPub.publish("retained/forwarded", "f".getBytes(StandardCharsets.UTF_8), 1, true, null);
            Thread.sleep(500);
            arrived = usSub.received().stream().anyMatch(m -> m.topic().equals("retained/forwarded"));
        }
        assertThat(arrived).as("the forwarded message reached us-east").isTrue();

        MqttTestClient late = client(US, "ret-late");
        late.subscribe("retained/#", 1);

        // The local retained message comes at once; anything forwarded would come with it.
        Received local = late.awaitMessageOn("retained/local");
        assertThat(local.message().isRetained()).isTrue();
        Thread.sleep(1000);
        assertThat(late.received()).noneMatch(m -> m.topic().equals("retained/forwarded"));
    }

    @Test
    void defaultListener_linkTopics_refused() throws Exception {
        MqttTestClient c = client(US, "not-a-link");

        assertThat(c.tryPublish("$LINK/cluster/msg/" + EU, "x".getBytes(StandardCharsets.UTF_8), 1, null))
                .isEqualTo(0x87);
        assertThat(c.trySubscribe("$LINK/#", 1)).isEqualTo(0x87);
    }

    @Test
    void secondBroker_sameClusterAndDataDir_refusedAtOnceNamingTheDataDir() {
        int[] p = FreePorts.pick(2);
        String hocon = """
                broker.type = artemis
                cluster { name = "%s", links = [] }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { enable = false }
                """.formatted(US, p[0], p[1]);
        BrokerConfig twin = BrokerConfig.from(
                        ClusterLinkConfigLoader.parseString(hocon, "twin.conf"), "twin.conf", data)
                .withDataDir(data.resolve(US));

        assertThatThrownBy(() -> OPEN.start(twin))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageStartingWith("twin.conf: node.data_dir = \"" + data.resolve(US) + "\"")
                .hasMessageContaining("in use by another running clink-broker of cluster " + US);
    }

    @Test
    void managementApi_artemis_listsEveryLink() throws Exception {
        JsonNode links = new ApiClient("http://127.0.0.1:" + usApi + "/api/v5").json("/cluster/links");

        List<String> names = new ArrayList<>();
        links.forEach(l -> names.add(l.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder(EU, AP, SA);
    }
}
