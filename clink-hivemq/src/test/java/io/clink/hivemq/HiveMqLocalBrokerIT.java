package io.clink.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.testkit.RecordingHooks;
import io.clink.testkit.RecordingHooks.ConnectionClosed;
import io.clink.testkit.RecordingHooks.Event;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.RecordingHooks.Published;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.RecordingHooks.Unsubscribed;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HiveMQ adapter against a real embedded HiveMQ CE and real Paho clients: every hook fires as the {@code
 * LocalBroker} and {@code ClusterLinkHooks} Javadoc says. One broker serves the class; each test uses its own
 * client ids and topics.
 */
class HiveMqLocalBrokerIT {

    @TempDir
    static Path dir;

    @AutoClose
    private static EmbeddedHiveMq hivemq;

    private static final RecordingHooks HOOKS = new RecordingHooks();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeAll
    static void start() throws Exception {
        hivemq = new EmbeddedHiveMq(dir, EmbeddedHiveMq.attaching(HOOKS));
    }

    @BeforeEach
    void reset() {
        HOOKS.clear();
        HOOKS.linkPublishReasonCode(0);
    }

    @Test
    void subscribe_granted_reportsSubscriptionAfterSuback() throws Exception {
        try (MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "sub-1")) {
            int codes = c.subscribe("site/+/temp", 1);

            assertThat(codes).isEqualTo(1);
            awaitSubscribed("sub-1", "site/+/temp");
        }
    }

    @Test
    void subscribe_shared_reportsAsSent() throws Exception {
        try (MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "sub-shared")) {
            c.subscribe("$share/g/linked/#", 1);

            awaitSubscribed("sub-shared", "$share/g/linked/#");
        }
    }

    @Test
    void subscribe_linkTopicOnDefaultListener_refusedAndNotReported() throws Exception {
        try (MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "sub-link")) {
            int refused = c.trySubscribe("$LINK/#", 1);
            c.subscribe("after/link", 0);

            assertThat(refused).isEqualTo(0x87);
            List<Event> seen = HOOKS.before(awaitSubscribed("sub-link", "after/link"));
            assertThat(seen).noneMatch(e -> topicOf(e).contains("$LINK"));
        }
    }

    @Test
    void unsubscribe_reportsIt() throws Exception {
        try (MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "unsub-1")) {
            c.subscribe("u/1", 1);
            c.unsubscribe("u/1");

            HOOKS.await(
                    Unsubscribed.class,
                    e -> e.clientId().equals("unsub-1") && e.subscription().equals("u/1"),
                    WAIT);
        }
    }

    @Test
    void disconnect_expiryZeroSession_reportsSessionEnd() throws Exception {
        MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "eph-1");
        c.subscribe("a/#", 1);
        awaitSubscribed("eph-1", "a/#");

        c.close();

        HOOKS.await(SessionEnded.class, e -> e.clientId().equals("eph-1"), WAIT);
    }

    @Test
    void disconnect_persistentSession_noSessionEnd() throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        MqttTestClient c = MqttTestClient.connect(hivemq.mqttUri(), "durable-1", o);
        c.subscribe("d/#", 1);
        c.close();
        try (MqttTestClient marker = EmbeddedHiveMq.connect(hivemq.mqttUri(), "marker-1")) {
            marker.subscribe("marker/1", 0);
        }

        List<Event> seen = HOOKS.before(awaitSubscribed("marker-1", "marker/1"));
        assertThat(seen)
                .noneMatch(e -> e instanceof SessionEnded end && end.clientId().equals("durable-1"));
    }

    @Test
    void connect_cleanStartAfterPersistentSession_reportsSessionEnd() throws Exception {
        MqttConnectionOptions persistent = new MqttConnectionOptions();
        persistent.setCleanStart(false);
        persistent.setSessionExpiryInterval(3600L);
        MqttTestClient first = MqttTestClient.connect(hivemq.mqttUri(), "takeover-1", persistent);
        first.subscribe("t/#", 1);
        first.close();
        awaitSubscribed("takeover-1", "t/#");

        try (MqttTestClient again = EmbeddedHiveMq.connect(hivemq.mqttUri(), "takeover-1")) {
            HOOKS.await(SessionEnded.class, e -> e.clientId().equals("takeover-1"), WAIT);
        }
    }

    @Test
    void publish_local_reportsMessageWithPropertiesAndPublisher() throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setUserName("alice");
        try (MqttTestClient c = MqttTestClient.connect(hivemq.mqttUri(), "pub-1", o)) {
            MqttProperties p = new MqttProperties();
            p.setContentType("text/plain");
            p.setMessageExpiryInterval(120L);
            p.setUserProperties(List.of(new UserProperty("k", "v")));
            p.setResponseTopic("reply/here");
            p.setCorrelationData(new byte[] {1, 2, 3});
            p.setPayloadFormat(true);

            c.tryPublish("local/1", "hello".getBytes(StandardCharsets.UTF_8), 1, p);

            MqttMessage m = HOOKS.awaitCount(Published.class, 1, WAIT).get(0).message();
            assertThat(m).isNotNull();
            assertThat(m.topic()).isEqualTo("local/1");
            assertThat(m.payloadBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(m.qos()).isEqualTo(1);
            assertThat(m.retain()).isFalse();
            assertThat(m.publisherClientId()).contains("pub-1");
            assertThat(m.username()).contains("alice");
            assertThat(m.peerHost()).contains("127.0.0.1");
            assertThat(m.protocolVersion()).isEqualTo(MqttMessage.MQTT_5);
            assertThat(m.originCluster()).isEmpty();
            PublishProperties props = m.properties();
            assertThat(props.contentType()).contains("text/plain");
            assertThat(props.messageExpiryIntervalSeconds().orElseThrow()).isBetween(1L, 120L);
            assertThat(props.userProperties()).containsExactly(new io.clink.api.broker.UserProperty("k", "v"));
            assertThat(props.responseTopic()).contains("reply/here");
            assertThat(props.correlationData())
                    .hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
            assertThat(props.payloadFormatIndicator()).hasValue(1);
        }
    }

    @Test
    void deliver_reachesSubscribers_andIsNeverReportedAsLocalPublish() throws Exception {
        try (MqttTestClient sub = EmbeddedHiveMq.connect(hivemq.mqttUri(), "deliver-sub");
                MqttTestClient pub = EmbeddedHiveMq.connect(hivemq.mqttUri(), "deliver-pub")) {
            sub.subscribe("remote/#", 1);
            MqttMessage remote = MqttMessage.builder()
                    .topic("remote/42")
                    .payload("Hello from the other side!".getBytes(StandardCharsets.UTF_8))
                    .qos(1)
                    .properties(PublishProperties.builder()
                            .userProperty("origin", "eu")
                            .contentType("text/x")
                            .build())
                    .originCluster("cluster-eu-west")
                    .timestampMillis(1)
                    .build();

            hivemq.broker().deliver(remote);

            Received r = sub.awaitMessage();
            assertThat(r.topic()).isEqualTo("remote/42");
            assertThat(r.payload()).isEqualTo("Hello from the other side!");
            assertThat(r.message().getQos()).isEqualTo(1);
            assertThat(r.message().getProperties().getContentType()).isEqualTo("text/x");
            assertThat(r.message().getProperties().getUserProperties())
                    .extracting(UserProperty::getKey, UserProperty::getValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("origin", "eu"));
            // A later local publish is reported; the delivered one before it never was.
            pub.tryPublish("sentinel/1", "s".getBytes(StandardCharsets.UTF_8), 1, null);
            List<Event> seen = HOOKS.before(awaitPublished("deliver-pub", "sentinel/1"));
            assertThat(seen).noneMatch(e -> topicOf(e).contains("remote/42"));
        }
    }

    @Test
    void deliver_retained_presentSubscribersPerRetainAsPublishedOneCopyEachNotStored() throws Exception {
        try (MqttTestClient rap = EmbeddedHiveMq.connect(hivemq.mqttUri(), "retained-rap");
                MqttTestClient plain = EmbeddedHiveMq.connect(hivemq.mqttUri(), "retained-plain");
                MqttTestClient overlapping = EmbeddedHiveMq.connect(hivemq.mqttUri(), "retained-overlap")) {
            MqttSubscription keepFlag = new MqttSubscription("retained/#", 1);
            keepFlag.setRetainAsPublished(true);
            rap.paho().subscribe(keepFlag).waitForCompletion(rap.timeout().toMillis());
            plain.subscribe("retained/#", 1);
            overlapping.subscribe("retained/#", 1);
            overlapping.subscribe("retained/+", 0);

            hivemq.broker().deliver(remote("retained/r1", "kept", true));
            hivemq.broker().deliver(remote("retained/sentinel", "s", false));

            Received r = rap.awaitMessage();
            assertThat(r.topic()).isEqualTo("retained/r1");
            assertThat(r.message().isRetained())
                    .as("retain flag under retain-as-published")
                    .isTrue();
            Received p = plain.awaitMessage();
            assertThat(p.topic()).isEqualTo("retained/r1");
            assertThat(p.message().isRetained())
                    .as("retain flag without retain-as-published")
                    .isFalse();
            assertThat(List.of(
                            overlapping.awaitMessage().topic(),
                            overlapping.awaitMessage().topic()))
                    .as("one copy per client for overlapping subscriptions, as HiveMQ's own dispatch")
                    .containsExactly("retained/r1", "retained/sentinel");
            assertThat(rap.awaitMessage().topic()).isEqualTo("retained/sentinel");
            assertThat(plain.awaitMessage().topic()).isEqualTo("retained/sentinel");
        }
        try (MqttTestClient later = EmbeddedHiveMq.connect(hivemq.mqttUri(), "retained-later")) {
            later.subscribe("retained/#", 1);
            hivemq.broker().deliver(remote("retained/sentinel", "s2", false));

            assertThat(later.awaitMessage().topic())
                    .as("no stored copy of retained/r1 before the sentinel")
                    .isEqualTo("retained/sentinel");
            assertThat(later.received().poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    private static MqttMessage remote(String topic, String payload, boolean retain) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .retain(retain)
                .originCluster("other")
                .timestampMillis(1)
                .build();
    }

    @Test
    void linkPublish_onLinkListener_consumedAndAnsweredWithClinksCode() throws Exception {
        HOOKS.linkPublishReasonCode(0x10);
        try (MqttTestClient all = EmbeddedHiveMq.connect(hivemq.mqttUri(), "wildcard-sub");
                MqttTestClient linkSpy = EmbeddedHiveMq.connect(hivemq.linkUri(), "link-spy");
                MqttTestClient link = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-us-east:routesync:0123abcd")) {
            all.subscribe("#", 1);
            linkSpy.subscribe("$LINK/#", 1);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("$LINK/cluster/resp/us/actor");
            p.setCorrelationData("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

            int code = link.tryPublish("$LINK/cluster/route/us", new byte[] {(byte) 131, 106}, 1, p);

            assertThat(code).isEqualTo(0x10);
            LinkPublished lp = HOOKS.awaitCount(LinkPublished.class, 1, WAIT).get(0);
            assertThat(lp).isNotNull();
            assertThat(lp.topic()).isEqualTo("$LINK/cluster/route/us");
            assertThat(lp.payload()).containsExactly(131, 106);
            assertThat(lp.properties().responseTopic()).contains("$LINK/cluster/resp/us/actor");
            assertThat(lp.properties().correlationData())
                    .hasValueSatisfying(d ->
                            assertThat(new String(d, StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef"));
            LinkConnection conn = lp.connection();
            assertThat(conn.clientId()).isEqualTo("clink-us-east:routesync:0123abcd");
            assertThat(conn.listener()).isEqualTo(EmbeddedHiveMq.LINK_LISTENER);
            assertThat(conn.peerHost()).isEqualTo("127.0.0.1");
            // Neither subscriber ever sees link traffic: everything "#" gets up to a later ordinary message (retained
            // messages of other tests included) is ordinary.
            link.tryPublish("plain/after", "p".getBytes(StandardCharsets.UTF_8), 1, null);
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < 100 && !topics.contains("plain/after"); i++) {
                topics.add(all.awaitMessage().topic());
            }
            assertThat(topics).contains("plain/after").noneMatch(t -> t.startsWith("$"));
            assertThat(linkSpy.received().poll(500, TimeUnit.MILLISECONDS)).isNull();
            assertThat(HOOKS.events(Published.class))
                    .noneMatch(e -> e.message().topic().contains("$LINK"));

            link.close();
            LinkConnection closed =
                    HOOKS.awaitCount(ConnectionClosed.class, 1, WAIT).get(0).connection();
            assertThat(closed).isEqualTo(conn);
        }
    }

    @Test
    void linkPublish_errorCode_isReturnedInPuback() throws Exception {
        HOOKS.linkPublishReasonCode(0x80);
        try (MqttTestClient link = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-x:msg:00000000:1")) {
            int code = link.tryPublish("$LINK/cluster/msg/x", "m".getBytes(StandardCharsets.UTF_8), 1, null);

            assertThat(code).isEqualTo(0x80);
        }
    }

    @Test
    void linkPublish_qos2_consumedOnceWithClinksCodeInPubrecAndFlowCompleted() throws Exception {
        // EMQX 5.8-6.0.2, 6.1.0-6.1.1 and 6.2.0 forward a QoS 2 message at QoS 2 on the link.
        for (int clinkCode : new int[] {0x00, 0x10}) {
            HOOKS.clear();
            HOOKS.linkPublishReasonCode(clinkCode);
            try (MqttTestClient link = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-q2:msg:22222222:" + clinkCode)) {
                int code =
                        link.tryPublish("$LINK/cluster/msg/q2", new byte[] {(byte) 131, 106}, 2, new MqttProperties());

                assertThat(code)
                        .as("acknowledgement for clink's 0x%02X", clinkCode)
                        .isIn(0x00, clinkCode);
                LinkPublished lp =
                        HOOKS.awaitCount(LinkPublished.class, 1, WAIT).get(0);
                assertThat(lp).isNotNull();
                assertThat(lp.topic()).isEqualTo("$LINK/cluster/msg/q2");
                // The exchange is complete (PUBREL answered): a following QoS 2 publish goes through as well.
                assertThat(link.tryPublish(
                                "$LINK/cluster/msg/q2", new byte[] {(byte) 131, 106}, 2, new MqttProperties()))
                        .isIn(0x00, clinkCode);
                assertThat(HOOKS.awaitCount(LinkPublished.class, 2, WAIT)).hasSize(2);
                assertThat(HOOKS.waitFor(LinkPublished.class, l -> l.size() > 2, Duration.ofMillis(300)))
                        .as("a third call")
                        .isFalse();
                assertThat(link.awaitServerDisconnect(Duration.ZERO)).isEqualTo(MqttTestClient.NO_DISCONNECT);
                assertThat(link.isConnected()).isTrue();
            }
        }
    }

    @Test
    void linkPublish_qos2ErrorCode_isReturnedInPubrec() throws Exception {
        HOOKS.linkPublishReasonCode(0x90);
        try (MqttTestClient link = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-q2e:msg:33333333:1")) {
            int code = link.tryPublish("$LINK/cluster/msg/q2e", new byte[] {(byte) 131, 106}, 2, new MqttProperties());

            // A PUBREC of 0x80 or more ends the exchange (MQTT-4.3.3); Paho then drops its own connection, which is
            // the client's choice: clink-broker's EmqxInteropIT shows over a raw socket that the broker keeps it.
            assertThat(code).isEqualTo(0x90);
            assertThat(HOOKS.awaitCount(LinkPublished.class, 1, WAIT)).hasSize(1);
            assertThat(HOOKS.waitFor(LinkPublished.class, l -> l.size() > 1, Duration.ofMillis(300)))
                    .as("a second call")
                    .isFalse();
        }
    }

    @Test
    void linkPublish_onDefaultListener_refusedAndNeverReported() throws Exception {
        try (MqttTestClient intruder = EmbeddedHiveMq.connect(hivemq.mqttUri(), "intruder-1")) {
            int code = intruder.tryPublish("$LINK/cluster/route/x", "forged".getBytes(StandardCharsets.UTF_8), 1, null);
            intruder.tryPublish("intruder/after", "a".getBytes(StandardCharsets.UTF_8), 1, null);

            assertThat(code).isEqualTo(0x87);
            List<Event> seen = HOOKS.before(awaitPublished("intruder-1", "intruder/after"));
            assertThat(seen).noneMatch(e -> e instanceof LinkPublished);
            assertThat(HOOKS.events(LinkPublished.class)).isEmpty();
        }
    }

    @Test
    void reply_reachesOnlyTheAskingClient() throws Exception {
        try (MqttTestClient actor = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-r:routesync:11111111");
                MqttTestClient other = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-r2:routesync:22222222")) {
            actor.subscribe("$LINK/cluster/resp/r/actor-1", 1);
            other.subscribe("$LINK/cluster/resp/r/#", 1);
            actor.tryPublish("$LINK/cluster/route/r", "init".getBytes(StandardCharsets.UTF_8), 1, null);
            LinkConnection conn =
                    HOOKS.awaitCount(LinkPublished.class, 1, WAIT).get(0).connection();
            MqttMessage ack = MqttMessage.builder()
                    .topic("$LINK/cluster/resp/r/actor-1")
                    .payload(new byte[] {(byte) 131, 106})
                    .qos(1)
                    .properties(PublishProperties.builder()
                            .correlationData(new byte[] {9, 9})
                            .build())
                    .timestampMillis(1)
                    .build();

            hivemq.broker().reply(conn, ack);

            Received r = actor.awaitMessage();
            assertThat(r.topic()).isEqualTo("$LINK/cluster/resp/r/actor-1");
            assertThat(r.message().getPayload()).containsExactly(131, 106);
            assertThat(r.message().getProperties().getCorrelationData()).containsExactly(9, 9);
            assertThat(other.received().poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void disconnect_linkConnection_closesItWithReasonCode() throws Exception {
        try (MqttTestClient link = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-d:routesync:33333333")) {
            link.tryPublish("$LINK/cluster/route/d", "x".getBytes(StandardCharsets.UTF_8), 1, null);
            LinkConnection conn =
                    HOOKS.awaitCount(LinkPublished.class, 1, WAIT).get(0).connection();

            hivemq.broker().disconnect(conn, 0x83, "protocol error");

            assertThat(link.awaitServerDisconnect()).isEqualTo(0x83);
            assertThat(HOOKS.awaitCount(ConnectionClosed.class, 1, WAIT).get(0).connection())
                    .isEqualTo(conn);
        }
    }

    @Test
    void disconnect_staleConnection_leavesNewerConnectionOfSameClientIdAlone() throws Exception {
        MqttTestClient first = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-s:routesync:44444444");
        first.tryPublish("$LINK/cluster/route/s", "x".getBytes(StandardCharsets.UTF_8), 1, null);
        LinkConnection old =
                HOOKS.awaitCount(LinkPublished.class, 1, WAIT).get(0).connection();
        try (MqttTestClient second = EmbeddedHiveMq.connect(hivemq.linkUri(), "clink-s:routesync:44444444")) {
            first.awaitServerDisconnect();
            second.tryPublish("$LINK/cluster/route/s", "y".getBytes(StandardCharsets.UTF_8), 1, null);
            LinkConnection current =
                    HOOKS.awaitCount(LinkPublished.class, 2, WAIT).get(1).connection();
            assertThat(current.connectionId()).isNotEqualTo(old.connectionId());

            hivemq.broker().disconnect(old, 0x83, "stale");

            assertThat(second.tryPublish("$LINK/cluster/route/s", "z".getBytes(StandardCharsets.UTF_8), 1, null))
                    .isEqualTo(0);
            assertThat(second.isConnected()).isTrue();
        } finally {
            first.closeQuietly();
        }
    }

    @Test
    void forEachSubscription_listsPlainAndSharedButNotLinkSubscriptions() throws Exception {
        try (MqttTestClient a = EmbeddedHiveMq.connect(hivemq.mqttUri(), "list-a");
                MqttTestClient b = EmbeddedHiveMq.connect(hivemq.mqttUri(), "list-b");
                MqttTestClient l = EmbeddedHiveMq.connect(hivemq.linkUri(), "list-link")) {
            a.subscribe("list/a/#", 1);
            b.subscribe("$share/grp/list/b", 0);
            l.subscribe("$LINK/cluster/resp/list/x", 1);

            List<LocalSubscription> all = new ArrayList<>();
            hivemq.broker().forEachSubscription(all::add);

            assertThat(all)
                    .contains(
                            new LocalSubscription("list-a", "list/a/#"),
                            new LocalSubscription("list-b", "$share/grp/list/b"));
            assertThat(all).noneMatch(s -> s.subscription().startsWith("$LINK"));
        }
    }

    private static Subscribed awaitSubscribed(String clientId, String subscription) throws InterruptedException {
        return HOOKS.await(
                Subscribed.class,
                e -> e.clientId().equals(clientId) && e.subscription().equals(subscription),
                WAIT);
    }

    private static Published awaitPublished(String publisher, String topic) throws InterruptedException {
        return HOOKS.await(
                Published.class,
                e -> e.message().publisherClientId().orElse("?").equals(publisher)
                        && e.message().topic().equals(topic),
                WAIT);
    }

    /** The topic or subscription a hook call names, or "" for one that names none. */
    private static String topicOf(Event e) {
        if (e instanceof Subscribed sub) {
            return sub.subscription();
        }
        if (e instanceof Unsubscribed unsub) {
            return unsub.subscription();
        }
        if (e instanceof Published pub) {
            return pub.message().topic();
        }
        if (e instanceof LinkPublished link) {
            return link.topic();
        }
        return "";
    }
}
