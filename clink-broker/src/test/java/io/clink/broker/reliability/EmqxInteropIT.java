package io.clink.broker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.LinkMetrics;
import io.clink.broker.BrokerConfig;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.hivemq.HiveMqEngineStarters;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, forwarded-message half: a plain MQTT 5 client plays an EMQX node's forwarding pool on {@code clink-broker}'s
 * link listener (link credentials, an EMQX-style {@code <base>:msg:<hash>:<n>} client id) and publishes the bytes of
 * the {@code message_emqx_*} golden vectors, which a real Erlang runtime made in the shapes EMQX sends, to
 * {@code $LINK/cluster/msg/emqx-eu} at the message's own QoS, as EMQX 5.8-6.0.2 does. Every message is delivered to a
 * local subscriber with what an MQTT broker can carry, the rest is counted in {@code fieldsDropped}, and the link
 * connection is never disconnected, not even by the refusals (PUBACK 0x90, 0x83). One broker serves the class.
 */
class EmqxInteropIT {
    private static final String LOCAL = "clink-us";
    private static final String PEER = "emqx-eu";
    private static final String PEER_USER = "emqx-eu";
    private static final byte[] PEER_PASSWORD = "emqx-secret".getBytes(StandardCharsets.UTF_8);
    private static final String MSG_TOPIC = "$LINK/cluster/msg/" + PEER;
    private static final long WAIT_MS = 10_000;
    /** How long a refused publisher waits to be sure no DISCONNECT follows the refusal. */
    private static final long NO_DISCONNECT_MS = 300;

    private static final Path VECTORS = Path.of("..", "clink-core", "src", "test", "resources", "vectors");

    private static EmbeddedClusterBroker broker;
    private static final AtomicReference<ClusterLink> ENGINE = new AtomicReference<>();
    private static int linkPort;
    private static int mqttPort;
    private static int clientSeq;

    private MqttTestClient emqx;
    private MqttTestClient subscriber;

    @BeforeAll
    static void start() throws IOException {
        int[] p = FreePorts.pick(3);
        mqttPort = p[0];
        linkPort = p[1];
        // The link's own peer (port p[2]) is never started: this test only plays the inbound half.
        String conf = """
                management { enable = false }
                cluster {
                  name = "%1$s"
                  links = [ { name = "%2$s", server = "127.0.0.1:%5$d", clientid = "clink-us", topics = ["linked/#"] } ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%3$d" }
                  tcp.clink {
                    bind = "127.0.0.1:%4$d"
                    authentication = [ { username = "%6$s", password = "emqx-secret", cluster = "%2$s" } ]
                  }
                }
                """.formatted(LOCAL, PEER, mqttPort, linkPort, p[2], PEER_USER);
        Path data = Files.createTempDirectory("clink-emqx-interop-");
        BrokerConfig config = BrokerConfig.from(
                        ClusterLinkConfigLoader.parseString(conf, LOCAL),
                        LOCAL,
                        Path.of("").toAbsolutePath())
                .withDataDir(data);
        broker = EmbeddedClusterBroker.start(
                config,
                (c, dir, started) -> HiveMqEngineStarters.starter(c, dir, (Consumer<ClusterLink>) link -> {
                    ENGINE.set(link);
                    started.accept(link);
                }));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        clientSeq++;
        subscriber = GuardedClusters.connect("tcp://127.0.0.1:" + mqttPort, "local-sub-" + clientSeq, null, null);
        subscriber.subscribe("linked/#", 2);
        // EMQX's forwarding pool names its clients <base>:msg:<sha8>:<n>.
        emqx = GuardedClusters.connect(
                "tcp://127.0.0.1:" + linkPort, "emqx-eu-node1:msg:0a1b2c3d:" + clientSeq, PEER_USER, PEER_PASSWORD);
    }

    @AfterEach
    void close() {
        if (emqx != null) {
            emqx.closeQuietly();
        }
        if (subscriber != null) {
            subscriber.closeQuietly();
        }
    }

    /** One vector, the QoS EMQX 5.8 publishes it with (the message's own), and what the subscriber must get. */
    private record Expected(
            String vector,
            int qos,
            String topic,
            String payload,
            List<String> userProperties,
            String contentType,
            boolean payloadFormatUtf8,
            int fieldsDropped) {}

