package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
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
}
