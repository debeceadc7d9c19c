package io.clink.artemis;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import io.clink.testkit.Await;
import io.clink.testkit.RecordingHooks;
import io.clink.testkit.RecordingHooks.ConnectionClosed;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.RecordingHooks.Published;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract suite does not check on the Artemis adapter: retained messages, shared groups under load, the
 * link acceptor restriction, MQTT 3.1.1 clients, session-end reports, QoS 2 link publishes and keepalive of link-only
 * connections. One embedded Artemis serves every test; each test attaches fresh hooks and uses its own client ids.
 */
class ArtemisLocalBrokerIT {

    private static final Duration SETTLE = Duration.ofMillis(500);
    private static EmbeddedArtemis artemis;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RecordingHooks hooks;

    @BeforeAll
    static void startArtemis() throws Exception {
        artemis = new EmbeddedArtemis();
    }

    @AfterAll
    static void stopArtemis() throws Exception {
        artemis.close();
    }

    @BeforeEach
    void attach() {
        hooks = new RecordingHooks();
        artemis.broker.attach(hooks);
    }

    @AfterEach
    void detach() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // Already closed by the test.
            }
        }
        artemis.broker.detach();
    }

    @Test
    void deliver_retainedMessages_reachPresentSubscribersAndNeverTheRetainedStore() throws Exception {
        MqttTestClient publisher = client(artemis.mqttUri(), "it-ret-pub", 0L);
        publisher.publish("it/ret/t", "local".getBytes(StandardCharsets.UTF_8), 1, true, null);
        MqttTestClient present = client(artemis.mqttUri(), "it-ret-present", 0L);
        present.subscribe("it/ret/t", 1);
        assertThat(present.awaitMessage().payload()).isEqualTo("local");

        artemis.broker.deliver(message("it/ret/t", "remote", true));
        artemis.broker.deliver(message("it/ret/t", "", true));

        assertThat(present.awaitMessage().payload()).isEqualTo("remote");
        assertThat(present.awaitMessage().payload()).isEmpty();
        MqttTestClient later = client(artemis.mqttUri(), "it-ret-later", 0L);
        later.subscribe("it/ret/t", 1);
        assertThat(later.awaitMessage().payload())
                .as("the local retained message stays: a forwarded one neither replaces nor deletes it")
                .isEqualTo("local");
        Thread.sleep(SETTLE.toMillis());
        assertThat(later.received()).isEmpty();
    }

    @Test
    void deliver_sharedGroupOfTwo_eachMessageReachesExactlyOneMember() throws Exception {
        MqttTestClient a = client(artemis.mqttUri(), "it-share-a", 0L);
        MqttTestClient b = client(artemis.mqttUri(), "it-share-b", 0L);
        a.subscribe("$share/g/it/share/#", 1);
        b.subscribe("$share/g/it/share/#", 1);
        int n = 20;

        for (int i = 0; i < n; i++) {
            artemis.broker.deliver(message("it/share/x", "m" + i, false));
        }

        Await.until(
                "all " + n + " messages received by the group",
                () -> a.received().size() + b.received().size() >= n);
        Thread.sleep(SETTLE.toMillis());
        List<String> all = new ArrayList<>();
        a.received().forEach(r -> all.add(r.payload()));
        b.received().forEach(r -> all.add(r.payload()));
        assertThat(all).hasSize(n).doesNotHaveDuplicates();
    }

    @Test
    void linkTopics_onDefaultAcceptor_subscribeAndPublishRefusedAndNeverReported() throws Exception {
        MqttTestClient plain = client(artemis.mqttUri(), "it-nolink", 0L);
        MqttTestClient all = client(artemis.mqttUri(), "it-nolink-all", 0L);
        all.subscribe("#", 1);

        assertThat(plain.trySubscribe("$LINK/#", 1)).isEqualTo(ReasonCodes.NOT_AUTHORIZED);
        assertThat(plain.tryPublish("$LINK/cluster/route/x", new byte[] {1}, 1, null))
                .isEqualTo(ReasonCodes.NOT_AUTHORIZED);
        plain.publish("it/nolink/sentinel", "s", 1);

        Await.until(
                "the sentinel reported",
                () -> hooks.any(Published.class, p -> p.message().topic().equals("it/nolink/sentinel")));
        assertThat(hooks.events(LinkPublished.class)).isEmpty();
        assertThat(hooks.events(Subscribed.class))
                .noneMatch(s -> s.subscription().startsWith("$LINK"));
        // One publisher's messages arrive in order: had the $LINK publish been delivered, it would come first.
        assertThat(all.awaitMessage().topic()).isEqualTo("it/nolink/sentinel");
    }

    @Test
    void mqtt311Client_subscribePublishReceiveAndDisconnect_reportedLikeMqtt5() throws Exception {
        RawMqttClient v3 = new RawMqttClient(artemis.mqttPort, "it-v3", true, 60);
        opened.add(v3);

        assertThat(v3.subscribe("it/v3/+/t", 1)).isEqualTo(1);
        assertThat(v3.subscribe("$LINK/#", 1)).isEqualTo(0x80);
        Await.until(
                "onSubscribe of the 3.1.1 client",
                () -> hooks.any(
                        Subscribed.class,
                        s -> s.clientId().equals("it-v3") && s.subscription().equals("it/v3/+/t")));
        v3.publish("it/v3/a/t", "from-v3", 1);
        assertThat(v3.awaitPublishPayload()).isEqualTo("from-v3");
        Await.until(
                "onPublish of the 3.1.1 client",
                () -> hooks.any(Published.class, p -> p.message().topic().equals("it/v3/a/t")));
        MqttMessage reported = hooks.events(Published.class).stream()
                .filter(p -> p.message().topic().equals("it/v3/a/t"))
                .findFirst()
                .orElseThrow()
                .message();
        assertThat(reported.protocolVersion()).isEqualTo(MqttMessage.MQTT_3_1_1);
        assertThat(reported.publisherClientId()).contains("it-v3");
        artemis.broker.deliver(message("it/v3/b/t", "from-clink", false));
        assertThat(v3.awaitPublishPayload()).isEqualTo("from-clink");
        int endsBefore = sessionEnds("it-v3");

        v3.disconnect();

        Await.until("onSessionEnd when the clean session closes", () -> sessionEnds("it-v3") == endsBefore + 1);
        assertThat(hooks.events(Subscribed.class))
                .noneMatch(s -> s.subscription().startsWith("$LINK"));
    }

    @Test
    void mqtt311LinkClient_failureCode_connectionClosedInsteadOfPositiveAck() throws Exception {
        hooks.linkPublishReasonCode(ReasonCodes.NOT_AUTHORIZED);
        RawMqttClient v3 = new RawMqttClient(artemis.linkPort, "it-v3-link", true, 60);
        opened.add(v3);

        v3.publishNoWait("$LINK/cluster/route/x", "r", 1);

        assertThat(v3.closedByServer()).isTrue();
        assertThat(hooks.events(LinkPublished.class)).hasSize(1);
    }

    @Test
    void topicAliases_localAndLinkPublishes_resolvedBeforeReportingAndConsuming() throws Exception {
        RawMqttClient plain = new RawMqttClient(artemis.mqttPort, "it-alias", true, 60, 5);
        opened.add(plain);
        RawMqttClient link = new RawMqttClient(artemis.linkPort, "it-alias-link", true, 60, 5);
        opened.add(link);
        MqttTestClient all = client(artemis.linkUri(), "it-alias-all", 0L);
        all.subscribe("#", 1);
        all.subscribe("$LINK/#", 1);

        assertThat(plain.publishWithAlias("it/alias/t", 1, "set")).isLessThan(0x80);
        assertThat(plain.publishWithAlias("", 1, "used")).isLessThan(0x80);
        assertThat(link.publishWithAlias("$LINK/cluster/heartbeat/x", 1, "set")).isEqualTo(ReasonCodes.SUCCESS);
        assertThat(link.publishWithAlias("", 1, "used")).isEqualTo(ReasonCodes.SUCCESS);

        Await.until(
                "both local publishes reported",
                () -> hooks.events(Published.class).stream()
                                .filter(p -> p.message().topic().equals("it/alias/t"))
                                .count()
                        == 2);
        assertThat(hooks.events(LinkPublished.class))
                .extracting(LinkPublished::topic)
                .containsExactly("$LINK/cluster/heartbeat/x", "$LINK/cluster/heartbeat/x");
        assertThat(all.awaitMessages(2)).extracting(r -> r.topic()).containsOnly("it/alias/t");
        Thread.sleep(SETTLE.toMillis());
        assertThat(all.received()).as("no $LINK publish delivered").isEmpty();
    }

    @Test
    void topicAlias_outsideGrantedRange_connectionClosedAndNothingReported() throws Exception {
        RawMqttClient link = new RawMqttClient(artemis.linkPort, "it-alias-bad", true, 60, 5);
        opened.add(link);

        // Artemis grants aliases 1..65535 by default, so 0 is the one alias always outside the range.
        link.publishNoWaitWithAlias("$LINK/cluster/heartbeat/x", 0, "x");

        assertThat(link.closedByServer()).isTrue();
        assertThat(hooks.events(LinkPublished.class)).isEmpty();
    }

    @Test
    void mqtt311Client_linkPublishOnDefaultAcceptor_closedAndNeverReported() throws Exception {
        RawMqttClient v3 = new RawMqttClient(artemis.mqttPort, "it-v3-nolink", true, 60);
        opened.add(v3);

        v3.publishNoWait("$LINK/cluster/route/x", "r", 1);

        assertThat(v3.closedByServer()).isTrue();
        assertThat(hooks.events(LinkPublished.class)).isEmpty();
    }

    @Test
    void serverAssignedClientId_subscribeAndClose_reportedUnderTheAssignedId() throws Exception {
        RawMqttClient anonymous = new RawMqttClient(artemis.mqttPort, "", true, 60, 5);
        opened.add(anonymous);

        assertThat(anonymous.subscribe("it/assigned/#", 1)).isEqualTo(1);

        Await.until(
                "onSubscribe under the assigned client id",
                () -> hooks.any(Subscribed.class, s -> s.subscription().equals("it/assigned/#")));
        String assigned = hooks.events(Subscribed.class).stream()
                .filter(s -> s.subscription().equals("it/assigned/#"))
                .findFirst()
                .orElseThrow()
                .clientId();
        assertThat(assigned).isNotEmpty();
        anonymous.disconnect();
        Await.until("onSessionEnd of the assigned client id at close", () -> sessionEnds(assigned) == 2);
    }

    @Test
    void sessionEnd_persistentSession_reportedNeitherAtConnectNorAtClose() throws Exception {
        MqttTestClient c = client(artemis.mqttUri(), "it-persist", 300L, false);
        c.subscribe("it/persist/#", 1);
        c.close();
        Thread.sleep(SETTLE.toMillis());

        assertThat(sessionEnds("it-persist")).isZero();
        assertThat(subscriptionsOf("it-persist")).containsExactly("it/persist/#");

        MqttTestClient again = client(artemis.mqttUri(), "it-persist", 0L, true);
        Await.until("the clean start reported at CONNECT", () -> sessionEnds("it-persist") == 1);
        again.close();
        Await.until("expiry 0 ends the session at close", () -> sessionEnds("it-persist") == 2);
        assertThat(subscriptionsOf("it-persist")).isEmpty();
    }

    @Test
    void sessionEnd_cleanStartWithExpiry_reportedAtConnectOnlyNotAtClose() throws Exception {
        MqttTestClient c = client(artemis.mqttUri(), "it-cs-expiry", 300L, true);
        Await.until("the clean start reported at CONNECT", () -> sessionEnds("it-cs-expiry") == 1);

        c.close();
        Thread.sleep(SETTLE.toMillis());

        assertThat(sessionEnds("it-cs-expiry")).isEqualTo(1);
    }

    @Test
    void sessionEnd_takenOverByNewConnection_notReportedForTheOldOne() throws Exception {
        MqttTestClient first = client(artemis.mqttUri(), "it-takeover", 0L, false);
        first.subscribe("it/takeover/#", 1);
        MqttTestClient second = client(artemis.mqttUri(), "it-takeover", 0L, false);
        Await.until("the first connection is taken over", () -> !first.isConnected());
        Thread.sleep(SETTLE.toMillis());

        assertThat(sessionEnds("it-takeover")).isZero();

        second.close();
        Await.until("the session ends with its current connection", () -> sessionEnds("it-takeover") == 1);
    }

    @Test
    void reply_twoConnectionsOnTheResponseTopic_onlyTheAskingOneReceives() throws Exception {
        String responseTopic = "$LINK/cluster/response/it";
        hooks.onLinkPublish((connection, topic, payload, properties) -> {
            artemis.broker.reply(
                    connection,
                    io.clink.api.broker.MqttMessage.builder()
                            .topic(responseTopic)
                            .payload(payload)
                            .qos(1)
                            .timestampMillis(System.currentTimeMillis())
                            .build());
            return ReasonCodes.SUCCESS;
        });
        MqttTestClient asking = client(artemis.linkUri(), "it-reply-asking", 0L);
        MqttTestClient other = client(artemis.linkUri(), "it-reply-other", 0L);
        asking.subscribe(responseTopic, 1);
        other.subscribe("$LINK/cluster/response/+", 1);

        asking.publish("$LINK/cluster/route/it", new byte[] {42}, 1, null);

        assertThat(asking.awaitMessage().payloadBytes()).containsExactly(42);
        Thread.sleep(SETTLE.toMillis());
        assertThat(other.received())
                .as("another subscriber of the response topic")
                .isEmpty();
    }

    @Test
    void linkPublish_qos2_handedToClinkOnceAndCompleted() throws Exception {
        hooks.linkPublishReasonCode(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        MqttTestClient link = client(artemis.linkUri(), "it-link-qos2", 0L);

        int code = link.publish("$LINK/cluster/msg/x", new byte[] {7}, 2, null);
        link.publish("$LINK/cluster/msg/x", new byte[] {8}, 2, null);

        assertThat(code).isEqualTo(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        assertThat(hooks.events(LinkPublished.class))
                .extracting(l -> l.payload()[0])
                .containsExactly((byte) 7, (byte) 8);
    }

    @Test
    void linkOnlyConnection_pastItsKeepalive_staysConnected() throws Exception {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSessionExpiryInterval(0L);
        o.setKeepAliveInterval(2);
        MqttTestClient link = MqttTestClient.connect(artemis.linkUri(), "it-link-alive", o, Duration.ofSeconds(10));
        opened.add(link::closeQuietly);

        // Artemis allows 1.5 keepalives (3 s) without a packet it saw, checked every 2 s: 8 s covers two checks.
        for (int i = 0; i < 16; i++) {
            assertThat(link.publish("$LINK/cluster/heartbeat/x", new byte[] {(byte) i}, 1, null))
                    .isEqualTo(ReasonCodes.SUCCESS);
            Thread.sleep(500);
        }

        assertThat(link.isConnected()).isTrue();
        assertThat(hooks.events(ConnectionClosed.class)).isEmpty();
        assertThat(hooks.events(LinkPublished.class)).hasSize(16);
    }

    @Test
    void deliver_anyMessage_routedAsMulticastLikeAnMqttPublish() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ActiveMQServerMessagePlugin probe = new ActiveMQServerMessagePlugin() {
            @Override
            public void beforeMessageRoute(
                    Message m, RoutingContext context, boolean direct, boolean rejectDuplicates) {
                if (m.getAddress().startsWith("it.multicast")) {
                    seen.add(m.getAddress() + " " + m.getRoutingType());
                }
            }
        };
        artemis.server.registerBrokerPlugin(probe);
        try {
            MqttTestClient publisher = client(artemis.mqttUri(), "it-multicast-pub", 0L);
            publisher.publish("it/multicast/local", "a".getBytes(StandardCharsets.UTF_8), 1, false, null);
            artemis.broker.deliver(message("it/multicast/remote", "b", false));

            // The cluster connection's load balancing treats remote bindings by routing type; both must match.
            Await.until("both messages routed", () -> seen.size() == 2);
            assertThat(seen).containsExactlyInAnyOrder("it.multicast.local MULTICAST", "it.multicast.remote MULTICAST");
        } finally {
            artemis.server.unRegisterBrokerPlugin(probe);
        }
    }

    @Test
    void droppedDeliveries_messageExpiredInAQueue_countedOnceAndDeliveredMessagesNot() throws Exception {
        long before = artemis.broker.droppedDeliveries().orElseThrow();
        MqttTestClient sub = client(artemis.mqttUri(), "it-drop-sub", 300L, true);
        sub.subscribe("it/drop/#", 1);
        MqttTestClient publisher = client(artemis.mqttUri(), "it-drop-pub", 0L);
        publisher.publish("it/drop/delivered", "kept".getBytes(StandardCharsets.UTF_8), 1, null);
        assertThat(sub.awaitMessage().payload()).isEqualTo("kept");
        sub.close();

        MqttProperties shortLived = new MqttProperties();
        shortLived.setMessageExpiryInterval(1L);
        publisher.publish("it/drop/expires", "stale".getBytes(StandardCharsets.UTF_8), 1, shortLived);
        publisher.publish("it/drop/stays", "fresh".getBytes(StandardCharsets.UTF_8), 1, null);
        Thread.sleep(1_500); // past the message's expiry interval, while it waits in the offline session's queue
        MqttTestClient again = client(artemis.mqttUri(), "it-drop-sub", 300L, false);

        // Artemis expires the message when it would deliver it: the fresh one arrives, the stale one is counted.
        assertThat(again.awaitMessage().payload()).isEqualTo("fresh");
        Await.until(
                "the expired message is counted",
                () -> artemis.broker.droppedDeliveries().orElseThrow() > before);
        assertThat(artemis.broker.droppedDeliveries()).hasValue(before + 1);
        assertThat(again.received()).isEmpty();
    }

    private MqttTestClient client(String uri, String clientId, long expiry) throws Exception {
        return client(uri, clientId, expiry, true);
    }

    private MqttTestClient client(String uri, String clientId, long expiry, boolean cleanStart) throws Exception {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSessionExpiryInterval(expiry);
        o.setCleanStart(cleanStart);
        MqttTestClient c = MqttTestClient.connect(uri, clientId, o, Duration.ofSeconds(10));
        opened.add(c::closeQuietly);
        return c;
    }

    private int sessionEnds(String clientId) {
        return (int) hooks.events(SessionEnded.class).stream()
                .filter(e -> e.clientId().equals(clientId))
                .count();
    }

    private Set<String> subscriptionsOf(String clientId) {
        Set<String> out = new HashSet<>();
        artemis.broker.forEachSubscription(s -> {
            if (s.clientId().equals(clientId)) {
                out.add(s.subscription());
            }
        });
        return out;
    }

    private static MqttMessage message(String topic, String payload, boolean retain) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .retain(retain)
                .originCluster("remote")
                .timestampMillis(System.currentTimeMillis())
                .build();
    }
}