    private static final List<Expected> DELIVERABLE = List.of(
            new Expected("message_emqx_gateway_mqttsn", 1, "linked/sn/1", "21.5", List.of(), null, false, 1),
            new Expected(
                    "message_emqx_gateway_stomp",
                    0,
                    "linked/stomp/queue",
                    "ping",
                    List.of("content-length=4"),
                    null,
                    false,
                    1),
            new Expected(
                    "message_emqx_username_undefined_no_peerhost", 1, "linked/anon", "x", List.of(), null, false, 0),
            new Expected(
                    "message_emqx_invalid_utf8_everywhere", 1, "linked/utf8", null, List.of("ok=kept"), null, false, 6),
            new Expected("message_emqx_from_atom_undefined", 1, "linked/internal", "sys", List.of(), null, false, 0),
            new Expected("message_emqx_from_atom_bridge", 1, "linked/bridged", "b", List.of(), null, false, 1),
            new Expected("message_emqx_payload_format_2", 1, "linked/pfi", "text", List.of(), "text/plain", false, 1),
            new Expected("message_emqx_unknown_header_keys", 1, "linked/hooks", "h", List.of(), null, false, 0),
            new Expected(
                    "message_emqx_qos2", 2, "linked/qos2", "exactly once", List.of("n=1"), "text/plain", false, 0));

    @Test
    void messageVectors_publishedAtTheirQos_eachDeliveredWithWhatCanBeMappedAndLinkConnectionKept() throws Exception {
        long droppedBefore = metrics().fieldsDropped();
        int expectedDrops = 0;
        for (Expected e : DELIVERABLE) {
            int code = emqx.tryPublish(MSG_TOPIC, vector(e.vector()), e.qos(), null);
            if (e.qos() > 0) {
                assertThat(code).as("acknowledgement of %s", e.vector()).isZero();
            }
            Received r = subscriber.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(r).as("delivery of %s", e.vector()).isNotNull();
            MqttMessage m = r.message();
            assertThat(r.topic()).as(e.vector()).isEqualTo(e.topic());
            if (e.payload() != null) {
                assertThat(new String(m.getPayload(), StandardCharsets.UTF_8))
                        .as(e.vector())
                        .isEqualTo(e.payload());
            }
            assertThat(m.getQos()).as("QoS of %s", e.vector()).isEqualTo(e.qos());
            MqttProperties props = m.getProperties();
            assertThat(props.getUserProperties())
                    .as("user properties of %s", e.vector())
                    .extracting(u -> u.getKey() + "=" + u.getValue())
                    .containsExactlyElementsOf(e.userProperties());
            assertThat(props.getContentType())
                    .as("content type of %s", e.vector())
                    .isEqualTo(e.contentType());
            assertThat(props.getPayloadFormat())
                    .as("payload format of %s", e.vector())
                    .isEqualTo(e.payloadFormatUtf8());
            assertThat(props.getResponseTopic())
                    .as("response topic of %s", e.vector())
                    .isNull();
            expectedDrops += e.fieldsDropped();
        }
        assertThat(metrics().fieldsDropped() - droppedBefore)
                .isEqualTo(expectedDrops)
                .isEqualTo(10);
        assertThat(subscriber.received().poll(200, TimeUnit.MILLISECONDS))
                .as("a duplicate delivery")
                .isNull();
        assertLinkConnectionKept();
    }

    @Test
    void invalidUtf8Vector_correlationDataKeptAsBytes() throws Exception {
        assertThat(emqx.tryPublish(MSG_TOPIC, vector("message_emqx_invalid_utf8_everywhere"), 1, null))
                .isZero();

        Received r = subscriber.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(r).isNotNull();
        assertThat(r.message().getPayload()).containsExactly(0xFF, 0xFE);
        assertThat(r.message().getProperties().getCorrelationData()).containsExactly(0xFF, 0x00, 0xFE);
        assertThat(r.message().getProperties().getUserProperties())
                .extracting(UserProperty::getKey)
                .containsExactly("ok");
        assertLinkConnectionKept();
    }

