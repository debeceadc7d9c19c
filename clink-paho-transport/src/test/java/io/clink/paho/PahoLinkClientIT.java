package io.clink.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.clink.paho.testsupport.MosquittoBroker;
import io.clink.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoLinkClientIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PahoLinkTransport transport = new PahoLinkTransport();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void requireBroker() {
        MosquittoBroker.assumeAvailable();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        transport.close();
    }

    private MosquittoBroker broker(MosquittoBroker.Builder b) throws Exception {
        MosquittoBroker broker = b.start();
        cleanup.add(broker);
        return broker;
    }

    private LinkClient client(MosquittoBroker broker, String clientId) {
        return client(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId(clientId));
    }

    private LinkClient client(LinkClientOptions.Builder options) {
        LinkClient c = transport.createClient(options.build());
        cleanup.add(c);
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static LinkTransportException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LinkTransportException.class);
            return (LinkTransportException) e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connect_plainBroker_reportsConnackFacts() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient c = client(broker, "clA:routesync:0a1b2c3d");

        ConnectResult result = await(c.connect(r -> {}));

        assertThat(result.maximumPacketSize()).isEqualTo(ConnectResult.UNLIMITED);
        assertThat(result.sessionPresent()).isFalse();
        assertThat(c.isConnected()).isTrue();
        // Clean start and the 60 s default keepalive, as mosquitto saw them ("c1, k60").
        assertThat(broker.log()).contains("as clA:routesync:0a1b2c3d (p5, c1, k60");
    }

    @Test
    void publishSubscribe_qos0AndQos1_deliveredWithQosAndReasonCodes() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient subscriber = client(broker, "sub");
        LinkClient publisher = client(broker, "pub");
        await(subscriber.connect(r -> {}));
        await(publisher.connect(r -> {}));
        BlockingQueue<InboundPublish> received = new LinkedBlockingQueue<>();

        assertThat(await(subscriber.subscribe("t/#", 1, received::add))).isEqualTo(1);
        PublishResult q0 = await(publisher.publish(OutgoingPublish.of("t/zero", utf8("m0"), 0)));
        PublishResult q1 = await(publisher.publish(OutgoingPublish.of("t/one", utf8("m1"), 1)));

        InboundPublish first = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        InboundPublish second = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(q0.reasonCode()).isZero();
        assertThat(q1.reasonCode()).isZero();
        assertThat(first.topic()).isEqualTo("t/zero");
        assertThat(first.payload()).isEqualTo(utf8("m0"));
        assertThat(first.qos()).isZero();
        assertThat(second.topic()).isEqualTo("t/one");
        assertThat(second.payload()).isEqualTo(utf8("m1"));
        assertThat(second.qos()).isEqualTo(1);
    }

    @Test
    void publish_qos1WithoutSubscribers_returnsPubackReasonCodeToCaller() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient publisher = client(broker, "pub");
        await(publisher.connect(r -> {}));

        PublishResult result = await(publisher.publish(OutgoingPublish.of("nobody/listens", utf8("x"), 1)));

        // 0x10 "no matching subscribers": a success code that is not 0, so it must come from the PUBACK.
        assertThat(result.reasonCode()).isEqualTo(0x10);
        assertThat(result.isSuccess()).isTrue();
    }

    @Test
    void publish_manyQos1_allAcknowledgedInOrderThroughTheWindow() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient subscriber = client(broker, "sub");
        LinkClient publisher = client(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId("pub")
                .maxInflight(4));
        await(subscriber.connect(r -> {}));
        await(publisher.connect(r -> {}));
        List<String> received0 = new CopyOnWriteArrayList<>();
        List<String> received1 = new CopyOnWriteArrayList<>();
        await(subscriber.subscribe(
                "seq",
                1,
                p -> (p.qos() == 0 ? received0 : received1).add(new String(p.payload(), StandardCharsets.UTF_8))));

        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(publisher.publish(OutgoingPublish.of("seq", utf8(Integer.toString(i)), i % 2)));
        }
        for (CompletableFuture<PublishResult> r : results) {
            assertThat(await(r).isSuccess()).isTrue();
        }

        Await.until(
                "200 messages received",
                WAIT,
                () -> received0.size() + received1.size() == 200,
                () -> received0.size() + received1.size() + " of 200 received");
        // MQTT orders messages per topic and QoS (MQTT 5 section 4.6); the broker may interleave the two QoS streams.
        List<String> expected0 = new ArrayList<>();
        List<String> expected1 = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            (i % 2 == 0 ? expected0 : expected1).add(Integer.toString(i));
        }
        assertThat(received0).containsExactlyElementsOf(expected0);
        assertThat(received1).containsExactlyElementsOf(expected1);
    }

    @Test
    void responseTopicAndCorrelationData_roundTrip() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient requester = client(broker, "requester");
        LinkClient responder = client(broker, "responder");
        await(requester.connect(r -> {}));
        await(responder.connect(r -> {}));
        BlockingQueue<InboundPublish> requests = new LinkedBlockingQueue<>();
        BlockingQueue<InboundPublish> responses = new LinkedBlockingQueue<>();
        await(responder.subscribe("$LINK/cluster/route/clB", 1, requests::add));
        await(requester.subscribe("$LINK/cluster/resp/clA", 1, responses::add));
        byte[] correlation = {0, 1, 2, (byte) 0xFF};

        await(requester.publish(new OutgoingPublish(
                "$LINK/cluster/route/clB", utf8("actor_init"), 1, false, "$LINK/cluster/resp/clA", correlation)));
        InboundPublish request = requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(request.responseTopic()).isEqualTo("$LINK/cluster/resp/clA");
        assertThat(request.correlationData()).isEqualTo(correlation);
        await(responder.publish(new OutgoingPublish(
                request.responseTopic(), utf8("actor_init_ack"), 1, false, null, request.correlationData())));
        InboundPublish response = responses.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(response.payload()).isEqualTo(utf8("actor_init_ack"));
        assertThat(response.correlationData()).isEqualTo(correlation);
        assertThat(response.responseTopic()).isNull();
    }

    @Test
    void subscribe_overlappingFilters_eachHandlerGetsTheMessageOnceBySubscriptionIdentifier() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient c = client(broker, "overlap");
        await(c.connect(r -> {}));
        List<String> wide = new CopyOnWriteArrayList<>();
        List<String> narrow = new CopyOnWriteArrayList<>();
        await(c.subscribe("a/#", 0, p -> wide.add(p.topic())));
        await(c.subscribe("a/b", 0, p -> narrow.add(p.topic())));

        await(c.publish(OutgoingPublish.of("a/b", utf8("x"), 1)));
        await(c.publish(OutgoingPublish.of("a/c", utf8("y"), 1)));

        Await.until(
                "the wide and narrow subscriptions receive",
                WAIT,
                () -> wide.size() >= 2 && narrow.size() >= 1,
                () -> "wide=" + wide + " narrow=" + narrow);
        // A marker message proves nothing else is still on its way before checking exact counts.
        List<String> marker = new CopyOnWriteArrayList<>();
        await(c.subscribe("marker", 0, p -> marker.add(p.topic())));
        await(c.publish(OutgoingPublish.of("marker", utf8("m"), 1)));
        Await.until("the marker arrives", WAIT, () -> marker.size() == 1, () -> "marker not received");
        assertThat(wide).containsExactly("a/b", "a/c");
        assertThat(narrow).containsExactly("a/b");
        assertThat(broker.log()).contains("Received SUBSCRIBE from overlap");
    }

    @Test
    void publish_largerThanBrokerMaxPacketSize_rejectedBeforeSending() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder().maxPacketSize(1000));
        LinkClient c = client(broker, "big");
        ConnectResult result = await(c.connect(r -> {}));
        long publishesSeen = broker.countLogLines("Received PUBLISH from big");

        LinkTransportException e = failure(c.publish(OutgoingPublish.of("big/topic", new byte[2000], 1)));

        assertThat(result.maximumPacketSize()).isEqualTo(1000);
        assertThat(e.kind()).isEqualTo(Kind.PACKET_TOO_LARGE);
        assertThat(e.getMessage()).contains("big/topic").contains("1000");
        assertThat(c.isConnected()).isTrue();
        assertThat(await(c.publish(OutgoingPublish.of("big/topic", new byte[500], 1)))
                        .isSuccess())
                .isTrue();
        Await.until(
                "the broker logs the big PUBLISH",
                WAIT,
                () -> broker.countLogLines("Received PUBLISH from big") == publishesSeen + 1,
                broker::log);
        assertThat(broker.log()).doesNotContain("2000 bytes");
    }

    @Test
    void connect_wrongPassword_refusedNotAuthorizedWithoutRetries() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder().user("link", "secret"));
        LinkClient wrong = client(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId("wrong")
                .username("link")
                .password(utf8("not-the-password")));

        long connectionsBefore = broker.countLogLines("New connection from");

        LinkTransportException e = failure(wrong.connect(r -> {}));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        DisconnectReason reason = e.reason();
        assertThat(reason.cause()).isEqualTo(Cause.CONNECT_REFUSED);
        assertThat(reason.reasonCode()).isIn(0x86, 0x87);
        assertThat(reason.message()).contains("not authorized");
        assertThat(wrong.isConnected()).isFalse();
        // No retry storm: during a second of observation the broker sees exactly the one attempt.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            assertThat(broker.countLogLines("New connection from")).isEqualTo(connectionsBefore + 1);
            Thread.sleep(50);
        }

        LinkClient right = client(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(broker.port())
                .clientId("right")
                .username("link")
                .password(utf8("secret"))
                .cleanStart(false)
                .sessionExpiryIntervalSeconds(60)
                .keepAlive(Duration.ofSeconds(15)));
        assertThat(await(right.connect(r -> {})).maximumPacketSize()).isPositive();
        // CONNECT as mosquitto saw it: MQTT 5, clean start off, keepalive 15 s, the user name.
        assertThat(broker.log()).contains("as right (p5, c0, k15, u'link')");
    }

    @Test
    void brokerKilledAndRestarted_reportedDownThenReconnectsOnRequest() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient c = client(broker, "survivor");
        BlockingQueue<DisconnectReason> lost = new LinkedBlockingQueue<>();
        await(c.connect(lost::add));

        broker.kill();
        DisconnectReason reason = lost.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(reason).isNotNull();
        assertThat(reason.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(reason.message()).isNotEmpty();
        assertThat(c.isConnected()).isFalse();
        LinkTransportException e = failure(c.publish(OutgoingPublish.of("t", utf8("x"), 1)));
        assertThat(e.kind()).isEqualTo(Kind.NOT_CONNECTED);

        broker.start();
        BlockingQueue<DisconnectReason> lostAgain = new LinkedBlockingQueue<>();
        await(c.connect(lostAgain::add));
        assertThat(c.isConnected()).isTrue();
        assertThat(await(c.publish(OutgoingPublish.of("t", utf8("x"), 1))).isSuccess())
                .isTrue();
        assertThat(lost).isEmpty();
        assertThat(lostAgain).isEmpty();
    }

    @Test
    void sessionTakenOver_oldConnectionReportedLost() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient first = client(broker, "clA:msg:0a1b2c3d:1");
        LinkClient second = client(broker, "clA:msg:0a1b2c3d:1");
        BlockingQueue<DisconnectReason> lost = new LinkedBlockingQueue<>();
        await(first.connect(lost::add));

        await(second.connect(r -> {}));
        DisconnectReason reason = lost.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(reason).isNotNull();
        // mosquitto 2.0.11 just closes the old socket; brokers that send DISCONNECT say 0x8E "session taken over".
        // The fake-peer test checks the DISCONNECT classification byte for byte.
        if (reason.cause() == Cause.BROKER_DISCONNECT) {
            assertThat(reason.reasonCode()).isEqualTo(0x8E);
            assertThat(reason.message()).contains("session taken over");
        } else {
            assertThat(reason.cause()).isEqualTo(Cause.SOCKET_ERROR);
            assertThat(reason.message()).contains("without DISCONNECT");
        }
        assertThat(first.isConnected()).isFalse();
        assertThat(second.isConnected()).isTrue();
    }

    @Test
    void connect_nothingListening_socketErrorConnectionRefused() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        int port = broker.port();
        broker.kill();
        LinkClient c =
                client(LinkClientOptions.builder().host("127.0.0.1").port(port).clientId("refused"));

        LinkTransportException e = failure(c.connect(r -> {}));

        assertThat(e.reason().cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(e.reason().message()).contains("connection refused");
    }

    @Test
    void connect_whileConnected_illegalStateAndCloseSendsDisconnect() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient c = client(broker, "twice");
        List<DisconnectReason> lost = new CopyOnWriteArrayList<>();
        await(c.connect(lost::add));

        assertThat(failure(c.connect(r -> {})).kind()).isEqualTo(Kind.ILLEGAL_STATE);
        long start = System.nanoTime();
        c.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).isLessThan(1000);
        Await.until(
                "the broker disconnects the first 'twice' client",
                WAIT,
                () -> broker.log().contains("Client twice disconnected."),
                broker::log);
        assertThat(c.isConnected()).isFalse();
        assertThat(failure(c.connect(r -> {})).kind()).isEqualTo(Kind.CLOSED);
        assertThat(failure(c.publish(OutgoingPublish.of("t", utf8("x"), 0))).kind())
                .isEqualTo(Kind.CLOSED);
        assertThat(lost).isEmpty();
    }

    @Test
    void publishAndSubscribe_beforeConnect_notConnected() throws Exception {
        MosquittoBroker broker = broker(MosquittoBroker.builder());
        LinkClient c = client(broker, "early");

        assertThat(failure(c.publish(OutgoingPublish.of("t", utf8("x"), 1))).kind())
                .isEqualTo(Kind.NOT_CONNECTED);
        assertThatThrownBy(() -> await(c.subscribe("t", 1, p -> {}))).hasCauseInstanceOf(LinkTransportException.class);
    }
}
