package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.UserProperty;
import io.clink.testkit.LocalBrokerHarness.TestClient;
import io.clink.testkit.RecordingHooks.Published;
import io.clink.testkit.RecordingHooks.Subscribed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/*
 * Why this exists: the contract's message duties: LocalBroker.deliver reaches subscribers with QoS, properties, one
 * member per share group and retained messages handled as EMQX does, and never comes back through onPublish, while a
 * local publish does.
 */
abstract class DeliveryContract extends SubscriptionContract {

    // ------------------------------------------------------------------ deliver and onPublish

    @Test
    void deliver_matchingSubscribers_receiveTopicPayloadQosAndProperties() throws Exception {
        TestClient c = harness.connectClient("contract-deliver");
        assertGranted(c.subscribe("contract/deliver/#", 1));
        PublishProperties props = PublishProperties.builder()
                .userProperty("k", "v1")
                .userProperty("k", "v2")
                .contentType("text/plain")
                .build();

        broker.deliver(remoteMessage("contract/deliver/1", "from afar", 1, props));

        ReceivedMessage m = awaitReceived(c, "contract/deliver/1");
        assertEquals("from afar", m.payloadUtf8());
        assertEquals(1, m.qos());
        assertEquals(
                List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2")),
                m.properties().userProperties(),
                "user properties in order, duplicates kept");
        assertEquals("text/plain", m.properties().contentType().orElse(null));
    }

    @Test
    void deliver_lowerSubscriptionQos_downgradesDelivery() throws Exception {
        TestClient c = harness.connectClient("contract-deliver-qos0");
        assertGranted(c.subscribe("contract/deliver-qos/#", 0));

        broker.deliver(remoteMessage("contract/deliver-qos/1", "q", 1, PublishProperties.EMPTY));

        assertEquals(0, awaitReceived(c, "contract/deliver-qos/1").qos(), "delivered at the subscription's QoS 0");
    }

    @Test
    void deliver_retainedMessage_reachesCurrentSubscribersButNotTheRetainedStore() throws Exception {
        TestClient owner = harness.connectClient("contract-retained-owner");
        owner.publish("contract/retained/1", utf8("local"), 1, true, PublishProperties.EMPTY);
        try {
            TestClient now = harness.connectClient("contract-retained-now");
            assertGranted(now.subscribe("contract/retained/#", 1));
            assertEquals("local", awaitReceived(now, "contract/retained/1").payloadUtf8());

            broker.deliver(remoteRetained("contract/retained/1", "remote"));
            broker.deliver(remoteRetained("contract/retained/1", ""));
            broker.deliver(remoteRetained("contract/retained/2", "remote only"));

            awaitEvent(
                    "the three forwarded messages at the present subscriber",
                    () -> now.received().size() >= 4);
            assertEquals(
                    Set.of(
                            "contract/retained/1:local",
                            "contract/retained/1:remote",
                            "contract/retained/1:",
                            "contract/retained/2:remote only"),
                    new HashSet<>(topicsAndPayloads(now)),
                    "a present subscriber gets forwarded retained messages, the empty one too");
            TestClient later = harness.connectClient("contract-retained-later");
            assertGranted(later.subscribe("contract/retained/#", 1));
            awaitEvent(
                    "the broker's own retained message at a later subscriber (a forwarded empty retained message "
                            + "must not delete it)",
                    () -> later.received().stream().anyMatch(m -> m.topic().equals("contract/retained/1")));
            ReceivedMessage kept = awaitReceived(later, "contract/retained/1");
            owner.publish("contract/retained/sentinel", utf8("s"), 1, false, PublishProperties.EMPTY);
            awaitReceived(later, "contract/retained/sentinel");
            harness.settle();

            assertEquals(
                    "local",
                    kept.payloadUtf8(),
                    "the broker's own retained message is neither replaced nor deleted by forwarded ones");
            assertTrue(kept.retain(), "a message from the retained store carries the retain flag");
            assertEquals(
                    List.of("contract/retained/1:local", "contract/retained/sentinel:s"),
                    topicsAndPayloads(later),
                    "forwarded retained messages are not kept for later subscribers (no retained sync)");
        } finally {
            owner.publish("contract/retained/1", new byte[0], 1, true, PublishProperties.EMPTY);
        }
    }

    @Test
    void deliver_retainedMessageWithSharedGroup_oneCopyToTheGroupAndOneToEachPlainSubscriber() throws Exception {
        TestClient a = harness.connectClient("contract-rshare-a");
        TestClient b = harness.connectClient("contract-rshare-b");
        TestClient plain = harness.connectClient("contract-rshare-plain");
        assertGranted(a.subscribe("$share/contract-g/contract/rshare/t", 1));
        assertGranted(b.subscribe("$share/contract-g/contract/rshare/t", 1));
        assertGranted(plain.subscribe("contract/rshare/#", 1));
        awaitEvent(
                "all three subscriptions reported",
                () -> hooks.events(Subscribed.class).stream()
                                .filter(e -> e.clientId().startsWith("contract-rshare-"))
                                .count()
                        == 3);
        int n = 4;

        for (int i = 0; i < n; i++) {
            broker.deliver(remoteRetained("contract/rshare/t", "m" + i));
        }

        awaitEvent(
                n + " retained messages at the group and at the plain subscriber",
                () -> a.received().size() + b.received().size() >= n
                        && plain.received().size() >= n);
        harness.settle();
        List<String> group = new ArrayList<>();
        a.received().forEach(m -> group.add(m.payloadUtf8()));
        b.received().forEach(m -> group.add(m.payloadUtf8()));
        Collections.sort(group);
        List<String> plainPayloads = new ArrayList<>(
                plain.received().stream().map(ReceivedMessage::payloadUtf8).toList());
        Collections.sort(plainPayloads);
        assertEquals(List.of("m0", "m1", "m2", "m3"), group, "each retained message to exactly one group member");
        assertEquals(List.of("m0", "m1", "m2", "m3"), plainPayloads, "each retained message once to the plain one");
    }

