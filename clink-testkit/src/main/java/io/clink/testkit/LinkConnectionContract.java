package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.testkit.LocalBrokerHarness.TestClient;
import io.clink.testkit.RecordingHooks.ConnectionClosed;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.RecordingHooks.Unsubscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/*
 * Why this exists: the contract's duties towards link connections: $LINK publishes go to onLinkPublish only and are
 * answered with its code, reply and disconnect reach the right connection from inside a hook and from other threads,
 * onConnectionClosed follows with an equal connection, a reconnect gets a new connection id, and throwing hooks
 * never break the broker.
 */
abstract class LinkConnectionContract extends DeliveryContract {

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
    void linkPublish_connection_reportsOneOfTheAdaptersLinkListeners() throws Exception {
        LinkClient link = connectLink("contract-link-listener");

        assertEquals(ReasonCodes.SUCCESS, publishLink(link, OutgoingPublish.of(LINK_ROUTE, utf8("x"), 1)));

        // clink refuses a $LINK publish whose connection reports a listener outside linkListenerNames(): a wrong
        // report would cut every link off.
        Set<String> names = broker.linkListenerNames();
        String listener = hooks.events(LinkPublished.class).get(0).connection().listener();
        assertTrue(
                names.isEmpty() || names.contains(listener),
                "the link connection reports listener " + listener + ", which is not one of linkListenerNames() "
                        + names + ": clink would refuse its link publishes");
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

    @Test
    void reply_twoConnectionsOnTheResponseTopic_reachesOnlyTheAskingOne() throws Exception {
        LinkClient a = connectLink("contract-reply-a");
        LinkClient b = connectLink("contract-reply-b");
        List<InboundPublish> inboxA = new CopyOnWriteArrayList<>();
        List<InboundPublish> inboxB = new CopyOnWriteArrayList<>();
        assertTrue(await(a.subscribe(LINK_RESP, 1, inboxA::add)) <= 1);
        assertTrue(await(b.subscribe(LINK_RESP, 1, inboxB::add)) <= 1);
        publishLink(a, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-a")));
        publishLink(b, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-b")));
        LinkPublished requestA = linkPublishOf("contract-reply-a");
        LinkPublished requestB = linkPublishOf("contract-reply-b");

        broker.reply(requestA.connection(), replyTo(requestA.properties()));
        broker.reply(requestB.connection(), replyTo(requestB.properties()));

        // Each connection gets its own reply after any copy of the other's, which was sent first.
        awaitEvent("the reply at contract-reply-a", () -> correlations(inboxA).contains("corr-a"));
        awaitEvent("the reply at contract-reply-b", () -> correlations(inboxB).contains("corr-b"));
        harness.settle();
        assertEquals(
                List.of("corr-a"),
                correlations(inboxA),
                "reply() reaches the asking connection only, not every subscriber of the response topic");
        assertEquals(List.of("corr-b"), correlations(inboxB), "reply() reaches the asking connection only");
    }

    @Test
    void reply_toAConnectionTakenOver_neverReachesTheClientIdsNewConnection() throws Exception {
        LinkClient first = connectLink("contract-reply-same");
        assertTrue(await(first.subscribe(LINK_RESP, 1, p -> {})) <= 1);
        publishLink(first, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-old")));
        LinkPublished oldRequest = linkPublishOf("contract-reply-same");
        LinkClient second = connectLink("contract-reply-same");
        awaitEvent(
                "onConnectionClosed of the connection taken over",
                () -> hooks.any(ConnectionClosed.class, e -> e.connection().equals(oldRequest.connection())));
        List<InboundPublish> inbox = new CopyOnWriteArrayList<>();
        assertTrue(await(second.subscribe(LINK_RESP, 1, inbox::add)) <= 1);
        publishLink(second, new OutgoingPublish(LINK_ROUTE, utf8("init"), 1, false, LINK_RESP, utf8("corr-new")));
        LinkPublished newRequest = hooks.events(LinkPublished.class).get(1);
        assertNotEquals(oldRequest.connection(), newRequest.connection());

        broker.reply(oldRequest.connection(), replyTo(oldRequest.properties()));
        broker.reply(newRequest.connection(), replyTo(newRequest.properties()));

        awaitEvent("the reply at the new connection", () -> correlations(inbox).contains("corr-new"));
        harness.settle();
        assertEquals(
                List.of("corr-new"),
                correlations(inbox),
                "a reply to a connection that is gone must not reach the new connection of its client id");
    }

    // ------------------------------------------------------------------ link traffic: listeners, QoS 2, aliases

    @Test
    void linkTopics_onAnOrdinaryListener_publishAndSubscribeRefused() throws Exception {
        TestClient spy = harness.connectLinkSpy("contract-intrusion-spy");
        assertGranted(spy.subscribe("#", 1));
        assertGranted(spy.subscribe("$LINK/#", 1));
        TestClient subscriber = harness.connectClient("contract-intruder-sub");

        assertRefused(subscriber, "a $LINK/# subscription", () -> subscriber.subscribe("$LINK/#", 1));
        TestClient publisher = harness.connectClient("contract-intruder-pub");
        assertRefused(
                publisher,
                "a $LINK publish",
                () -> publisher.publish(LINK_ROUTE, utf8("forged"), 1, false, PublishProperties.EMPTY));
        LinkClient link = connectLink("contract-intrusion-link");
        publishLink(link, OutgoingPublish.of(LINK_MSG, utf8("sentinel"), 1));
        TestClient plain = harness.connectClient("contract-intrusion-plain");
        plain.publish("contract/intrusion/sentinel", utf8("s"), 1, false, PublishProperties.EMPTY);
        awaitReceived(spy, "contract/intrusion/sentinel");
        harness.settle();

        assertTrue(
                hooks.events(LinkPublished.class).stream()
                        .allMatch(e -> e.connection().clientId().equals("contract-intrusion-link")),
                "a $LINK publish from an ordinary listener must never reach onLinkPublish: "
                        + hooks.events(LinkPublished.class));
        assertTrue(
                spy.received().stream().noneMatch(m -> m.topic().startsWith("$LINK/")),
                "a refused $LINK publish must not be delivered either: " + spy.received());
        assertTrue(
                hooks.events(Subscribed.class).stream()
                        .noneMatch(e -> e.clientId().equals("contract-intruder-sub")),
                "a refused subscription must not be reported");
    }

    @Test
    void linkFilters_subscribedAndUnsubscribed_neverReported() throws Exception {
        TestClient spy = harness.connectLinkSpy("contract-linkfilter-spy");
        assertGranted(spy.subscribe("$LINK/#", 1));
        LinkClient link = connectLink("contract-linkfilter-link");
        assertTrue(await(link.subscribe(LINK_RESP, 1, p -> {})) <= 1);

        spy.unsubscribe("$LINK/#");
        assertGranted(spy.subscribe("contract/linkfilter/sentinel", 1));
        spy.unsubscribe("contract/linkfilter/sentinel");

        awaitEvent(
                "onUnsubscribe of the sentinel subscription",
                () -> hooks.any(Unsubscribed.class, e -> e.subscription().equals("contract/linkfilter/sentinel")));
        harness.settle();
        List<String> reported = new ArrayList<>();
        hooks.events(Subscribed.class).forEach(e -> reported.add("+" + e.subscription()));
        hooks.events(Unsubscribed.class).forEach(e -> reported.add("-" + e.subscription()));
        assertTrue(
                reported.stream().noneMatch(r -> r.contains("$LINK")),
                "$LINK filters are the link protocol's own, never reported to onSubscribe or onUnsubscribe: "
                        + reported);
    }

    @Test
    void linkPublish_qos2_reachesOnLinkPublishOnceAndIsAnsweredWithItsCode() throws Exception {
        TestClient link = harness.connectLinkSpy("contract-link-qos2");
        // The failure code goes last: a PUBREC of 0x80 or more ends the QoS 2 flow, and some clients then drop the
        // connection; the success codes go through PUBREL and PUBCOMP, where a second report would come.
        int[] codes = {ReasonCodes.SUCCESS, ReasonCodes.NO_MATCHING_SUBSCRIBERS, ReasonCodes.NOT_AUTHORIZED};

        for (int code : codes) {
            hooks.linkPublishReasonCode(code);
            int answered = link.publish(LINK_MSG, utf8("q2-" + code), 2, false, PublishProperties.EMPTY);
            assertEquals(code, answered, String.format("PUBREC must carry onLinkPublish's code 0x%02X", code));
        }
        TestClient sentinel = harness.connectLinkSpy("contract-link-qos2-sentinel");
        hooks.linkPublishReasonCode(ReasonCodes.SUCCESS);
        sentinel.publish(LINK_MSG, utf8("q1-sentinel"), 1, false, PublishProperties.EMPTY);
        awaitEvent(
                "onLinkPublish of the QoS 1 sentinel",
                () -> hooks.any(LinkPublished.class, e -> Arrays.equals(e.payload(), utf8("q1-sentinel"))));
        harness.settle();

        for (int code : codes) {
            long calls = hooks.events(LinkPublished.class).stream()
                    .filter(e -> Arrays.equals(e.payload(), utf8("q2-" + code)))
                    .count();
            assertEquals(1, calls, "a QoS 2 $LINK publish reaches onLinkPublish exactly once (q2-" + code + ")");
        }
    }

    @Test
    void linkPublish_topicAlias_reportedWithTheRealTopic() throws Exception {
        TestClient link = harness.connectLinkSpy("contract-link-alias");
        assumeTrue(link.topicAliasMaximum() > 0, "the broker grants MQTT 5 clients no topic aliases");

        link.publishWithTopicAlias(LINK_MSG, utf8("named"));
        int code = link.publishWithTopicAlias(LINK_MSG, utf8("by alias"));

        assertEquals(ReasonCodes.SUCCESS, code);
        LinkPublished aliased = awaitHook(
                "onLinkPublish of the $LINK publish that named its topic by alias alone",
                LinkPublished.class,
                e -> Arrays.equals(e.payload(), utf8("by alias")));
        assertEquals(LINK_MSG, aliased.topic(), "a $LINK publish by topic alias is reported with its real topic");
    }

    @Test
    void linkConnection_onlyLinkTraffic_staysAlivePastItsKeepalive() throws Exception {
        Duration keepAlive = Duration.ofSeconds(1);
        Duration step = keepAlive.dividedBy(4);
        // Brokers allow one and a half keepalives without a packet, and some check only every few seconds.
        int steps = 16;
        List<DisconnectReason> lost = new CopyOnWriteArrayList<>();
        LinkClient link = connectLink("contract-keepalive", keepAlive, lost::add);

        for (int i = 0; i < steps; i++) {
            CompletableFuture<PublishResult> sent = link.publish(OutgoingPublish.of(LINK_ROUTE, utf8("hb" + i), 1));
            awaitEvent("the heartbeat answered or the connection lost", () -> sent.isDone() || !lost.isEmpty());
            assertTrue(
                    lost.isEmpty(),
                    "a link connection carrying only $LINK publishes was closed after about " + step.multipliedBy(i)
                            + " (keepalive " + keepAlive + "): link packets must count as activity: " + lost);
            harness.elapse(step);
        }

        assertTrue(link.isConnected(), "the link connection is still up after " + step.multipliedBy(steps));
        assertEquals(steps, hooks.events(LinkPublished.class).size());
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

    private LinkPublished linkPublishOf(String clientId) {
        return hooks.events(LinkPublished.class).stream()
                .filter(e -> e.connection().clientId().equals(clientId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no onLinkPublish from " + clientId + ": " + hooks.events()));
    }

    private static List<String> correlations(List<InboundPublish> inbox) {
        List<String> out = new ArrayList<>();
        for (InboundPublish p : inbox) {
            byte[] c = p.correlationData();
            out.add(c == null ? "<none>" : new String(c, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Runs a call the broker should refuse; fails unless it answered with a code of 0x80 or more or closed the
     * connection (a client call failing because of that close counts as the close).
     */
    private static void assertRefused(TestClient client, String what, Callable<Integer> call) {
        String outcome;
        try {
            int code = call.call();
            if (code >= 0x80) {
                return;
            }
            outcome = String.format("answered 0x%02X", code);
        } catch (Exception e) {
            outcome = "failed with " + e;
        }
        assertFalse(
                client.isConnected(),
                what + " outside the link listener must be refused (a code of 0x80 or more, or the connection "
                        + "closed), but it " + outcome + " and the connection is up");
    }
}