    @Test
    void qos2LinkPublish_retransmittedWithDupBeforePubrel_deliveredExactlyOnce() throws Exception {
        byte[] qos2 = vector("message_emqx_qos2");

        int[] codes = peer("emqx-eu-node1:msg:0a1b2c3d:q2-" + clientSeq).qos2PublishWithRetransmission(MSG_TOPIC, qos2);

        assertThat(codes).as("PUBREC, PUBREC of the DUP, PUBCOMP").containsExactly(0, 0, 0);
        // A later message on another topic marks the end of what the QoS 2 exchange can have delivered.
        assertThat(emqx.tryPublish(MSG_TOPIC, vector("message_emqx_unknown_header_keys"), 1, null))
                .isZero();
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 10 && !topics.contains("linked/hooks"); i++) {
            Received r = subscriber.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(r).as("deliveries so far: %s", topics).isNotNull();
            topics.add(r.topic());
        }
        assertThat(topics).containsExactly("linked/qos2", "linked/hooks");
    }

    @Test
    void qos2LinkPublish_undeliverable_pubrec0x90AndConnectionStillServed() throws Exception {
        int code = peer("emqx-eu-node1:msg:0a1b2c3d:q2e-" + clientSeq)
                .qos2PublishThenPing(MSG_TOPIC, vector("message_emqx_topic_not_utf8"));

        assertThat(code).as("PUBREC reason code").isEqualTo(0x90);
    }

    @Test
    void qos2LinkPublish_throughPaho_completesAndDeliversOnceAtQos2() throws Exception {
        assertThat(emqx.tryPublish(MSG_TOPIC, vector("message_emqx_qos2"), 2, null))
                .isZero();

        Received r = subscriber.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(r).isNotNull();
        assertThat(r.topic()).isEqualTo("linked/qos2");
        assertThat(r.message().getQos()).isEqualTo(2);
        assertThat(subscriber.received().poll(300, TimeUnit.MILLISECONDS))
                .as("a duplicate delivery")
                .isNull();
        assertLinkConnectionKept();
    }

    @Test
    void refusals_topicNotUtf8AndMalformedRecords_failurePubackAndLinkConnectionKept() throws Exception {
        long rejectedBefore = metrics().rejected();

        assertThat(emqx.tryPublish(MSG_TOPIC, vector("message_emqx_topic_not_utf8"), 1, null))
                .as("PUBACK for a topic an MQTT broker cannot carry")
                .isEqualTo(0x90);
        assertThat(emqx.tryPublish(MSG_TOPIC, vector("heartbeat"), 1, null))
                .as("PUBACK for a control message on the message topic")
                .isEqualTo(0x83);
        assertThat(emqx.tryPublish(MSG_TOPIC, new byte[] {(byte) 131, 104, 10, 119}, 1, null))
                .as("PUBACK for bytes that are no term")
                .isEqualTo(0x83);
        assertThat(emqx.tryPublish(MSG_TOPIC, vector("message_emqx_qos2"), 2, null))
                .as("PUBREC/PUBCOMP for a good message after the refusals")
                .isZero();

        Received r = subscriber.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(r).isNotNull();
        assertThat(r.topic()).isEqualTo("linked/qos2");
        assertThat(metrics().rejected() - rejectedBefore).isEqualTo(3);
        assertLinkConnectionKept();
    }

    private void assertLinkConnectionKept() throws InterruptedException {
        assertThat(emqx.awaitServerDisconnect(Duration.ofMillis(NO_DISCONNECT_MS)))
                .as("DISCONNECT of the link connection")
                .isEqualTo(MqttTestClient.NO_DISCONNECT);
        assertThat(emqx.isConnected()).as("link connection up").isTrue();
    }

    private static LinkMetrics metrics() {
        return ENGINE.get().metrics(PEER).orElseThrow();
    }

    /** A raw peer on the link listener with the peer cluster's credentials, for what Paho will not send. */
    private static RawSocketPeer peer(String clientId) {
        return new RawSocketPeer("127.0.0.1", linkPort, clientId, PEER_USER, PEER_PASSWORD, (int) WAIT_MS);
    }

    private static byte[] vector(String name) throws IOException {
        return Files.readAllBytes(VECTORS.resolve(name + ".etf"));
    }
}
