package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import io.clink.testkit.FakeLocalBroker.Delivery;
import io.clink.testkit.FakeLocalBroker.Source;
import io.clink.testkit.RecordingHooks.Published;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.RecordingHooks.Unsubscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeLocalBrokerTest {

    private final FakeLocalBroker broker = new FakeLocalBroker();
    private final RecordingHooks hooks = new RecordingHooks();

    FakeLocalBrokerTest() {
        broker.attach(hooks);
    }

    private static MqttMessage message(String topic, String payload, int qos) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(qos)
                .timestampMillis(1)
                .originCluster("remote")
                .build();
    }

    @Test
    void subscribe_reportsAsSentAfterGrant() {
        FakeBrokerClient c = broker.connect("c1");

        assertEquals(1, c.subscribe("a/+"));
        assertEquals(0, c.subscribe("$share/g/b/#", 0));
        assertEquals(2, c.subscribe("$queue/q", 2));

        assertEquals(
                List.of("a/+", "$share/g/b/#", "$queue/q"),
                hooks.events(Subscribed.class).stream()
                        .map(Subscribed::subscription)
                        .toList());
        assertEquals(
                List.of(
                        new LocalSubscription("c1", "a/+"),
                        new LocalSubscription("c1", "$share/g/b/#"),
                        new LocalSubscription("c1", "$queue/q")),
                broker.subscriptions());
    }

    @Test
    void subscribe_invalid_refusedWithoutReport() {
        FakeBrokerClient c = broker.connect("c1");
        assertEquals(0x8F, c.subscribe("a/#/b"));
        assertEquals(0x8F, c.subscribe("$share/g"));
        assertTrue(hooks.events().isEmpty());
    }

    @Test
    void unsubscribe_reportsOnlyExisting() {
        FakeBrokerClient c = broker.connect("c1");
        c.subscribe("a");

        assertTrue(c.unsubscribe("a"));
        assertFalse(c.unsubscribe("a"));

        assertEquals(1, hooks.events(Unsubscribed.class).size());
        assertTrue(broker.subscriptions().isEmpty());
    }

    @Test
    void disconnect_cleanStart_endsSession_persistentKeepsItUntilExpiry() {
        FakeBrokerClient clean = broker.connect("clean");
        clean.subscribe("a");
        FakeBrokerClient durable = broker.connect("durable", false);
        durable.subscribe("b");

        clean.disconnect();
        durable.disconnect();

        assertEquals(
                List.of("clean"),
                hooks.events(SessionEnded.class).stream()
                        .map(SessionEnded::clientId)
                        .toList());
        assertEquals(List.of(new LocalSubscription("durable", "b")), broker.subscriptions());
        assertTrue(broker.expireSession("durable"));
        assertTrue(broker.subscriptions().isEmpty());
        assertEquals(2, hooks.events(SessionEnded.class).size());
    }

    @Test
    void connect_cleanStartOverExistingSession_endsOldSession() {
        FakeBrokerClient old = broker.connect("c", false);
        old.subscribe("a");

        FakeBrokerClient fresh = broker.connect("c", true);

        assertFalse(old.isConnected());
        assertTrue(fresh.isConnected());
        assertEquals(1, hooks.events(SessionEnded.class).size());
        assertTrue(broker.subscriptions().isEmpty());
        assertThrows(IllegalStateException.class, () -> old.subscribe("x"));
    }

    @Test
    void loseEvents_removalsHappenButAreNotReported() {
        broker.loseUnsubscribeEvents(true).loseSessionEndEvents(true);
        FakeBrokerClient c = broker.connect("c");
        c.subscribe("a");
        c.subscribe("b");

        c.unsubscribe("a");
        c.disconnect();

        assertTrue(broker.subscriptions().isEmpty());
        assertTrue(hooks.events(Unsubscribed.class).isEmpty());
        assertTrue(hooks.events(SessionEnded.class).isEmpty());
    }

    @Test
    void publish_local_reportsOnPublishAndDelivers() {
        FakeBrokerClient sub = broker.connect("sub");
        sub.subscribe("t/#", 1);
        FakeBrokerClient pub = broker.connect("pub");

        assertEquals(ReasonCodes.SUCCESS, pub.publish("t/1", "hello"));
        assertEquals(ReasonCodes.NO_MATCHING_SUBSCRIBERS, pub.publish("other", "x"));

        MqttMessage reported = hooks.events(Published.class).get(0).message();
        assertEquals("pub", reported.publisherClientId().orElseThrow());
        Delivery d = sub.deliveries().get(0);
        assertEquals("hello", d.payloadUtf8());
        assertEquals(Source.LOCAL_PUBLISH, d.source());
        assertEquals(1, sub.deliveries().size());
    }

    @Test
    void publish_linkTopic_goesToOnLinkPublishOnlyAndAnswersItsCode() {
        hooks.linkPublishReasonCode(0x87);
        FakeBrokerClient all = broker.connect("all");
        all.subscribe("#");
        all.subscribe("$LINK/#");
        FakeBrokerClient link = broker.connect("link");

        assertEquals(0x87, link.publish("$LINK/cluster/route/x", "p"));

        assertTrue(all.deliveries().isEmpty());
        assertTrue(hooks.events(Published.class).isEmpty());
        link.disconnect();
        assertTrue(hooks.any(
                RecordingHooks.ConnectionClosed.class, e -> e.connection().equals(link.connection())));
    }

    @Test
    void deliver_reachesSubscribersWithoutOnPublish() {
        FakeBrokerClient c = broker.connect("c");
        c.subscribe("t/+", 0);

        broker.deliver(message("t/1", "from afar", 1));

        Delivery d = c.deliveries().get(0);
        assertEquals(0, d.qos());
        assertEquals("remote", d.originCluster().orElseThrow());
        assertEquals(Source.DELIVER, d.source());
        assertTrue(hooks.events(Published.class).isEmpty());
        assertEquals(1, broker.delivered().size());
    }

    @Test
    void deliver_sharedGroup_oneMemberPerGroupRoundRobin() {
        FakeBrokerClient a = broker.connect("a");
        FakeBrokerClient b = broker.connect("b");
        FakeBrokerClient q = broker.connect("q");
        a.subscribe("$share/g/s/#");
        b.subscribe("$share/g/s/#");
        q.subscribe("$queue/s/#");
        FakeBrokerClient plain = broker.connect("plain");
        plain.subscribe("s/1");
        plain.subscribe("s/+");

        for (int i = 0; i < 4; i++) {
            broker.deliver(message("s/1", "m" + i, 1));
        }

        assertEquals(
                List.of("m0", "m2"),
                a.deliveries().stream().map(Delivery::payloadUtf8).toList());
        assertEquals(
                List.of("m1", "m3"),
                b.deliveries().stream().map(Delivery::payloadUtf8).toList());
        assertEquals(4, q.deliveries().size());
        assertEquals(4, plain.deliveries().size(), "one copy per client for overlapping plain subscriptions");
    }

    @Test
    void retained_storedAndSentToNewPlainSubscriptionsOnly() {
        broker.connect("owner").publish("r/1", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
        FakeBrokerClient c = broker.connect("c");
        c.subscribe("$share/g/r/#");
        c.subscribe("r/#");

        List<Delivery> ds = c.deliveries();
        assertEquals(1, ds.size());
        assertEquals(Source.RETAINED, ds.get(0).source());
        assertTrue(ds.get(0).retain());
        assertTrue(broker.retained("r/1").isPresent());
    }

    @Test
    void deliver_retainedMessage_reachesPresentSubscribersButIsNeitherStoredNorDeleting() {
        broker.connect("owner").publish("r/1", "local".getBytes(StandardCharsets.UTF_8), 1, true);
        FakeBrokerClient present = broker.connect("present");
        present.subscribe("r/#");
        present.clearDeliveries();

        broker.deliver(message("r/1", "remote", 1).toBuilder().retain(true).build());
        broker.deliver(message("r/1", "", 1).toBuilder().retain(true).build());
        broker.deliver(message("r/2", "remote only", 1).toBuilder().retain(true).build());

        assertEquals(
                List.of("remote", "", "remote only"),
                present.deliveries().stream().map(Delivery::payloadUtf8).toList());
        assertEquals("local", new String(broker.retained("r/1").orElseThrow().payloadBytes(), StandardCharsets.UTF_8));
        assertTrue(broker.retained("r/2").isEmpty());
        FakeBrokerClient later = broker.connect("later");
        later.subscribe("r/#");
        assertEquals(
                List.of("local"),
                later.deliveries().stream().map(Delivery::payloadUtf8).toList());
    }

    @Test
    void throwFrom_deliver_throwsAndChangesNothing() {
        FakeBrokerClient c = broker.connect("c");
        c.subscribe("#");
        broker.throwFrom(FakeLocalBroker.Operation.DELIVER, true);

        assertThrows(IllegalStateException.class, () -> broker.deliver(message("t", "x", 0)));
        assertTrue(c.deliveries().isEmpty());

        broker.throwFrom(FakeLocalBroker.Operation.DELIVER, false);
        broker.deliver(message("t", "x", 0));
        assertEquals(1, c.deliveries().size());
    }

    @Test
    void throwFrom_forEachSubscription_throws() {
        broker.throwFrom(FakeLocalBroker.Operation.FOR_EACH_SUBSCRIPTION, true);
        List<LocalSubscription> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> broker.forEachSubscription(seen::add));
    }

    @Test
    void throwingHooks_brokerKeepsWorkingAndAnswers0x80() {
        hooks.throwing(true);
        FakeBrokerClient c = broker.connect("c");
        c.subscribe("t");

        assertEquals(ReasonCodes.SUCCESS, c.publish("t", "still delivered"));
        assertEquals(ReasonCodes.UNSPECIFIED_ERROR, c.publish("$LINK/cluster/msg/x", "p"));

        assertEquals(1, c.deliveries().size());
        assertEquals(3, broker.hookFailures().size());
    }

    @Test
    void disconnect_unknownOrGoneConnection_isRecordedAndHarmless() {
        FakeBrokerClient c = broker.connect("c");
        c.disconnect();

        broker.disconnect(c.connection(), 0x83, "gone");
        broker.disconnect(c.connection(), 0x83, "gone");

        assertEquals(2, broker.disconnects().size());
    }

    @Test
    void detach_stopsReports() {
        broker.detach();
        broker.connect("c").subscribe("a");
        assertTrue(hooks.events().isEmpty());
        assertTrue(broker.hooks().isEmpty());
    }
}
