package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.broker.UserProperty;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.testkit.LocalBrokerHarness.TestClient;
import io.clink.testkit.RecordingHooks.ConnectionClosed;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.RecordingHooks.Published;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.RecordingHooks.Unsubscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link LocalBroker} contract suite: every promise of the {@link LocalBroker} and {@link
 * io.clink.api.broker.ClusterLinkHooks} Javadoc, checked against a broker adapter. A broker author extends this class
 * in their tests and implements {@link #createHarness()}; JUnit 5 runs the inherited tests.
 *
 * <p>What it checks: subscription events after the grant (plain, shared, {@code $queue}), unsubscribe, the session
 * end of a clean-start client; {@link LocalBroker#forEachSubscription} lists the current subscriptions including
 * shared ones, as sent; {@link LocalBroker#deliver} reaches subscribers with QoS (downgraded to the subscription's),
 * properties, one member per share group, reaches present subscribers with a retained message but neither stores it
 * nor lets an empty one delete the broker's own retained message, and never comes back through {@code onPublish};
 * local publishes do; {@code $LINK/...} publishes go to {@code onLinkPublish} with their connection and
 * properties, are answered with its reason code, and are never delivered to any subscriber ({@code #}, {@code
 * $LINK/#}); {@link LocalBroker#reply} reaches the requesting connection's subscription, from inside {@code
 * onLinkPublish} and from another thread; {@link LocalBroker#disconnect} ends a connection with the given reason
 * code, is idempotent, and is followed by {@code onConnectionClosed} with an equal {@link LinkConnection}; a
 * reconnect gets a new connection id; hooks that throw do not break the broker.
 *
 * <p>Waiting: expected events are polled with {@link LocalBrokerHarness#settle()} between polls, for at most
 * {@link LocalBrokerHarness#timeout()}. Checks that something did <em>not</em> happen first wait for a later
 * sentinel message on the same path, then settle once more.
 *
 * @since 0.1.0
 */
public abstract class LocalBrokerContract {

    private static final String LINK_ROUTE = "$LINK/cluster/route/contract-remote";
    private static final String LINK_MSG = "$LINK/cluster/msg/contract-remote";
    private static final String LINK_RESP = "$LINK/cluster/resp/contract-remote/contract-actor";
    private static final int MAX_POLLS = 10_000;

    /** The harness of the running test. */
    protected LocalBrokerHarness harness;
    /** The hooks the adapter reports to. */
    protected RecordingHooks hooks;
    /** The adapter under test. */
    protected LocalBroker broker;

    private final List<LinkClient> linkClients = new ArrayList<>();

    /**
     * For subclasses.
     *
     * @since 0.1.0
     */
    protected LocalBrokerContract() {
        // Fields are set per test in setUp.
    }

    /**
     * Creates a fresh harness for one test.
     *
     * @return the harness; the suite starts it and closes it
     * @throws Exception if it cannot be created
     * @since 0.1.0
     */
    protected abstract LocalBrokerHarness createHarness() throws Exception;

    /**
     * Creates the harness and starts the broker with {@link #hooks} attached. Runs before each test.
     *
     * @throws Exception if the broker cannot start
     * @since 0.1.0
     */
    @BeforeEach
    protected void setUpBroker() throws Exception {
        hooks = new RecordingHooks();
        harness = createHarness();
        broker = harness.start(hooks);
    }

    /**
     * Closes the link clients the test opened and the harness. Runs after each test.
     *
     * @throws Exception if the harness cannot close
     * @since 0.1.0
     */
    @AfterEach
    protected void tearDownBroker() throws Exception {
        for (LinkClient c : linkClients) {
            c.close();
        }
        linkClients.clear();
        if (harness != null) {
            harness.close();
        }
    }

    // ------------------------------------------------------------------ subscription events

    @Test
    void onSubscribe_plainSubscription_reportedAsSentAfterSuback() throws Exception {
        TestClient c = harness.connectClient("contract-sub-plain");

        assertGranted(c.subscribe("contract/plain/+/x", 1));

        awaitEvent(
                "onSubscribe(contract-sub-plain, contract/plain/+/x)",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-plain")
                                && e.subscription().equals("contract/plain/+/x")));
    }

    @Test
    void onSubscribe_sharedSubscription_reportedWithGroupAsSent() throws Exception {
        TestClient c = harness.connectClient("contract-sub-shared");

        assertGranted(c.subscribe("$share/contract-g/contract/shared/#", 1));

        awaitEvent(
                "onSubscribe of the $share subscription exactly as sent",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-shared")
                                && e.subscription().equals("$share/contract-g/contract/shared/#")));
    }

    @Test
    void onSubscribe_queueSubscription_reportedAsSent() throws Exception {
        assumeTrue(harness.supportsQueueSubscriptions(), "the broker has no $queue/ subscriptions");
        TestClient c = harness.connectClient("contract-sub-queue");

        assertGranted(c.subscribe("$queue/contract/queue/1", 1));

        awaitEvent(
                "onSubscribe of the $queue subscription exactly as sent",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-queue")
                                && e.subscription().equals("$queue/contract/queue/1")));
    }

    @Test
    void onUnsubscribe_afterUnsubscribe_reportedAsSubscribed() throws Exception {
        TestClient c = harness.connectClient("contract-unsub");
        assertGranted(c.subscribe("contract/unsub/#", 1));
        assertGranted(c.subscribe("$share/contract-g/contract/unsub/s", 1));

        c.unsubscribe("contract/unsub/#");
        c.unsubscribe("$share/contract-g/contract/unsub/s");

        awaitEvent(
                "onUnsubscribe(contract-unsub, contract/unsub/#)",
                () -> hooks.any(
                        Unsubscribed.class,
                        e -> e.clientId().equals("contract-unsub")
                                && e.subscription().equals("contract/unsub/#")));
        awaitEvent(
                "onUnsubscribe of the shared subscription",
                () -> hooks.any(
                        Unsubscribed.class,
                        e -> e.clientId().equals("contract-unsub")
                                && e.subscription().equals("$share/contract-g/contract/unsub/s")));
    }

    @Test
    void onSessionEnd_cleanStartClientDisconnects_reported() throws Exception {
        TestClient c = harness.connectClient("contract-session");
        assertGranted(c.subscribe("contract/session/#", 1));

        c.disconnect();

        awaitEvent(
                "onSessionEnd(contract-session)",
                () -> hooks.any(SessionEnded.class, e -> e.clientId().equals("contract-session")));
    }

    // ------------------------------------------------------------------ forEachSubscription

    @Test
    void forEachSubscription_afterChanges_listsCurrentSubscriptionsIncludingShared() throws Exception {
        TestClient a = harness.connectClient("contract-snap-a");
        TestClient b = harness.connectClient("contract-snap-b");
        assertGranted(a.subscribe("contract/snap/a/#", 1));
        assertGranted(a.subscribe("contract/snap/gone", 1));
        assertGranted(a.subscribe("$share/contract-g/contract/snap/s", 1));
        assertGranted(b.subscribe("contract/snap/+/b", 0));
        Set<LocalSubscription> expected = new HashSet<>(List.of(
                new LocalSubscription("contract-snap-a", "contract/snap/a/#"),
                new LocalSubscription("contract-snap-a", "$share/contract-g/contract/snap/s"),
                new LocalSubscription("contract-snap-b", "contract/snap/+/b")));
        if (harness.supportsQueueSubscriptions()) {
            assertGranted(b.subscribe("$queue/contract/snap/q", 1));
            expected.add(new LocalSubscription("contract-snap-b", "$queue/contract/snap/q"));
        }
        a.unsubscribe("contract/snap/gone");
        awaitEvent(
                "onUnsubscribe(contract/snap/gone)",
                () -> hooks.any(Unsubscribed.class, e -> e.subscription().equals("contract/snap/gone")));

        awaitEvent("forEachSubscription lists exactly " + expected, () -> expected.equals(snapshot("contract-snap-")));
        for (LocalSubscription s : snapshot("contract-snap-")) {
            s.parse();
        }
    }

    @Test
    void forEachSubscription_afterSessionEnd_omitsItsSubscriptions() throws Exception {
        TestClient a = harness.connectClient("contract-snap-end");
        assertGranted(a.subscribe("contract/snap/end", 1));
        awaitEvent(
                "the subscription is listed",
                () -> !snapshot("contract-snap-end").isEmpty());

        a.disconnect();

        awaitEvent(
                "forEachSubscription no longer lists the ended session",
                () -> snapshot("contract-snap-end").isEmpty());
    }

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

    // ------------------------------------------------------------------ $LINK publishes

    @Test
    void linkPublish_withProperties_passedToOnLinkPublishWithItsConnection() throws Exception {
        byte[] correlation = utf8("0123456789abcdef");
        LinkClient link = connectLink("contract-link-props");

        int code = publishLink(link, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, correlation));

        assertEquals(ReasonCodes.SUCCESS, code);
        LinkPublished e = hooks.events(LinkPublished.class).get(0);
        assertEquals(LINK_ROUTE, e.topic());
        assertArrayEquals(utf8("init"), e.payload());
        assertEquals(LINK_RESP, e.properties().responseTopic().orElse(null));
        assertArrayEquals(correlation, e.properties().correlationData().orElse(null));
        assertEquals("contract-link-props", e.connection().clientId());
    }

    @Test
    void linkPublish_qos1_answeredWithTheHooksReasonCode() throws Exception {
        LinkClient link = connectLink("contract-link-codes");
        for (int code : new int[] {
            ReasonCodes.SUCCESS,
            ReasonCodes.NO_MATCHING_SUBSCRIBERS,
            ReasonCodes.UNSPECIFIED_ERROR,
            ReasonCodes.NOT_AUTHORIZED
        }) {
            hooks.linkPublishReasonCode(code);

            int answered = publishLink(link, OutgoingPublish.of(LINK_MSG, utf8("m" + code), 1));

            assertEquals(code, answered, String.format("PUBACK must carry onLinkPublish's code 0x%02X", code));
        }
        assertTrue(link.isConnected(), "a failure PUBACK does not end the connection");
    }

    @Test
    void linkPublish_anyLinkTopic_neverDeliveredToSubscribersNorOnPublish() throws Exception {
        TestClient all = harness.connectLinkSpy("contract-link-spy");
        assertGranted(all.subscribe("#", 1));
        assertGranted(all.subscribe("$LINK/#", 1));
        LinkClient link = connectLink("contract-link-consumed");

        publishLink(link, OutgoingPublish.of(LINK_ROUTE, utf8("route batch"), 1));
        publishLink(link, OutgoingPublish.of(LINK_MSG, utf8("forwarded"), 1));
        link.publish(OutgoingPublish.of(LINK_ROUTE, utf8("heartbeat"), 0));
        awaitEvent(
                "3 onLinkPublish calls", () -> hooks.events(LinkPublished.class).size() == 3);
        TestClient pub = harness.connectClient("contract-link-sentinel");
        pub.publish("contract/link/sentinel", utf8("s"), 1, false, PublishProperties.EMPTY);
        awaitReceived(all, "contract/link/sentinel");
        harness.settle();

        assertTrue(
                all.received().stream().noneMatch(m -> m.topic().startsWith("$LINK/")),
                "$LINK/ publishes are consumed by clink, never delivered: " + all.received());
        assertTrue(
                publishedTopics().stream().noneMatch(t -> t.startsWith("$LINK/")),
                "$LINK/ publishes go to onLinkPublish, not onPublish");
    }

    @Test
    void reply_fromInsideOnLinkPublish_reachesTheRequestingConnection() throws Exception {
        hooks.onLinkPublish((conn, topic, payload, props) -> {
            broker.reply(conn, replyTo(props));
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        });
        LinkClient link = connectLink("contract-reply-inside");
        List<InboundPublish> inbox = new CopyOnWriteArrayList<>();
        assertTrue(await(link.subscribe(LINK_RESP, 1, inbox::add)) <= 1);

        int code =
                publishLink(link, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-1")));

        assertEquals(ReasonCodes.NO_MATCHING_SUBSCRIBERS, code);
        awaitEvent("the reply on " + LINK_RESP, () -> !inbox.isEmpty());
        InboundPublish reply = inbox.get(0);
        assertEquals(LINK_RESP, reply.topic());
        assertArrayEquals(utf8("ack"), reply.payload());
        assertArrayEquals(utf8("corr-1"), reply.correlationData(), "Correlation-Data echoed");
    }

    @Test
    void reply_fromAnotherThreadAfterOnLinkPublish_reachesTheConnection() throws Exception {
        LinkClient link = connectLink("contract-reply-later");
        List<InboundPublish> inbox = new CopyOnWriteArrayList<>();
        assertTrue(await(link.subscribe(LINK_RESP, 1, inbox::add)) <= 1);
        publishLink(link, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-2")));
        LinkPublished request = hooks.events(LinkPublished.class).get(0);

        broker.reply(request.connection(), replyTo(request.properties()));

        awaitEvent("the reply on " + LINK_RESP, () -> !inbox.isEmpty());
        assertArrayEquals(utf8("corr-2"), inbox.get(0).correlationData());
    }

    // ------------------------------------------------------------------ disconnect and close

    @Test
    void disconnect_fromInsideOnLinkPublish_endsConnectionWithCodeThenReportsClose() throws Exception {
        hooks.onLinkPublish((conn, topic, payload, props) -> {
            broker.disconnect(conn, ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR, "contract: protocol error");
            return ReasonCodes.SUCCESS;
        });
        List<DisconnectReason> lost = new CopyOnWriteArrayList<>();
        LinkClient link = connectLink("contract-disc-inside", lost::add);

        link.publish(OutgoingPublish.of(LINK_ROUTE, utf8("bad"), 1));

        awaitEvent("the connection lost", () -> !lost.isEmpty());
        assertEquals(
                DisconnectReason.Cause.BROKER_DISCONNECT,
                lost.get(0).cause(),
                lost.get(0).toString());
        assertEquals(
                ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR,
                lost.get(0).reasonCode(),
                lost.get(0).toString());
        LinkConnection conn = hooks.events(LinkPublished.class).get(0).connection();
        awaitEvent(
                "onConnectionClosed(" + conn + ")",
                () -> hooks.any(ConnectionClosed.class, e -> e.connection().equals(conn)));
        assertFalse(link.isConnected());
    }

    @Test
    void disconnect_fromAnotherThread_endsConnectionWithCodeAndIsIdempotent() throws Exception {
        List<DisconnectReason> lost = new CopyOnWriteArrayList<>();
        LinkClient link = connectLink("contract-disc-outside", lost::add);
        publishLink(link, OutgoingPublish.of(LINK_ROUTE, utf8("hello"), 1));
        LinkConnection conn = hooks.events(LinkPublished.class).get(0).connection();

        broker.disconnect(conn, ReasonCodes.NOT_AUTHORIZED, "contract: not this cluster");

        awaitEvent("the connection lost", () -> !lost.isEmpty());
        assertEquals(
                ReasonCodes.NOT_AUTHORIZED,
                lost.get(0).reasonCode(),
                lost.get(0).toString());
        awaitEvent(
                "onConnectionClosed",
                () -> hooks.any(ConnectionClosed.class, e -> e.connection().equals(conn)));
        broker.disconnect(conn, ReasonCodes.NOT_AUTHORIZED, "again");
        harness.settle();
        assertEquals(1, lost.size());
    }

    @Test
    void onConnectionClosed_linkClientCloses_reportedWithEqualConnection() throws Exception {
        LinkClient link = connectLink("contract-close");
        publishLink(link, OutgoingPublish.of(LINK_ROUTE, utf8("hello"), 1));
        publishLink(link, OutgoingPublish.of(LINK_ROUTE, utf8("again"), 1));
        List<LinkPublished> calls = hooks.events(LinkPublished.class);
        assertEquals(
                calls.get(0).connection(),
                calls.get(1).connection(),
                "every call about one connection passes an equal LinkConnection");

        link.close();

        awaitEvent(
                "onConnectionClosed(" + calls.get(0).connection() + ")",
                () -> hooks.any(
                        ConnectionClosed.class,
                        e -> e.connection().equals(calls.get(0).connection())));
    }

    @Test
    void linkConnection_sameClientIdReconnects_getsNewConnectionId() throws Exception {
        LinkClient first = connectLink("contract-reconnect");
        publishLink(first, OutgoingPublish.of(LINK_ROUTE, utf8("1"), 1));
        first.close();
        LinkConnection firstConn = hooks.events(LinkPublished.class).get(0).connection();
        awaitEvent(
                "the first connection closed",
                () -> hooks.any(ConnectionClosed.class, e -> e.connection().equals(firstConn)));

        LinkClient second = connectLink("contract-reconnect");
        publishLink(second, OutgoingPublish.of(LINK_ROUTE, utf8("2"), 1));

        LinkConnection secondConn = hooks.events(LinkPublished.class).get(1).connection();
        assertEquals(firstConn.clientId(), secondConn.clientId());
        assertNotEquals(
                firstConn.connectionId(),
                secondConn.connectionId(),
                "a new connection of the same client id needs a new connectionId");
    }

    // ------------------------------------------------------------------ misbehaving hooks

    @Test
    void throwingHooks_everyEvent_brokerKeepsServingClients() throws Exception {
        hooks.throwing(true);
        TestClient sub = harness.connectClient("contract-throw-sub");
        assertGranted(sub.subscribe("contract/throw/#", 1));
        TestClient pub = harness.connectClient("contract-throw-pub");
        LinkClient link = connectLink("contract-throw-link");

        int pubCode = pub.publish("contract/throw/1", utf8("still delivered"), 1, false, PublishProperties.EMPTY);
        CompletableFuture<PublishResult> linkPublish = link.publish(OutgoingPublish.of(LINK_MSG, utf8("x"), 1));
        awaitEvent(
                "the link publish answered or the connection ended", () -> linkPublish.isDone() || !link.isConnected());

        assertTrue(ReasonCodes.isSuccess(pubCode), "local publish accepted although the hooks threw: " + pubCode);
        assertEquals("still delivered", awaitReceived(sub, "contract/throw/1").payloadUtf8());
        hooks.throwing(false);
        assertGranted(sub.subscribe("contract/throw/after", 1));
        awaitEvent(
                "events reported again once the hooks stop throwing",
                () -> hooks.any(Subscribed.class, e -> e.subscription().equals("contract/throw/after")));
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /**
     * Connects a link client through the harness, waiting for the CONNACK; it is closed after the test.
     *
     * @param clientId the client id
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    protected LinkClient connectLink(String clientId) throws Exception {
        return connectLink(clientId, reason -> {});
    }

    /**
     * Connects a link client through the harness with a listener for its loss, waiting for the CONNACK.
     *
     * @param clientId the client id
     * @param listener receives the connection's loss
     * @return the connected client
     * @throws Exception if it cannot connect
     * @since 0.1.0
     */
    protected LinkClient connectLink(String clientId, ConnectionListener listener) throws Exception {
        LinkClient c = harness.newLinkClient(clientId);
        linkClients.add(c);
        await(c.connect(listener));
        return c;
    }

    /**
     * Publishes on a link client and waits for the result.
     *
     * @param link the client
     * @param publish the message
     * @return the PUBACK reason code
     * @throws Exception if the publish failed or timed out
     * @since 0.1.0
     */
    protected int publishLink(LinkClient link, OutgoingPublish publish) throws Exception {
        return await(link.publish(publish)).reasonCode();
    }

    /**
     * Waits for a future, settling the harness between polls.
     *
     * @param <T> the result type
     * @param future the future
     * @return its value
     * @throws Exception if it failed (an {@link AssertionError} carrying the cause) or timed out
     * @since 0.1.0
     */
    protected <T> T await(CompletableFuture<T> future) throws Exception {
        awaitEvent("completion of " + future, future::isDone);
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Polls {@code condition} until it holds, settling the harness between polls.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    protected void awaitEvent(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + harness.timeout().toNanos();
        for (int polls = 0; polls < MAX_POLLS; polls++) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            harness.settle();
        }
        if (!condition.getAsBoolean()) {
            fail("timed out after " + harness.timeout() + " waiting for " + what + "; hook events: " + hooks.events());
        }
    }

    /**
     * Waits until a client has received a message on {@code topic} and returns the first.
     *
     * @param client the client
     * @param topic the topic
     * @return the message
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    protected ReceivedMessage awaitReceived(TestClient client, String topic) throws InterruptedException {
        Supplier<@Nullable ReceivedMessage> find = () -> client.received().stream()
                .filter(m -> m.topic().equals(topic))
                .findFirst()
                .orElse(null);
        awaitEvent(client.clientId() + " receiving a message on " + topic, () -> find.get() != null);
        ReceivedMessage m = find.get();
        if (m == null) {
            throw new AssertionError("message on " + topic + " vanished");
        }
        return m;
    }

    private Set<LocalSubscription> snapshot(String clientPrefix) {
        Set<LocalSubscription> out = new HashSet<>();
        List<LocalSubscription> all = new ArrayList<>();
        broker.forEachSubscription(all::add);
        for (LocalSubscription s : all) {
            if (s.clientId().startsWith(clientPrefix)) {
                assertTrue(out.add(s), "forEachSubscription passed " + s + " twice");
            }
        }
        return out;
    }

    private List<String> publishedTopics() {
        return hooks.events(Published.class).stream()
                .map(p -> p.message().topic())
                .toList();
    }

    private static void assertGranted(int subackCode) {
        assertTrue(subackCode >= 0 && subackCode <= 2, "SUBACK must grant the subscription: " + subackCode);
    }

    private static MqttMessage remoteMessage(String topic, String payload, int qos, PublishProperties props) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(utf8(payload))
                .qos(qos)
                .properties(props)
                .publisherClientId("contract-remote-publisher")
                .originCluster("contract-remote")
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    private static MqttMessage remoteRetained(String topic, String payload) {
        return remoteMessage(topic, payload, 1, PublishProperties.EMPTY).toBuilder()
                .retain(true)
                .build();
    }

    private static List<String> topicsAndPayloads(TestClient client) {
        return client.received().stream()
                .map(m -> m.topic() + ":" + m.payloadUtf8())
                .toList();
    }

    private static MqttMessage replyTo(PublishProperties request) {
        PublishProperties.Builder p = PublishProperties.builder();
        request.correlationData().ifPresent(p::correlationData);
        return MqttMessage.builder()
                .topic(request.responseTopic().orElseThrow())
                .qos(1)
                .payload(utf8("ack"))
                .properties(p.build())
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
