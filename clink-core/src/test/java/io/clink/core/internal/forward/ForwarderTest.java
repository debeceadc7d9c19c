package io.clink.core.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.config.DispatchStrategy;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ReconnectBackoff;
import io.clink.api.config.ResourceOptions;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.LinkClientIds;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.core.internal.connection.FailingScheduler;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.core.internal.testing.FakeTransport;
import io.clink.core.internal.testing.FakeTransport.FakeClient;
import io.clink.core.internal.testing.FakeTransport.Publish;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ForwarderTest {
    private static final String LOCAL = "cluster-a";
    private static final String REMOTE = "cluster-b";
    private static final String MSG_TOPIC = "$LINK/cluster/msg/" + LOCAL;
    private static final DisconnectReason KICKED =
            new DisconnectReason(Cause.BROKER_DISCONNECT, 0x98, "administrative action");

    private final ManualTime time = TestEngines.newTime();
    private final FailingScheduler scheduler = new FailingScheduler(time.scheduler());
    private final FakeTransport transport = new FakeTransport();
    private final List<ForwardingStatus> statuses = new ArrayList<>();
    private final EtfDecoder decoder = EtfDecoder.withDefaults();
    private LinkCounters counters;
    private Forwarder forwarder;

    private static LinkConfig.Builder link() {
        return link(1);
    }

    private static LinkConfig.Builder link(int poolSize) {
        return TestEngines.link(REMOTE, "#")
                .clientId("clink-a")
                .poolSize(poolSize)
                .reconnect(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0));
    }

    private Forwarder create(LinkConfig link) {
        counters = new LinkCounters();
        forwarder = TestEngines.forwarder(
                time, scheduler, transport, TestEngines.config(LOCAL, link), link, counters, 3, statuses::add);
        return forwarder;
    }

    private Forwarder start(LinkConfig link) {
        create(link).start();
        time.runUntilIdle();
        return forwarder;
    }

    /** Starts with every pool connection up. */
    private Forwarder startConnected(LinkConfig link) {
        start(link);
        for (FakeClient c : transport.clients) {
            c.accept();
        }
        time.runUntilIdle();
        return forwarder;
    }

    private static MqttMessage msg(String publisher, int qos, String text) {
        return MqttMessage.builder()
                .topic("t/" + publisher)
                .payload(text.getBytes(StandardCharsets.UTF_8))
                .qos(qos)
                .publisherClientId(publisher)
                .timestampMillis(TestEngines.EPOCH_MILLIS)
                .build();
    }

    private void forward(MqttMessage... messages) {
        for (MqttMessage m : messages) {
            forwarder.forward(m);
        }
        time.runUntilIdle();
    }

    private ForwardedMessage record(OutgoingPublish p) {
        try {
            return ForwardedMessage.decode(decoder, p.payload());
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private String text(OutgoingPublish p) {
        return StandardCharsets.UTF_8.decode(record(p).payload()).toString();
    }

    private List<String> texts(FakeClient c) {
        return c.publishes.stream().map(s -> text(s.message())).collect(Collectors.toList());
    }

    /** Acknowledges until nothing is left in flight, as the window refills after each acknowledgement. */
    private void ackEverything(int reasonCode) {
        for (int round = 0; round < 10_000 && transport.clients.stream().anyMatch(c -> !c.unacked.isEmpty()); round++) {
            transport.clients.forEach(c -> c.ackAll(reasonCode));
            time.runUntilIdle();
        }
    }

    private static int encodedSize(MqttMessage m) {
        return MessageMapping.toForwarded(m, new byte[16]).encodedSize();
    }

    private void assertSettled(long admitted) {
        assertThat(counters.bufferedMessages.get()).isZero();
        assertThat(counters.inflightMessages.get()).isZero();
        assertThat(counters.bufferedBytes.get()).isZero();
        assertThat(counters.forwarded.sum() + counters.failed.sum() + counters.dropped.sum())
                .isEqualTo(admitted);
    }

    // ---- start, options, status ----

    @Test
    void start_poolOfThree_createsMsgClientsWithTheLinkOptions() {
        start(link(3).username("u")
                .password("secret")
                .maxInflight(7)
                .keepalive(Duration.ofSeconds(30))
                .build());

        assertThat(transport.validated).hasSize(1);
        assertThat(transport.clients)
                .extracting(c -> c.options.clientId())
                .containsExactly(
                        LinkClientIds.message("clink-a", TestEngines.NODE, 1),
                        LinkClientIds.message("clink-a", TestEngines.NODE, 2),
                        LinkClientIds.message("clink-a", TestEngines.NODE, 3));
        LinkClientOptions o = transport.client(2).options;
        assertThat(o.host()).isEqualTo("peer.example");
        assertThat(o.port()).isEqualTo(11883);
        assertThat(o.cleanStart()).isTrue();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.username()).hasValue("u");
        assertThat(o.password()).hasValue("secret".getBytes(StandardCharsets.UTF_8));
        assertThat(o.maxInflight()).isEqualTo(7);
        assertThat(transport.clients).allSatisfy(c -> assertThat(c.connecting()).isTrue());
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTING);
    }

    @Test
    void reconnect_severalEndpoints_rotatesOnFailureAndAfterLoss() {
        start(LinkConfig.builder()
                .name(REMOTE)
                .server("p1:1,p2:2")
                .poolSize(1)
                .topics("#")
                .clientId("clink-a")
                .reconnect(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0))
                .build());
        assertThat(transport.client(1).options.host()).isEqualTo("p1");

        transport.client(1).refuse(KICKED);
        time.runUntilIdle();
        time.advance(Duration.ofSeconds(1));
        time.runUntilIdle();

        assertThat(transport.client(1).closed).isTrue();
        assertThat(transport.clients).hasSize(2);
        assertThat(transport.client(2).options.host()).isEqualTo("p2");
        assertThat(transport.client(2).options.port()).isEqualTo(2);
        assertThat(forwarder.endpointsInUse()).isEmpty();
        transport.client(2).accept();
        time.runUntilIdle();
        assertThat(forwarder.endpointsInUse()).containsExactly("p2:2");

        transport.client(2).drop(KICKED);
        time.runUntilIdle();
        assertThat(forwarder.endpointsInUse()).isEmpty();
        time.advance(Duration.ofSeconds(1));
        time.runUntilIdle();

        assertThat(transport.clients).hasSize(3);
        assertThat(transport.client(3).options.host()).isEqualTo("p1");
        assertThat(counters.reconnects.sum())
                .as("a failed connect and a lost connection")
                .isEqualTo(2);
        assertThat(transport.client(3).options.clientId())
                .isEqualTo(LinkClientIds.message("clink-a", TestEngines.NODE, 1));
    }

    @Test
    void reconnect_singleEndpoint_keepsItsOneClient() {
        start(link().build());

        transport.client(1).refuse(KICKED);
        time.runUntilIdle();
        time.advance(Duration.ofSeconds(1));
        time.runUntilIdle();
        transport.client(1).accept();
        time.runUntilIdle();

        assertThat(transport.clients).hasSize(1);
        assertThat(transport.client(1).connectCalls).isEqualTo(2);
        assertThat(forwarder.endpointsInUse()).containsExactly("peer.example:11883");
    }

    @Test
    void status_allConnectionsUp_isConnectedAndOneMissingIsConnecting() {
        start(link(2).build());

        transport.client(1).accept();
        time.runUntilIdle();
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTING);
        transport.client(2).accept();
        time.runUntilIdle();

        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTED);
        assertThat(statuses).containsExactly(ForwardingStatus.CONNECTING, ForwardingStatus.CONNECTED);
        assertThat(forwarder.lastDisconnectReason()).isEmpty();
    }

    @Test
    void status_peerKicksRepeatedly_disconnectedWithTheReason() {
        // Scenario 5: the remote kicks the forwarding sessions; status names the cause and reason code.
        startConnected(link(2).build());

        for (int round = 0; round < 3; round++) {
            transport.client(1).drop(KICKED);
            time.runUntilIdle();
            assertThat(forwarder.status()).isEqualTo(ForwardingStatus.DISCONNECTED);
            assertThat(forwarder.lastDisconnectReason()).hasValue(KICKED);
            time.advance(Duration.ofSeconds(1));
            transport.client(1).accept();
            time.runUntilIdle();
            assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTED);
        }

        assertThat(forwarder.lastDisconnectReason()).hasValue(KICKED);
        assertThat(statuses)
                .containsExactly(
                        ForwardingStatus.CONNECTING,
                        ForwardingStatus.CONNECTED,
                        ForwardingStatus.DISCONNECTED,
                        ForwardingStatus.CONNECTED,
                        ForwardingStatus.DISCONNECTED,
                        ForwardingStatus.CONNECTED,
                        ForwardingStatus.DISCONNECTED,
                        ForwardingStatus.CONNECTED);
    }

    @Test
    void status_connectRefused_disconnectedWithTheRefusal() {
        start(link().build());
        DisconnectReason refused = new DisconnectReason(Cause.CONNECT_REFUSED, 0x86, "bad user name or password");

        transport.client(1).refuse(refused);
        time.runUntilIdle();

        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.DISCONNECTED);
        assertThat(forwarder.lastDisconnectReason()).hasValue(refused);
    }

    @Test
    void start_twice_isRejected() {
        start(link().build());

        assertThatThrownBy(forwarder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(REMOTE);
    }

    @Test
    void start_transportRejectsOptions_throwsAndCreatesNoClient() {
        transport.validateFailure = new IllegalArgumentException("cannot read /etc/certs/ca.pem");
        create(link().build());

        assertThatThrownBy(forwarder::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca.pem");
        assertThat(transport.clients).isEmpty();
    }

    // ---- what goes on the wire ----

    @Test
    void forward_anyQos_publishesTheRecordOnTheMsgTopicAtMinOneQos() {
        startConnected(link().build());

        forward(msg("p", 0, "zero"), msg("p", 1, "one"), msg("p", 2, "two"));

        List<Publish> sent = transport.client(1).publishes;
        assertThat(sent).extracting(s -> s.message().topic()).containsOnly(MSG_TOPIC);
        assertThat(sent).extracting(s -> s.message().qos()).containsExactly(0, 1, 1);
        assertThat(sent).extracting(s -> record(s.message()).qos()).containsExactly(0, 1, 2);
        assertThat(sent).extracting(s -> s.message().retain()).containsOnly(false);
    }

    @Test
    void forward_record_decodesBackToTheLocalPublish() throws Exception {
        startConnected(link().build());
        MqttMessage m = msg("pub-1", 1, "hello");

        forward(m);

        ForwardedMessage r = record(transport.client(1).publishes.get(0).message());
        assertThat(MessageMapping.toMqttMessage(r, LOCAL, 0).message())
                .isEqualTo(m.toBuilder().originCluster(LOCAL).build());
        assertThat(r.id().length()).isEqualTo(16);
    }

    @Test
    void forward_pubackCodes_successBelow0x80FailureAbove() {
        startConnected(link().build());
        forward(msg("p", 1, "a"), msg("p", 1, "b"), msg("p", 1, "c"), msg("p", 1, "d"));
        FakeClient c = transport.client(1);

        c.ack(0x00);
        c.ack(0x10);
        c.ack(0x87);
        c.ack(0x80);
        time.runUntilIdle();

        assertThat(counters.forwarded.sum()).isEqualTo(2);
        assertThat(counters.failed.sum()).isEqualTo(2);
        assertThat(counters.retried.sum()).isZero();
        assertThat(c.publishes).hasSize(4);
        assertSettled(4);
    }

    @Test
    void forward_qos0Written_countsForwarded() {
        startConnected(link().build());

        forward(msg("p", 0, "a"));

        assertThat(counters.forwarded.sum()).isEqualTo(1);
        assertSettled(1);
    }

    @Test
    void forward_packetTooLarge_countedFailedAndTheLinkKeepsGoing() {
        startConnected(link().build());
        MqttMessage small = msg("p", 1, "s");
        MqttMessage big = msg("p", 1, "x".repeat(500));
        transport.client(1).maximumPacketSize = encodedSize(small);

        forward(big, small);

        assertThat(counters.failed.sum()).isEqualTo(1);
        assertThat(texts(transport.client(1))).containsExactly("s");
        transport.client(1).ack(0);
        time.runUntilIdle();
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTED);
        assertSettled(2);
    }

    @Test
    void forward_inflightWindow_sendsAtMostMaxInflightThenMoreOnAck() {
        startConnected(link().maxInflight(2).build());

        forward(msg("p", 1, "1"), msg("p", 1, "2"), msg("p", 1, "3"), msg("p", 1, "4"));
        assertThat(texts(transport.client(1))).containsExactly("1", "2");
        assertThat(counters.bufferedMessages.get()).isEqualTo(4);
        assertThat(counters.inflightMessages.get()).isEqualTo(2);

        transport.client(1).ack(0);
        time.runUntilIdle();

        assertThat(texts(transport.client(1))).containsExactly("1", "2", "3");
        assertThat(counters.bufferedMessages.get()).isEqualTo(3);
        assertThat(counters.inflightMessages.get()).isEqualTo(2);

        transport.client(1).drop(KICKED);
        time.runUntilIdle();
        assertThat(counters.inflightMessages.get())
                .as("a lost connection puts its window back in the queue")
                .isZero();
    }

    @Test
    void forward_inflightWindowBelowMaxInflight_theSmallerBoundsWhatIsUnacknowledged() {
        startConnected(link().maxInflight(32)
                .resourceOptions(io.clink.api.config.ResourceOptions.builder()
                        .inflightWindow(2)
                        .build())
                .build());

        forward(msg("p", 1, "1"), msg("p", 1, "2"), msg("p", 1, "3"));

        assertThat(texts(transport.client(1))).containsExactly("1", "2");
        assertThat(counters.inflightMessages.get()).isEqualTo(2);
        transport.client(1).ack(0);
        time.runUntilIdle();
        assertThat(texts(transport.client(1))).containsExactly("1", "2", "3");
    }

    // ---- ordering and dispatch ----

    @Test
    void forward_tenPublishersOverEightConnections_receiverSeesEachPublishersOrder() {
        // Scenario 4: 10 publishers x 10 QoS 1 messages, interleaved; the target sees each publisher in order.
        startConnected(link(8).build());
        RecordingBroker target = new RecordingBroker();
        ForwardedReceiver receiver = TestEngines.receiving(
                        TestEngines.newTime(),
                        target,
                        TestEngines.config(
                                REMOTE, TestEngines.link(LOCAL, "t/#").build()))
                .receiver;
        LinkConnection conn = LinkConnection.of("c1", "clink-a:msg");
        transport.wire = p ->
                assertThat(receiver.onMessagePublish(conn, LOCAL, p.payload())).isZero();
        Random random = new Random(11);
        int[] next = new int[10];
        for (int i = 0; i < 100; i++) {
            int p;
            do {
                p = random.nextInt(10);
            } while (next[p] == 10);
            forwarder.forward(msg("pub-" + p, 1, Integer.toString(next[p]++)));
            if (random.nextInt(4) == 0) {
                time.runUntilIdle();
                transport.clients.get(random.nextInt(8)).ackAll(0);
            }
        }
        time.runUntilIdle();
        ackEverything(0);

        Map<String, List<String>> byPublisher = new HashMap<>();
        for (MqttMessage m : target.delivered()) {
            byPublisher
                    .computeIfAbsent(m.publisherClientId().orElseThrow(), k -> new ArrayList<>())
                    .add(StandardCharsets.UTF_8.decode(m.payload()).toString());
        }
        List<String> inOrder =
                IntStream.range(0, 10).mapToObj(Integer::toString).collect(Collectors.toList());
        assertThat(byPublisher).hasSize(10);
        assertThat(byPublisher.values()).allSatisfy(seq -> assertThat(seq).isEqualTo(inOrder));
        assertThat(target.delivered())
                .allSatisfy(m -> assertThat(m.originCluster()).hasValue(LOCAL));
        assertThat(transport.clients.stream()
                        .filter(c -> !c.publishes.isEmpty())
                        .count())
                .isGreaterThan(3);
        for (FakeClient c : transport.clients) {
            Set<String> publishers =
                    c.publishes.stream().map(s -> record(s.message()).from()).collect(Collectors.toSet());
            for (FakeClient other : transport.clients) {
                if (other != c) {
                    assertThat(other.publishes)
                            .noneMatch(
                                    s -> publishers.contains(record(s.message()).from()));
                }
            }
        }
        assertSettled(100);
    }

    @Test
    void forward_randomDispatch_spreadsOverThePoolAndDeliversEachOnce() {
        // Scenario 3: dispatch_strategy = random.
        startConnected(link(4).resourceOptions(ResourceOptions.builder()
                        .dispatchStrategy(DispatchStrategy.RANDOM)
                        .build())
                .build());

        for (int i = 0; i < 40; i++) {
            forwarder.forward(msg("only-publisher", 1, Integer.toString(i)));
        }
        time.runUntilIdle();
        transport.clients.forEach(c -> c.ackAll(0));
        time.runUntilIdle();

        assertThat(transport.clients).allSatisfy(c -> assertThat(c.publishes).isNotEmpty());
        List<String> all = transport.allSent().stream().map(this::text).sorted().collect(Collectors.toList());
        assertThat(all)
                .isEqualTo(IntStream.range(0, 40)
                        .mapToObj(Integer::toString)
                        .sorted()
                        .collect(Collectors.toList()));
        assertThat(counters.forwarded.sum()).isEqualTo(40);
        assertSettled(40);
    }

    @Test
    void forward_unknownPublisher_keepsPerTopicOrderOnOneConnection() {
        startConnected(link(8).build());
        MqttMessage.Builder anonymous =
                MqttMessage.builder().topic("t/anon").qos(1).timestampMillis(1);

        for (int i = 0; i < 5; i++) {
            forwarder.forward(anonymous.payload(new byte[] {(byte) i}).build());
        }
        time.runUntilIdle();

        assertThat(transport.clients.stream()
                        .filter(c -> !c.publishes.isEmpty())
                        .count())
                .isEqualTo(1);
    }

    // ---- buffer bounds ----

    @Test
    void forward_bufferFullByCount_dropsTheOverflowAndGaugesStayExact() {
        start(link().forwardingBufferMaxMessages(3).build());
        MqttMessage m = msg("p", 1, "same size");

        forward(m, m, m, m, m);

        assertThat(counters.dropped.sum()).isEqualTo(2);
        assertThat(counters.bufferedMessages.get()).isEqualTo(3);
        assertThat(counters.bufferedBytes.get()).isEqualTo(3L * encodedSize(m));
        transport.client(1).accept();
        time.runUntilIdle();
        transport.client(1).ackAll(0);
        time.runUntilIdle();
        assertThat(counters.forwarded.sum()).isEqualTo(3);
        assertSettled(5);
    }

    @Test
    void forward_bufferFullByBytes_dropsWhatDoesNotFit() {
        MqttMessage m = msg("p", 1, "0123456789");
        int size = encodedSize(m);
        start(link().forwardingBufferMaxBytes(size * 5L / 2).build());

        forward(m, m, m, msg("p", 1, "x".repeat(size * 3)));

        assertThat(counters.dropped.sum()).isEqualTo(2);
        assertThat(counters.bufferedMessages.get()).isEqualTo(2);
        assertThat(counters.bufferedBytes.get()).isEqualTo(2L * size);
    }

    @Test
    void forward_floodWhileDown_memoryStaysWithinTheLimit() {
        start(link().forwardingBufferMaxMessages(100).build());

        for (int i = 0; i < 10_000; i++) {
            forwarder.forward(msg("p" + (i % 7), 1, Integer.toString(i)));
        }
        time.runUntilIdle();

        assertThat(counters.bufferedMessages.get()).isEqualTo(100);
        assertThat(counters.dropped.sum()).isEqualTo(9_900);
        transport.client(1).accept();
        time.runUntilIdle();
        ackEverything(0);
        assertThat(transport.client(1).publishes).hasSize(100);
        assertSettled(10_000);
    }

    @Test
    void forward_heldLongerThanRequestTtl_isDroppedWithoutAConnection() {
        start(link().resourceOptions(ResourceOptions.builder()
                        .requestTtl(Duration.ofSeconds(5))
                        .build())
                .build());
        forward(msg("p", 1, "old"));
        time.advance(Duration.ofSeconds(3));
        forward(msg("p", 1, "young"));

        time.advance(Duration.ofMillis(2_001));

        assertThat(counters.dropped.sum()).isEqualTo(1);
        assertThat(counters.bufferedMessages.get()).isEqualTo(1);
        transport.client(1).accept();
        time.runUntilIdle();
        assertThat(texts(transport.client(1))).containsExactly("young");
        time.advance(Duration.ofSeconds(10));
        assertThat(counters.dropped.sum()).isEqualTo(1);
    }

    @Test
    void forward_waitingBehindAFullWindow_expiresAfterRequestTtl() {
        startConnected(link().maxInflight(1)
                .resourceOptions(ResourceOptions.builder()
                        .requestTtl(Duration.ofSeconds(5))
                        .build())
                .build());
        forward(msg("p", 1, "first"), msg("p", 1, "second"));

        time.advance(Duration.ofSeconds(6));
        transport.client(1).ack(0);
        time.runUntilIdle();

        assertThat(texts(transport.client(1))).containsExactly("first");
        assertThat(counters.forwarded.sum()).isEqualTo(1);
        assertThat(counters.dropped.sum()).isEqualTo(1);
        assertSettled(2);
    }

    // ---- connection loss, at-least-once ----

    @Test
    void connectionLost_unackedQos1_resentInOrderBeforeNewerMessages() {
        startConnected(link().build());
        FakeClient c = transport.client(1);
        forward(msg("p", 1, "1"), msg("p", 1, "2"), msg("p", 1, "3"), msg("p", 1, "4"), msg("p", 1, "5"));
        c.ack(0);
        c.ack(0);
        time.runUntilIdle();

        c.drop(KICKED);
        time.runUntilIdle();
        forward(msg("p", 1, "6"));
        assertThat(c.publishes).hasSize(5);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();

        assertThat(texts(c)).containsExactly("1", "2", "3", "4", "5", "3", "4", "5", "6");
        assertThat(counters.retried.sum()).isEqualTo(3);
        assertThat(c.publishes.get(5).message().payload())
                .isSameAs(c.publishes.get(2).message().payload());
        c.ackAll(0);
        time.runUntilIdle();
        assertThat(counters.forwarded.sum()).isEqualTo(6);
        assertSettled(6);
    }

    @Test
    void connectionLost_listenerHeardBeforeThePublishesFail_stillResends() {
        startConnected(link().build());
        FakeClient c = transport.client(1);
        forward(msg("p", 1, "1"), msg("p", 1, "2"));

        c.dropSilently(KICKED);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();

        assertThat(texts(c)).containsExactly("1", "2", "1", "2");
        assertThat(counters.retried.sum()).isEqualTo(2);
    }

    @Test
    void connectionLost_lateAckOfTheOldConnection_isIgnored() {
        startConnected(link().build());
        FakeClient c = transport.client(1);
        forward(msg("p", 1, "1"), msg("p", 1, "2"));
        List<Publish> firstTry = new ArrayList<>(c.publishes);

        c.dropSilently(KICKED);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();
        firstTry.forEach(s -> s.result().complete(PublishResult.SUCCESS));
        time.runUntilIdle();

        assertThat(counters.forwarded.sum()).isZero();
        assertThat(counters.bufferedMessages.get()).isEqualTo(2);
        c.ackAll(0);
        time.runUntilIdle();
        assertThat(counters.forwarded.sum()).isEqualTo(2);
        assertSettled(2);
    }

    @Test
    void connectionLost_twiceBeforeTheResendIsAcked_keepsTheOriginalOrder() {
        startConnected(link().maxInflight(2).build());
        FakeClient c = transport.client(1);
        forward(msg("p", 1, "1"), msg("p", 1, "2"), msg("p", 1, "3"), msg("p", 1, "4"));

        c.drop(KICKED);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();
        c.drop(KICKED);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();
        c.ackAll(0);
        time.runUntilIdle();
        c.ackAll(0);
        time.runUntilIdle();

        assertThat(texts(c)).containsExactly("1", "2", "1", "2", "1", "2", "3", "4");
        assertThat(counters.forwarded.sum()).isEqualTo(4);
        assertSettled(4);
    }

    @Test
    void connectionDown_qos0_droppedOnArrivalAndWhenQueued() {
        startConnected(link().maxInflight(1).build());
        FakeClient c = transport.client(1);
        forward(msg("p", 1, "q1"), msg("p", 0, "q0-queued"));

        c.drop(KICKED);
        time.runUntilIdle();
        forward(msg("p", 0, "q0-while-down"));

        assertThat(counters.dropped.sum()).isEqualTo(2);
        time.advance(Duration.ofSeconds(1));
        c.accept();
        time.runUntilIdle();
        assertThat(texts(c)).containsExactly("q1", "q1");
        c.ackAll(0);
        time.runUntilIdle();
        assertSettled(3);
    }

    @Test
    void forward_beforeStart_buffersQos1AndDropsQos0() {
        create(link().build());

        forward(msg("p", 1, "early"), msg("p", 0, "early-q0"));
        forwarder.start();
        time.runUntilIdle();
        transport.client(1).accept();
        time.runUntilIdle();

        assertThat(texts(transport.client(1))).containsExactly("early");
        assertThat(counters.dropped.sum()).isEqualTo(1);
    }

    // ---- reconnect backoff ----

    @Test
    void reconnect_refusedRepeatedly_backsOffExponentiallyUpToTheCap() {
        start(link().build());
        FakeClient c = transport.client(1);
        DisconnectReason refused = new DisconnectReason(Cause.SOCKET_ERROR, -1, "connection refused");
        List<Long> gapsMillis = new ArrayList<>();

        for (int attempt = 0; attempt < 6; attempt++) {
            c.refuse(refused);
            time.runUntilIdle();
            int calls = c.connectCalls;
            gapsMillis.add(time.nextTimerDelay().orElseThrow().toMillis());
            time.advance(time.nextTimerDelay().orElseThrow().minusNanos(1));
            assertThat(c.connectCalls).isEqualTo(calls);
            time.advance(Duration.ofNanos(1));
            assertThat(c.connectCalls).isEqualTo(calls + 1);
        }

        assertThat(gapsMillis).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 8_000L, 8_000L);
    }

    @Test
    void reconnect_afterASuccessfulConnect_startsAgainFromTheInitialDelay() {
        start(link().build());
        FakeClient c = transport.client(1);
        DisconnectReason refused = new DisconnectReason(Cause.SOCKET_ERROR, -1, "connection refused");
        c.refuse(refused);
        time.advance(Duration.ofSeconds(1));
        c.refuse(refused);
        time.advance(Duration.ofSeconds(2));
        c.accept();
        time.runUntilIdle();

        c.drop(KICKED);
        time.runUntilIdle();

        assertThat(time.nextTimerDelay().orElseThrow()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void reconnect_poolConnectionsRecoverIndependently() {
        startConnected(link(3).build());

        transport.client(2).drop(KICKED);
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.client(1).connectCalls).isEqualTo(1);
        assertThat(transport.client(2).connectCalls).isEqualTo(2);
        assertThat(transport.client(3).connectCalls).isEqualTo(1);
        transport.client(2).accept();
        time.runUntilIdle();
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTED);
    }

    @Test
    void reconnect_thousandRefusalsWithFullJitter_noDelayExceedsTheCap() {
        // Default backoff (1 s to 10 s) with full jitter; the random source is the seeded one of the context.
        start(TestEngines.link(REMOTE, "#")
                .clientId("clink-a")
                .reconnect(ReconnectBackoff.DEFAULT.withJitter(1))
                .build());
        FakeClient c = transport.client(1);
        DisconnectReason refused = new DisconnectReason(Cause.SOCKET_ERROR, -1, "connection refused");
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 1000; i++) {
            c.refuse(refused);
            time.runUntilIdle();
            Duration next = time.nextTimerDelay().orElseThrow();
            assertThat(next).as("refusal %d", i + 1).isLessThanOrEqualTo(Duration.ofSeconds(10));
            longest = next.compareTo(longest) > 0 ? next : longest;
            time.advance(next);
            assertThat(c.connectCalls).isEqualTo(i + 2);
        }
        assertThat(longest).isGreaterThan(Duration.ofSeconds(9));
    }

    @Test
    void reconnect_shortRequestTtl_capsTheDelayAtHalfOfIt() {
        start(TestEngines.link(REMOTE, "#")
                .clientId("clink-a")
                .reconnect(ReconnectBackoff.DEFAULT.withJitter(0))
                .resourceOptions(ResourceOptions.builder()
                        .requestTtl(Duration.ofSeconds(6))
                        .build())
                .build());
        FakeClient c = transport.client(1);
        DisconnectReason refused = new DisconnectReason(Cause.SOCKET_ERROR, -1, "connection refused");
        List<Long> gapsMillis = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            c.refuse(refused);
            time.runUntilIdle();
            gapsMillis.add(time.nextTimerDelay().orElseThrow().toMillis());
            time.advance(time.nextTimerDelay().orElseThrow());
        }
        assertThat(gapsMillis).containsExactly(1_000L, 2_000L, 3_000L, 3_000L, 3_000L);
    }

    @Test
    void reconnect_schedulerThrowsOnceForTheRetry_connectionIsRetriedAndComesBack() {
        startConnected(link().build());
        forward(msg("a", 1, "held"));
        scheduler.failNext(1);

        transport.client(1).drop(KICKED);
        time.runUntilIdle();
        assertThat(scheduler.refused()).isEqualTo(1);
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.DISCONNECTED);
        time.advance(Duration.ofSeconds(1));
        assertThat(transport.client(1).connectCalls).isEqualTo(2);
        transport.client(1).accept();
        time.runUntilIdle();

        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.CONNECTED);
        assertThat(texts(transport.client(1))).contains("held");
    }

    // ---- stop ----

    @Test
    void stop_withMessagesHeld_closesClientsDropsEverythingAndSendsNothingMore() {
        startConnected(link(2).maxInflight(1).build());
        forward(msg("a", 1, "1"), msg("a", 1, "2"), msg("a", 1, "3"));
        int sentBefore = transport.allSent().size();

        forwarder.stop();
        assertThat(transport.clients).allSatisfy(c -> assertThat(c.closed).isTrue());
        time.runUntilIdle();
        forward(msg("a", 1, "4"), msg("a", 0, "5"));
        time.advance(Duration.ofMinutes(5));

        assertThat(transport.allSent()).hasSize(sentBefore);
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.DISCONNECTED);
        assertThat(counters.dropped.sum()).isEqualTo(5);
        assertSettled(5);
        assertThat(time.pendingTimers()).isZero();
        assertThat(transport.clients).allSatisfy(c -> assertThat(c.connectCalls).isEqualTo(1));
    }

    @Test
    void stop_whileConnectingAndBackingOff_noFurtherAttempts() {
        start(link(2).build());
        transport.client(1).refuse(KICKED);
        time.runUntilIdle();

        forwarder.stop();
        forwarder.stop();
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.client(1).connectCalls).isEqualTo(1);
        assertThat(transport.client(2).connectCalls).isEqualTo(1);
        assertThat(forwarder.status()).isEqualTo(ForwardingStatus.DISCONNECTED);
        assertThatThrownBy(forwarder::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stop_racingPublisherAfterThePurge_isStillDropped() {
        startConnected(link().build());
        forwarder.stop();
        time.runUntilIdle();

        forward(msg("p", 1, "late"));

        assertThat(counters.dropped.sum()).isEqualTo(1);
        assertSettled(1);
        assertThat(new HashSet<>(statuses)).contains(ForwardingStatus.DISCONNECTED);
    }
}
