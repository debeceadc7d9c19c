package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InMemoryLinkNetworkTest {

    private static final String ROUTE = "$LINK/cluster/route/east";
    private static final String RESP = "$LINK/cluster/resp/east/node1";

    private final ManualTime time = ManualTime.create();
    private final InMemoryLinkNetwork network = new InMemoryLinkNetwork(time);
    private final FakeLocalBroker west = new FakeLocalBroker(time.ticker());
    private final RecordingHooks hooks = new RecordingHooks().linkPublishReasonCode(0x10);
    private final InMemoryLinkNetwork.Endpoint endpoint = network.listen("west.example", 11883, west);
    private final InMemoryTransport transport = network.newTransport();
    private final List<DisconnectReason> lost = new ArrayList<>();

    InMemoryLinkNetworkTest() {
        west.attach(hooks);
    }

    private static LinkClientOptions.Builder options(String clientId) {
        return LinkClientOptions.builder().host("west.example").port(11883).clientId(clientId);
    }

    private LinkClient connected(String clientId) {
        LinkClient c = transport.createClient(options(clientId).build());
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.runUntilIdle();
        assertTrue(f.isDone() && !f.isCompletedExceptionally(), "connect: " + f);
        return c;
    }

    private static LinkTransportException failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "expected a failed future: " + f);
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(LinkTransportException.class, e.getCause());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connect_listening_completesOnlyWhenDrainedWithMaximumPacketSize() {
        endpoint.maximumPacketSize(4096);
        LinkClient c = transport.createClient(options("east:routesync:node1").build());

        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        assertFalse(f.isDone());
        time.runUntilIdle();

        assertEquals(new ConnectResult(4096, false), f.join());
        assertTrue(c.isConnected());
        LinkConnection conn = endpoint.connections().get(0).linkConnection();
        assertEquals("east:routesync:node1", conn.clientId());
        assertEquals(InMemoryLinkNetwork.DEFAULT_LISTENER, conn.listener());
        assertTrue(west.isConnected("east:routesync:node1"));
    }

    @Test
    void connect_nothingListening_failsWithSocketError() {
        LinkClient c = transport.createClient(options("c").port(1).build());
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.runUntilIdle();

        LinkTransportException e = failure(f);
        assertEquals(Kind.CONNECT_FAILED, e.kind());
        assertEquals(Cause.SOCKET_ERROR, e.reason().cause());
        assertFalse(c.isConnected());
    }

    @Test
    void connect_badPassword_refusedWith0x86_noUserWith0x87_rightOneAccepted() {
        endpoint.addUser("link", "secret");
        LinkClient wrong = transport.createClient(
                options("a").username("link").password(bytes("nope")).build());
        LinkClient anonymous = transport.createClient(options("b").build());
        LinkClient right = transport.createClient(
                options("c").username("link").password(bytes("secret")).build());

        CompletableFuture<ConnectResult> f1 = wrong.connect(lost::add);
        CompletableFuture<ConnectResult> f2 = anonymous.connect(lost::add);
        CompletableFuture<ConnectResult> f3 = right.connect(lost::add);
        time.runUntilIdle();

        assertEquals(
                new DisconnectReason(Cause.CONNECT_REFUSED, 0x86, "bad user name or password"),
                failure(f1).reason());
        assertEquals(0x87, failure(f2).reason().reasonCode());
        assertEquals(ConnectResult.UNLIMITED, f3.join().maximumPacketSize());
        assertEquals("link", endpoint.connections().get(0).linkConnection().username());
    }

    @Test
    void connect_refusing_failsWithCodeThenAcceptsAgain() {
        endpoint.refuseConnects(0x88);
        LinkClient c = transport.createClient(options("c").build());
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.runUntilIdle();
        assertEquals(0x88, failure(f).reason().reasonCode());

        endpoint.acceptConnects();
        CompletableFuture<ConnectResult> again = c.connect(lost::add);
        time.runUntilIdle();
        assertTrue(again.isDone() && !again.isCompletedExceptionally());
    }

    @Test
    void connect_stalled_staysPendingUntilCloseWhichFailsItWithClosed() {
        endpoint.stallConnects();
        LinkClient c = transport.createClient(options("c").build());
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.advance(Duration.ofHours(1));
        assertFalse(f.isDone());

        c.close();
        assertFalse(f.isDone(), "completion goes through the executor");
        time.runUntilIdle();

        assertEquals(Kind.CLOSED, failure(f).kind());
        assertEquals(0, transport.openClients());
    }

    @Test
    void connect_timingOut_failsAfterConnectTimeout() {
        endpoint.timeOutConnects();
        LinkClient c = transport.createClient(
                options("c").connectTimeout(Duration.ofSeconds(3)).build());
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.advance(Duration.ofMillis(2999));
        assertFalse(f.isDone());

        time.advance(Duration.ofMillis(1));

        assertEquals(Cause.CONNECT_TIMEOUT, failure(f).reason().cause());
    }

    @Test
    void connect_whileConnected_failsIllegalState() {
        LinkClient c = connected("c");
        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.runUntilIdle();
        assertEquals(Kind.ILLEGAL_STATE, failure(f).kind());
        assertTrue(c.isConnected());
    }

    @Test
    void publish_linkTopicQos1_reachesOnLinkPublishAndCompletesWithItsCode() {
        LinkClient c = connected("east:routesync:node1");
        byte[] correlation = bytes("0123456789abcdef");

        CompletableFuture<PublishResult> f =
                c.publish(new OutgoingPublish(ROUTE, bytes("init"), 1, false, RESP, correlation));
        assertFalse(f.isDone());
        time.runUntilIdle();

        assertEquals(new PublishResult(0x10), f.join());
        RecordingHooks.LinkPublished e =
                hooks.events(RecordingHooks.LinkPublished.class).get(0);
        assertEquals(endpoint.connections().get(0).linkConnection(), e.connection());
        assertEquals(ROUTE, e.topic());
        assertArrayEquals(bytes("init"), e.payload());
        assertEquals(RESP, e.properties().responseTopic().orElseThrow());
        assertArrayEquals(correlation, e.properties().correlationData().orElseThrow());
        assertTrue(hooks.events(RecordingHooks.Published.class).isEmpty());
    }

    @Test
    void publish_qos0_completesWithZeroWhateverTheHooksReturn() {
        LinkClient c = connected("c");
        CompletableFuture<PublishResult> f = c.publish(OutgoingPublish.of(ROUTE, bytes("hb"), 0));
        time.runUntilIdle();
        assertEquals(PublishResult.SUCCESS, f.join());
        assertEquals(1, hooks.events(RecordingHooks.LinkPublished.class).size());
    }

    @Test
    void publish_overPeerMaximumPacketSize_failsPacketTooLargeAndSendsNothing() {
        endpoint.maximumPacketSize(100);
        LinkClient c = connected("c");
        OutgoingPublish fits = OutgoingPublish.of(ROUTE, new byte[100 - 2 - 2 - ROUTE.length() - 2 - 1], 1);
        OutgoingPublish tooBig = OutgoingPublish.of(ROUTE, new byte[fits.payload().length + 1], 1);
        assertEquals(100, InMemoryLinkNetwork.publishPacketSize(fits));

        CompletableFuture<PublishResult> ok = c.publish(fits);
        CompletableFuture<PublishResult> big = c.publish(tooBig);
        time.runUntilIdle();

        assertEquals(0x10, ok.join().reasonCode());
        assertEquals(Kind.PACKET_TOO_LARGE, failure(big).kind());
        assertEquals(1, endpoint.traffic().publishes(""));
        assertEquals(100, endpoint.traffic().publishedBytes("$LINK/"));
    }

    @Test
    void publishPacketSize_withProperties_countsEveryField() {
        OutgoingPublish p = new OutgoingPublish("a/b", new byte[200], 1, false, "r", new byte[4]);
        // fixed header 1 + 2 (remaining 217) ; topic 2+3 ; packet id 2 ; properties 1 + (3+1) + (3+4) ; payload 200
        assertEquals(1 + 2 + 5 + 2 + 1 + 4 + 7 + 200, InMemoryLinkNetwork.publishPacketSize(p));
    }

    @Test
    void publish_notConnected_failsNotConnected() {
        LinkClient c = transport.createClient(options("c").build());
        CompletableFuture<PublishResult> f = c.publish(OutgoingPublish.of(ROUTE, bytes("x"), 1));
        time.runUntilIdle();
        assertEquals(Kind.NOT_CONNECTED, failure(f).kind());
    }

    @Test
    void reply_fromOnLinkPublish_reachesSubscribedHandlerWithCorrelationData() {
        hooks.onLinkPublish((conn, topic, payload, props) -> {
            west.reply(
                    conn,
                    MqttMessage.builder()
                            .topic(props.responseTopic().orElseThrow())
                            .qos(1)
                            .payload(bytes("ack"))
                            .properties(PublishProperties.builder()
                                    .correlationData(props.correlationData().orElseThrow())
                                    .build())
                            .timestampMillis(time.wallClockMillis())
                            .build());
            return 0x10;
        });
        LinkClient c = connected("east:routesync:node1");
        List<InboundPublish> received = new ArrayList<>();
        CompletableFuture<Integer> sub = c.subscribe(RESP, 1, received::add);
        time.runUntilIdle();
        assertEquals(1, sub.join());
        assertFalse(
                hooks.any(RecordingHooks.Subscribed.class, s -> s.subscription().equals(RESP)),
                "a $LINK filter is granted but never reported to onSubscribe");

        c.publish(new OutgoingPublish(ROUTE, bytes("init"), 1, false, RESP, bytes("cafe")));
        time.runUntilIdle();

        assertEquals(1, received.size());
        assertEquals(RESP, received.get(0).topic());
        assertArrayEquals(bytes("ack"), received.get(0).payload());
        assertArrayEquals(bytes("cafe"), received.get(0).correlationData());
        assertEquals(1, endpoint.traffic().deliveries("$LINK/cluster/resp/"));
    }

    @Test
    void brokerDisconnect_duringLinkPublish_dropsClientWithCodeAndFailsPending() {
        hooks.onLinkPublish((conn, topic, payload, props) -> {
            west.disconnect(conn, 0x83, "protocol error");
            return 0x10;
        });
        LinkClient c = connected("c");
        LinkConnection conn = endpoint.connections().get(0).linkConnection();

        CompletableFuture<PublishResult> f = c.publish(OutgoingPublish.of(ROUTE, bytes("bad"), 1));
        time.runUntilIdle();

        assertEquals(List.of(new DisconnectReason(Cause.BROKER_DISCONNECT, 0x83, "protocol error")), lost);
        assertEquals(Kind.NOT_CONNECTED, failure(f).kind());
        assertFalse(c.isConnected());
        List<RecordingHooks.Event> events = hooks.events();
        assertInstanceOf(RecordingHooks.LinkPublished.class, events.get(events.size() - 3));
        assertEquals(
                new RecordingHooks.ConnectionClosed(conn, Thread.currentThread().getName()),
                events.get(events.size() - 2),
                "closed reported after onLinkPublish returned: " + events);
        assertInstanceOf(RecordingHooks.SessionEnded.class, events.get(events.size() - 1));
        assertTrue(endpoint.connections().isEmpty());
    }

    @Test
    void close_connectedClient_brokerReportsConnectionClosedAndNoListenerCall() {
        LinkClient c = connected("c");
        LinkConnection conn = endpoint.connections().get(0).linkConnection();

        c.close();
        c.close();
        assertFalse(c.isConnected());
        assertTrue(hooks.events(RecordingHooks.ConnectionClosed.class).isEmpty(), "not on the caller's stack");
        time.runUntilIdle();

        assertTrue(hooks.any(
                RecordingHooks.ConnectionClosed.class, e -> e.connection().equals(conn)));
        assertEquals(List.of(), lost);
        assertFalse(west.isConnected("c"));
        CompletableFuture<ConnectResult> again = c.connect(lost::add);
        time.runUntilIdle();
        assertEquals(Kind.CLOSED, failure(again).kind());
    }

    @Test
    void cutAll_connectedClients_seeSocketErrorAndBrokerSeesClose() {
        LinkClient a = connected("a");
        LinkClient b = connected("b");
        endpoint.dropMessagesMatching("$LINK/cluster/route/#");
        CompletableFuture<PublishResult> unacked = a.publish(OutgoingPublish.of(ROUTE, bytes("x"), 1));
        time.runUntilIdle();
        assertFalse(unacked.isDone(), "a dropped QoS 1 publish waits for its PUBACK");
        assertTrue(hooks.events(RecordingHooks.LinkPublished.class).isEmpty());

        assertEquals(2, endpoint.cutAll());
        time.runUntilIdle();

        assertEquals(2, lost.size());
        assertTrue(lost.stream().allMatch(r -> r.cause() == Cause.SOCKET_ERROR));
        assertEquals(Kind.NOT_CONNECTED, failure(unacked).kind());
        assertFalse(a.isConnected() || b.isConnected());
        assertEquals(2, hooks.events(RecordingHooks.ConnectionClosed.class).size());
        assertEquals(0, endpoint.cutAll());
    }

    @Test
    void delayMessages_publishArrivesOnlyAfterDelay() {
        LinkClient c = connected("c");
        endpoint.delayMessages(Duration.ofSeconds(2));

        CompletableFuture<PublishResult> f = c.publish(OutgoingPublish.of(ROUTE, bytes("x"), 1));
        time.advance(Duration.ofMillis(1999));
        assertFalse(f.isDone());
        assertTrue(hooks.events().stream().noneMatch(e -> e instanceof RecordingHooks.LinkPublished));

        time.advance(Duration.ofMillis(1));
        assertEquals(0x10, f.join().reasonCode());
    }

    @Test
    void publish_inflightWindowFull_waitsInsideTransport() {
        LinkClient c = transport.createClient(options("c").maxInflight(1).build());
        c.connect(lost::add);
        time.runUntilIdle();
        endpoint.connections().get(0).delayMessages(Duration.ofSeconds(1));

        CompletableFuture<PublishResult> first = c.publish(OutgoingPublish.of(ROUTE, bytes("1"), 1));
        CompletableFuture<PublishResult> second = c.publish(OutgoingPublish.of(ROUTE, bytes("2"), 1));
        time.runUntilIdle();
        assertEquals(1, endpoint.traffic().publishes(ROUTE));

        time.advance(Duration.ofSeconds(1));
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        assertEquals(2, endpoint.traffic().publishes(ROUTE));

        time.advance(Duration.ofSeconds(1));
        assertEquals(0x10, second.join().reasonCode());
    }

    @Test
    void connect_sameClientIdAgain_takesOverOldConnectionWith0x8E() {
        LinkClient first = connected("same");
        LinkConnection firstConn = endpoint.connections().get(0).linkConnection();
        LinkClient second = connected("same");

        assertFalse(first.isConnected());
        assertTrue(second.isConnected());
        assertEquals(0x8E, lost.get(0).reasonCode());
        LinkConnection secondConn = endpoint.connections().get(0).linkConnection();
        assertFalse(firstConn.connectionId().equals(secondConn.connectionId()));
        assertTrue(hooks.any(
                RecordingHooks.ConnectionClosed.class, e -> e.connection().equals(firstConn)));
    }

    @Test
    void listenerThrows_recordedAndOtherWorkContinues() {
        LinkClient c = transport.createClient(options("c").build());
        c.connect(reason -> {
            throw new IllegalStateException("listener bug");
        });
        time.runUntilIdle();

        endpoint.connections().get(0).cut();
        time.runUntilIdle();

        assertEquals("listener bug", network.callbackFailures().get(0).getMessage());
    }

    @Test
    void shutdown_endpoint_laterConnectsFailWithSocketError() {
        LinkClient c = connected("c");
        endpoint.shutdown();
        time.runUntilIdle();
        assertEquals(Cause.SOCKET_ERROR, lost.get(0).cause());

        CompletableFuture<ConnectResult> f = c.connect(lost::add);
        time.runUntilIdle();
        assertEquals(Cause.SOCKET_ERROR, failure(f).reason().cause());
        assertTrue(network.endpoint("west.example", 11883).isEmpty());
    }

    @Test
    void listen_sameAddressTwice_isRejected() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> network.listen("west.example", 11883, new FakeLocalBroker()));
        assertTrue(e.getMessage().contains("west.example:11883"), e.getMessage());
    }
}