    @Test
    void deliver_anyMessage_neverReportedToOnPublish() throws Exception {
        TestClient sub = harness.connectClient("contract-noloop-sub");
        assertGranted(sub.subscribe("contract/noloop/#", 1));
        TestClient pub = harness.connectClient("contract-noloop-pub");

        broker.deliver(remoteMessage("contract/noloop/forwarded", "x", 1, PublishProperties.EMPTY));
        awaitReceived(sub, "contract/noloop/forwarded");
        pub.publish("contract/noloop/sentinel", utf8("s"), 1, false, PublishProperties.EMPTY);
        awaitEvent("onPublish of the local sentinel", () -> publishedTopics().contains("contract/noloop/sentinel"));
        harness.settle();

        assertFalse(
                publishedTopics().contains("contract/noloop/forwarded"),
                "deliver() must bypass publish interception (no onPublish), or messages loop between clusters");
    }

    @Test
    void deliver_sharedSubscription_reachesOneMemberPerGroup() throws Exception {
        TestClient a = harness.connectClient("contract-share-a");
        TestClient b = harness.connectClient("contract-share-b");
        assertGranted(a.subscribe("$share/contract-g/contract/share/t", 1));
        assertGranted(b.subscribe("$share/contract-g/contract/share/t", 1));
        awaitEvent(
                "both shared subscriptions reported",
                () -> hooks.events(Subscribed.class).stream()
                                .filter(e -> e.clientId().startsWith("contract-share-"))
                                .count()
                        == 2);
        int n = 6;

        for (int i = 0; i < n; i++) {
            broker.deliver(remoteMessage("contract/share/t", "m" + i, 1, PublishProperties.EMPTY));
        }

        awaitEvent(
                n + " messages received by the group in total",
                () -> a.received().size() + b.received().size() >= n);
        harness.settle();
        List<String> all = new ArrayList<>();
        a.received().forEach(m -> all.add(m.payloadUtf8()));
        b.received().forEach(m -> all.add(m.payloadUtf8()));
        Collections.sort(all);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), all, "each message to exactly one group member");
    }

    @Test
    void onPublish_localPublish_reportedWithPublisherTopicPayloadAndQos() throws Exception {
        TestClient pub = harness.connectClient("contract-pub");
        PublishProperties props =
                PublishProperties.builder().userProperty("a", "b").build();

        pub.publish("contract/pub/1", utf8("local"), 1, false, props);

        awaitEvent("onPublish(contract/pub/1)", () -> publishedTopics().contains("contract/pub/1"));
        MqttMessage m = hooks.events(Published.class).stream()
                .map(Published::message)
                .filter(x -> x.topic().equals("contract/pub/1"))
                .findFirst()
                .orElseThrow();
        assertArrayEquals(utf8("local"), m.payloadBytes());
        assertEquals(1, m.qos());
        assertEquals("contract-pub", m.publisherClientId().orElse(null));
        assertEquals(List.of(new UserProperty("a", "b")), m.properties().userProperties());
        assertTrue(m.originCluster().isEmpty(), "a local publish has no origin cluster");
    }

    @Test
    void onPublish_mqtt311Client_reportedWithPublisherTopicPayloadAndQos() throws Exception {
        TestClient pub = harness.connectMqtt311Client("contract-v311-pub");

        pub.publish("contract/v311-pub/1", utf8("old protocol"), 1, false, PublishProperties.EMPTY);

        awaitEvent(
                "onPublish(contract/v311-pub/1) of an MQTT 3.1.1 client",
                () -> publishedTopics().contains("contract/v311-pub/1"));
        MqttMessage m = hooks.events(Published.class).stream()
                .map(Published::message)
                .filter(x -> x.topic().equals("contract/v311-pub/1"))
                .findFirst()
                .orElseThrow();
        assertArrayEquals(utf8("old protocol"), m.payloadBytes());
        assertEquals(1, m.qos());
        assertEquals("contract-v311-pub", m.publisherClientId().orElse(null));
        assertTrue(m.properties().isEmpty(), "an MQTT 3.1.1 publish has no properties: " + m.properties());
    }

    @Test
    void onPublish_topicAlias_reportedWithTheRealTopic() throws Exception {
        TestClient pub = harness.connectClient("contract-alias-pub");
        assumeTrue(pub.topicAliasMaximum() > 0, "the broker grants MQTT 5 clients no topic aliases");

        pub.publishWithTopicAlias("contract/alias/t", utf8("named"));
        pub.publishWithTopicAlias("contract/alias/t", utf8("by alias"));

        awaitEvent(
                "onPublish of the publish that named its topic by alias alone",
                () -> hooks.any(Published.class, e -> Arrays.equals(e.message().payloadBytes(), utf8("by alias"))));
        for (Published e : hooks.events(Published.class)) {
            if (e.message().publisherClientId().orElse("").equals("contract-alias-pub")) {
                assertEquals(
                        "contract/alias/t",
                        e.message().topic(),
                        "a publish by topic alias is reported with the topic the alias stands for");
            }
        }
    }
}
