package io.clink.core.internal.sender;

import static io.clink.api.link.ActorState.BOOTSTRAPPING;
import static io.clink.api.link.ActorState.CONNECTING;
import static io.clink.api.link.ActorState.DISCONNECTED;
import static io.clink.api.link.ActorState.HANDSHAKING;
import static io.clink.api.link.ActorState.ONLINE;
import static io.clink.api.link.ActorState.STOPPED;
import static io.clink.core.internal.sender.SenderHarness.LOCAL;
import static io.clink.core.internal.sender.SenderHarness.NODE;
import static io.clink.core.internal.sender.SenderHarness.REMOTE;
import static io.clink.core.internal.sender.SenderHarness.RESP_TOPIC;
import static io.clink.core.internal.sender.SenderHarness.ROUTE_TOPIC;
import static io.clink.core.internal.sender.SenderHarness.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStateChange;
import io.clink.api.topic.Subscription;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClientIds;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.testing.FakeTransport;
import io.clink.core.internal.testing.FakeTransport.FakeClient;
import io.clink.core.internal.testing.FakeTransport.Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActorSenderTest {

    private static final DisconnectReason RESET =
            new DisconnectReason(DisconnectReason.Cause.SOCKET_ERROR, -1, "connection reset");

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static List<ActorState[]> transitions(SenderHarness h) {
        return h.changes.stream().map(c -> new ActorState[] {c.from(), c.to()}).toList();
    }

    private static String pairs(SenderHarness h) {
        return h.changes.stream().map(c -> c.from() + "->" + c.to()).collect(Collectors.joining(", "));
    }

    private static Set<RouteOp> allOps(List<RouteBatch> batches) {
        return batches.stream().flatMap(b -> b.ops().stream()).collect(Collectors.toSet());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Connection and handshake

    @Test
    void start_createsRouteSyncClientFromLinkConfig() {
        SenderHarness h = new SenderHarness(b ->
                b.topics("t/#").username("u").password("secret").maxInflight(7).keepalive(Duration.ofSeconds(30)));
        h.start();

        assertThat(h.state()).isEqualTo(CONNECTING);
        assertThat(h.transport.clients).hasSize(1);
        LinkClientOptions o = h.client().options;
        assertThat(o.clientId()).isEqualTo(LOCAL + ":routesync:" + LinkClientIds.sha8(NODE));
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(11883);
        assertThat(o.username()).contains("u");
        assertThat(o.password())
                .hasValueSatisfying(
                        p -> assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("secret"));
        assertThat(o.maxInflight()).isEqualTo(7);
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.cleanStart()).isTrue();
        assertThat(h.transport.validated).containsExactly(o);
        assertThat(h.sender.status().incarnation()).isEqualTo(SenderHarness.WALL_ORIGIN_MILLIS);
        assertThat(h.client().connectCalls).isEqualTo(1);
    }

    @Test
    void handshake_afterConnackAndSuback_publishesActorInitWithResponseTopicAndCorrelation() {
        SenderHarness h = new SenderHarness("t/#");
        Random rnd = new Random(42);
        h.random = rnd::nextDouble;
        h.start();
        h.connack();

        assertThat(h.client().subscribes).singleElement().satisfies(s -> {
            assertThat(s.filter()).isEqualTo(RESP_TOPIC);
            assertThat(s.qos()).isEqualTo(1);
        });
        assertThat(h.state()).as("still connecting until the SUBACK").isEqualTo(CONNECTING);
        assertThat(h.client().publishes).isEmpty();

        h.suback();

        assertThat(h.state()).isEqualTo(HANDSHAKING);
        assertThat(h.client().publishes).hasSize(1);
        OutgoingPublish init = h.actorInitPublish().message();
        assertThat(init.topic()).isEqualTo(ROUTE_TOPIC);
        assertThat(init.qos()).isEqualTo(1);
        assertThat(init.retain()).isFalse();
        assertThat(init.responseTopic()).isEqualTo(RESP_TOPIC);
        assertThat(new String(init.correlationData(), StandardCharsets.US_ASCII))
                .matches("[0-9a-f]{16}");
        assertThat(decode(init.payload()))
                .isEqualTo(
                        new ActorInit(NODE, h.sender.status().incarnation(), REMOTE, ControlMessage.PROTOCOL_VERSION));
    }

    @Test
    void handshake_replyWithOtherCorrelation_isIgnored() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.connack();
        h.suback();
        byte[] ack = ControlCodec.encode(new ControlMessage.ActorInitAck(NODE, 1, new Accepted(true)));

        h.client().deliver(RESP_TOPIC, ack, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        h.client().deliver(RESP_TOPIC, ack, null);
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(HANDSHAKING);
        h.ack(new Accepted(true));
        assertThat(h.state()).isEqualTo(ONLINE); // nothing to bootstrap
    }

    @Test
    void handshake_undecodableAck_disconnectsAndRetries() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.connack();
        h.suback();
        byte[] correlation = h.actorInitPublish().message().correlationData();

        h.client().deliver(RESP_TOPIC, new byte[] {1, 2, 3}, correlation);
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).startsWith("bad_ack");
        assertThat(h.client().closed).isTrue();
        h.sim.advance(Duration.ofSeconds(1));
        assertThat(h.transport.clients).hasSize(2);
    }

    @Test
    void handshake_replyThatIsNotAnAck_disconnects() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.connack();
        h.suback();
        byte[] correlation = h.actorInitPublish().message().correlationData();

        h.client().deliver(RESP_TOPIC, ControlCodec.encode(new Heartbeat(NODE, 1)), correlation);
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).isEqualTo("bad_ack: expected actor_init_ack, got Heartbeat");
    }

    @Test
    void handshake_actorInitRefusedByPuback_disconnectsWithoutWaitingForTheTimeout() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.connack();
        h.suback();

        h.actorInitPublish().result().complete(new PublishResult(0x87));
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).isEqualTo("actor_init_failed: PUBACK reason code 0x87");
        assertThat(h.client().closed).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {Rejected.BAD_REMOTE_CLUSTER_LINK_NAME, Rejected.CLUSTER_LINK_DISABLED, Rejected.UNKNOWN_CLUSTER})
    void handshake_rejected_recordsReasonAndRetriesWithBackoff(String reason) {
        // Scenario 21 of protocol section 8.
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.connack();
        h.suback();
        h.ack(new Rejected(reason));

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).isEqualTo("handshake_rejected: " + reason);
        ActorStateChange last = h.changes.get(h.changes.size() - 1);
        assertThat(last.to()).isEqualTo(DISCONNECTED);
        assertThat(last.error()).isEqualTo("handshake_rejected: " + reason);
        assertThat(h.client().closed).isTrue();

        // First retry after initial_delay (jitter centred by random 0.5), the next after twice that.
        h.sim.advance(ms(999));
        assertThat(h.transport.clients).hasSize(1);
        h.sim.advance(ms(1));
        assertThat(h.transport.clients).hasSize(2);
        assertThat(h.state()).isEqualTo(CONNECTING);
        h.connack();
        h.suback();
        h.ack(new Rejected(reason));
        h.sim.advance(ms(1999));
        assertThat(h.transport.clients).hasSize(2);
        h.sim.advance(ms(1));
        assertThat(h.transport.clients).hasSize(3);
    }

    @Test
    void handshake_noAck_timesOutClosesAndRetries_thenBootstrapCompletes() {
        // Scenario 8 of protocol section 8: exactly two connects.
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.connack();
        h.suback();
        FakeClient first = h.client();
        byte[] firstCorrelation = h.actorInitPublish().message().correlationData();
        h.actorInitPublish().result().complete(new PublishResult(0x10));
        h.sim.runUntilIdle();

        h.sim.advance(ms(4999));
        assertThat(h.state()).isEqualTo(HANDSHAKING);
        h.sim.advance(ms(1));
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).isEqualTo("handshake_timeout");
        assertThat(first.closed).isTrue();

        // A late reply on the dead connection changes nothing.
        first.deliver(
                RESP_TOPIC,
                ControlCodec.encode(new ControlMessage.ActorInitAck(NODE, 1, new Accepted(true))),
                firstCorrelation);
        h.sim.runUntilIdle();
        assertThat(h.state()).isEqualTo(DISCONNECTED);

        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(true);
        h.pubackBatches();

        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(h.transport.successfulConnects()).isEqualTo(2);
        assertThat(h.batches())
                .singleElement()
                .satisfies(b -> assertThat(b.ops()).containsExactly(RouteOp.add("t/1", "t/1")));
    }

    @Test
    void connect_refusedThenSubscribeDisconnected_retriesGracefullyWithOneIncarnation() {
        // Scenario 9 of protocol section 8.
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        long incarnation = h.sender.status().incarnation();
        DisconnectReason refused = new DisconnectReason(DisconnectReason.Cause.SOCKET_ERROR, -1, "connection refused");
        h.client().refuse(refused);
        h.sim.runUntilIdle();
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastDisconnect()).isEqualTo(refused);
        assertThat(h.sender.status().lastError()).startsWith("connection_failed");

        h.sim.advance(Duration.ofSeconds(1));
        h.connack();
        DisconnectReason denied =
                new DisconnectReason(DisconnectReason.Cause.BROKER_DISCONNECT, 0x87, "not authorized");
        h.client().drop(denied); // fails the pending SUBSCRIBE and reports the loss
        h.sim.runUntilIdle();
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastDisconnect()).isEqualTo(denied);

        h.sim.advance(Duration.ofSeconds(2));
        h.connack();
        // A failure SUBACK without a disconnect: the transport refuses the subscribe.
        h.client()
                .pendingSubscribe()
                .result()
                .completeExceptionally(
                        new LinkTransportException(LinkTransportException.Kind.REFUSED, "SUBACK 0x87", null, null));
        h.sim.runUntilIdle();
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.client().closed).isTrue();

        h.sim.advance(Duration.ofSeconds(4));
        h.handshake(true);
        h.pubackBatches();

        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(h.changes.stream().filter(c -> c.to() == DISCONNECTED)).hasSize(3);
        assertThat(h.transport.clients).hasSize(4);
        assertThat(h.transport.clients)
                .allSatisfy(c -> c.publishes.stream()
                        .map(p -> decode(p.message().payload()))
                        .filter(ActorInit.class::isInstance)
                        .forEach(m -> assertThat(((ActorInit) m).incarnation()).isEqualTo(incarnation)));
        assertThat(h.incarnations.stored()).containsExactly(java.util.Map.entry(REMOTE + "/" + NODE, incarnation));
    }

    @Test
    void start_incarnationStoreFails_retriesWithBackoffWithoutConnecting() {
        SenderHarness h = new SenderHarness("t/#");
        h.incarnations.failWith(new java.io.UncheckedIOException(new java.io.IOException("disk full")));
        h.start();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).startsWith("start_failed").contains("disk full");
        assertThat(h.transport.clients).isEmpty();

        h.incarnations.failWith(null);
        h.sim.advance(Duration.ofSeconds(1));
        assertThat(h.state()).isEqualTo(CONNECTING);
        assertThat(h.transport.clients).hasSize(1);
        assertThat(h.sender.status().incarnation()).isEqualTo(SenderHarness.WALL_ORIGIN_MILLIS + 1000);
        assertThat(h.sender.status().sinceMillis()).isEqualTo(SenderHarness.WALL_ORIGIN_MILLIS + 1000);
        h.sim.advance(Duration.ofSeconds(3));
        assertThat(h.sender.status().sinceMillis())
                .as("unchanged while the state is")
                .isEqualTo(SenderHarness.WALL_ORIGIN_MILLIS + 1000);
    }

    @Test
    void start_transportRejectsOptions_recordsErrorAndRetries() {
        SenderHarness h = new SenderHarness("t/#");
        h.transport.validateFailure = new IllegalArgumentException("cannot read /etc/ca.pem");
        h.start();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).contains("/etc/ca.pem");
        assertThat(h.transport.clients).isEmpty();
        h.transport.validateFailure = null;
        h.sim.advance(Duration.ofSeconds(1));
        assertThat(h.transport.clients).hasSize(1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bootstrap and batches

    @Test
    void bootstrap_needBootstrap_sendsSnapshotInBatchesOf4000OneAtATime() {
        SenderHarness h = new SenderHarness("t/#");
        int routes = 2 * RouteBatchPacker.MAX_BATCH_OPS + 1001;
        IntStream.range(0, routes).forEach(i -> h.routes.add(Subscription.parse("t/" + i)));
        h.start();
        h.handshake(true);

        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        assertThat(h.client().pendingPublishes()).hasSize(1);
        assertThat(h.pubackBatches()).isEqualTo(3);

        assertThat(h.state()).isEqualTo(ONLINE);
        List<RouteBatch> batches = h.batches();
        assertThat(batches).extracting(b -> b.ops().size()).containsExactly(4000, 4000, 1001);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.actor()).isEqualTo(NODE);
            assertThat(b.incarnation()).isEqualTo(h.sender.status().incarnation());
        });
        Set<RouteOp> expected = IntStream.range(0, routes)
                .mapToObj(i -> RouteOp.add("t/" + i, "t/" + i))
                .collect(Collectors.toSet());
        assertThat(allOps(batches)).isEqualTo(expected);
        assertThat(h.publishesOf(RouteBatch.class)).allSatisfy(p -> {
            assertThat(p.message().topic()).isEqualTo(ROUTE_TOPIC);
            assertThat(p.message().qos()).isEqualTo(1);
        });
        assertThat(h.counters.routesSent.sum()).isEqualTo(routes);
        assertThat(pairs(h)).isEqualTo("CONNECTING->HANDSHAKING, HANDSHAKING->BOOTSTRAPPING, BOOTSTRAPPING->ONLINE");
    }

    /** Size of a QoS 1 PUBLISH without properties (MQTT 5 sections 2.1, 3.3), computed independently. */
    private static int mqttPublishSize(OutgoingPublish p) {
        int remaining = 2 + p.topic().getBytes(StandardCharsets.UTF_8).length + 2 + 1 + p.payload().length;
        int varint = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
        return 1 + varint + remaining;
    }

    @Test
    void bootstrap_smallMaximumPacketSize_splitsBatchesToFit() {
        SenderHarness h = new SenderHarness("sensors/#");
        List<String> filters = IntStream.range(0, 300)
                .mapToObj(i -> "sensors/building-" + i + "/temperature/+")
                .toList();
        filters.forEach(f -> h.routes.add(Subscription.parse(f)));
        int maxPacket = 512;
        h.start();
        h.handshake(maxPacket, true);
        h.pubackBatches();

        assertThat(h.state()).isEqualTo(ONLINE);
        List<Publish> published = h.publishesOf(RouteBatch.class);
        assertThat(published)
                .allSatisfy(p -> assertThat(mqttPublishSize(p.message())).isLessThanOrEqualTo(maxPacket));
        assertThat(published.size()).isGreaterThan(20);
        assertThat(h.batches()).allSatisfy(b -> assertThat(b.ops().size()).isGreaterThan(1));
        assertThat(allOps(h.batches()))
                .hasSize(300)
                .isEqualTo(filters.stream().map(f -> RouteOp.add(f, f)).collect(Collectors.toSet()));
        assertThat(h.counters.failed.sum()).isZero();
    }

    @Test
    void bootstrap_opThatCanNeverFit_isDroppedCountedAndTheRestSent() {
        SenderHarness h = new SenderHarness("#");
        String huge = "x/" + "y".repeat(600);
        h.routes.add(Subscription.parse(huge));
        h.routes.add(Subscription.parse("a/1"));
        h.routes.add(Subscription.parse("a/2"));
        h.start();
        h.handshake(300, true);
        h.pubackBatches();

        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(allOps(h.batches())).containsExactlyInAnyOrder(RouteOp.add("a/1", "a/1"), RouteOp.add("a/2", "a/2"));
        assertThat(h.counters.failed.sum()).isEqualTo(1);

        // Incremental path: dropped as well, never retried.
        h.addRoute("z/" + "q".repeat(600));
        h.sim.runUntilIdle();
        assertThat(h.client().pendingPublishes()).isEmpty();
        assertThat(h.counters.failed.sum()).isEqualTo(2);
    }

    @Test
    void batch_transportSaysPacketTooLarge_splitsWithoutReconnecting() {
        SenderHarness h = new SenderHarness("t/#");
        IntStream.range(0, 10).forEach(i -> h.routes.add(Subscription.parse("t/" + i)));
        h.start();
        h.handshake(true);
        Publish first = h.client().pendingPublishes().get(0);
        first.result()
                .completeExceptionally(new LinkTransportException(
                        LinkTransportException.Kind.PACKET_TOO_LARGE, "too large", null, null));
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        assertThat(h.pubackBatches()).isGreaterThanOrEqualTo(2);
        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(h.transport.clients).hasSize(1);
        List<RouteBatch> batches = h.batches();
        assertThat(batches.get(0).ops()).hasSize(10);
        assertThat(batches.subList(1, batches.size()))
                .allSatisfy(b -> assertThat(b.ops().size()).isLessThan(10));
        assertThat(allOps(batches.subList(1, batches.size()))).hasSize(10);
    }

    @Test
    void opBytes_isAnUpperBoundOfEachOpsShareOfTheEncodedBatch() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<RouteOp> ops = new ArrayList<>();
            int n = 1 + rnd.nextInt(50);
            long estimate = 0;
            for (int i = 0; i < n; i++) {
                String filter = "t/" + "é€x".repeat(rnd.nextInt(40)) + "/" + rnd.nextInt(1000);
                String routeId = rnd.nextBoolean() ? filter : "$s/g/" + filter;
                RouteOp op = new RouteOp(rnd.nextBoolean(), filter, routeId);
                ops.add(op);
                estimate += RouteBatchPacker.opBytes(op);
            }
            long incarnation = SenderHarness.WALL_ORIGIN_MILLIS + rnd.nextInt(1_000_000);
            int empty = ControlCodec.encode(new RouteBatch(NODE, incarnation, List.of())).length;
            long actual = ControlCodec.encode(new RouteBatch(NODE, incarnation, ops)).length;
            assertThat(actual).isLessThanOrEqualTo(empty + 5 + estimate);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Online: incremental sync and heartbeats

    @Test
    void online_addThenDeleteWhileBatchInFlight_sendsOnlyTheDelete() {
        SenderHarness h = new SenderHarness("a/#");
        h.start();
        h.handshake(true);
        assertThat(h.state()).isEqualTo(ONLINE);

        h.addRoute("a/1");
        h.sim.runUntilIdle();
        assertThat(h.client().pendingPublishes()).hasSize(1);
        h.addRoute("a/2");
        h.removeRoute("a/2");
        h.addRoute("a/3");
        h.sim.runUntilIdle();
        assertThat(h.client().pendingPublishes())
                .as("one batch in flight at a time")
                .hasSize(1);
        h.pubackBatches();

        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).ops()).containsExactly(RouteOp.add("a/1", "a/1"));
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("a/3", "a/3"), RouteOp.delete("a/2", "a/2"));
        assertThat(h.counters.routesSent.sum()).isEqualTo(3);
    }

    @Test
    void online_changesQueuedTogether_goInOneBatch() {
        SenderHarness h = new SenderHarness("a/#");
        h.start();
        h.handshake(true);
        for (int i = 0; i < 10; i++) {
            h.addRoute("a/" + i);
        }
        h.sim.runUntilIdle();
        h.pubackBatches();
        assertThat(h.batches())
                .singleElement()
                .satisfies(b -> assertThat(b.ops()).hasSize(10));
    }

    @Test
    void online_sharedAndOverlappingRoutes_replicateTheirIntersectionsWithRouteIds() {
        // Scenarios 16-18 through the actor: link topics t/+/1/#, t/z, t/1/+.
        SenderHarness h = new SenderHarness("t/+/1/#", "t/z", "t/1/+");
        h.routes.add(Subscription.parse("t/+/+"));
        h.start();
        h.handshake(true);
        h.pubackBatches();
        h.addRoute("$share/g/t/+");
        h.addRoute("x/y");
        h.sim.runUntilIdle();
        h.pubackBatches();

        List<RouteBatch> batches = h.batches();
        assertThat(batches.get(0).ops())
                .containsExactlyInAnyOrder(RouteOp.add("t/1/+", "t/+/+"), RouteOp.add("t/+/1", "t/+/+"));
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("t/z", "$s/g/t/+"));
        assertThat(batches).hasSize(2);
    }

    @Test
    void online_heartbeatEveryTenSecondsAtQos0() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);

        h.sim.advance(ms(9999));
        assertThat(h.publishesOf(Heartbeat.class)).isEmpty();
        h.sim.advance(ms(1));
        assertThat(h.publishesOf(Heartbeat.class)).singleElement().satisfies(p -> {
            assertThat(p.message().qos()).isZero();
            assertThat(p.message().topic()).isEqualTo(ROUTE_TOPIC);
            assertThat(decode(p.message().payload()))
                    .isEqualTo(new Heartbeat(NODE, h.sender.status().incarnation()));
        });
        h.sim.advance(Duration.ofSeconds(20));
        assertThat(h.publishesOf(Heartbeat.class)).hasSize(3);
    }

    @Test
    void bootstrap_slowBatch_heartbeatStillSentWhenDue() {
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.handshake(true);
        h.sim.advance(Duration.ofSeconds(10));

        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        assertThat(h.publishesOf(Heartbeat.class)).hasSize(1);
    }

    @Test
    void disconnected_noHeartbeats() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        FakeClient first = h.client();
        first.drop(RESET);
        h.sim.runUntilIdle();
        h.sim.advance(ms(999));
        h.sim.advance(Duration.ofSeconds(30)); // reconnects, but the connect never completes
        assertThat(first.publishes.stream().filter(p -> decode(p.message().payload()) instanceof Heartbeat))
                .isEmpty();
        assertThat(h.client().publishes).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reconnects

    @Test
    void reconnect_severalEndpoints_rotatesOnFailureAndAfterLossAndStatusShowsEndpoint() {
        SenderHarness h = new SenderHarness("h1:1,h2:2", b -> b.topics("t/#"));
        h.start();
        assertThat(h.client().options.host()).isEqualTo("h1");
        assertThat(h.sender.status().endpoint()).isNull();

        h.client().refuse(RESET);
        h.sim.runUntilIdle();
        h.sim.advance(Duration.ofSeconds(2));
        assertThat(h.transport.clients).hasSize(2);
        assertThat(h.client().options.host()).isEqualTo("h2");
        assertThat(h.client().options.port()).isEqualTo(2);
        h.handshake(true);
        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(h.sender.status().endpoint()).isEqualTo("h2:2");

        h.client().drop(RESET);
        h.sim.runUntilIdle();
        assertThat(h.sender.status().endpoint()).isNull();
        h.sim.advance(Duration.ofSeconds(2));
        assertThat(h.transport.clients).hasSize(3);
        assertThat(h.client().options.host()).isEqualTo("h1");
        assertThat(h.counters.reconnects.sum())
                .as("a refused connect and a lost connection")
                .isEqualTo(2);
    }

    @Test
    void status_singleEndpointOnline_showsIt() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);

        assertThat(h.sender.status().endpoint()).isEqualTo("127.0.0.1:11883");
    }

    @Test
    void reconnect_sameIncarnationNoBootstrap_goesOnlineAndFlushesChangesMadeWhileDown() {
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.handshake(true);
        h.pubackBatches();
        long incarnation = h.sender.status().incarnation();

        h.client().drop(RESET);
        h.sim.runUntilIdle();
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastDisconnect()).isEqualTo(RESET);
        h.addRoute("t/2");
        h.removeRoute("t/1");
        h.sim.runUntilIdle();

        h.sim.advance(Duration.ofSeconds(1));
        assertThat(h.transport.clients).hasSize(2);
        h.handshake(false);

        assertThat(h.state()).isEqualTo(ONLINE);
        assertThat(((ActorInit) decode(
                                h.publishesOf(ActorInit.class).get(0).message().payload()))
                        .incarnation())
                .isEqualTo(incarnation);
        h.pubackBatches();
        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("t/2", "t/2"), RouteOp.delete("t/1", "t/1"));
        assertThat(h.changes.get(h.changes.size() - 1).from()).isEqualTo(HANDSHAKING);
    }

    @Test
    void reconnect_needBootstrapAfterRemoteLostUs_resendsSnapshotAndDropsStaleStash() {
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.handshake(true);
        h.pubackBatches();
        h.client().drop(RESET);
        h.sim.runUntilIdle();
        h.addRoute("t/2");
        h.removeRoute("t/1");
        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(true); // the remote collected our routes meanwhile

        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        h.pubackBatches();
        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("t/2", "t/2"));
    }

    @Test
    void batch_refusedByPeer_restoresOpsAndResendsAfterReconnect() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        h.addRoute("t/1");
        h.addRoute("t/2");
        h.sim.runUntilIdle();
        Publish batch = h.client().pendingPublishes().get(0);
        batch.result().complete(new PublishResult(0x87));
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(DISCONNECTED);
        assertThat(h.sender.status().lastError()).isEqualTo("route_batch_failed: PUBACK reason code 0x87");
        assertThat(h.client().closed).isTrue();
        assertThat(h.counters.routesSent.sum()).isZero();
        h.removeRoute("t/2");
        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(false);
        h.pubackBatches();

        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).ops())
                .containsExactlyInAnyOrder(RouteOp.add("t/1", "t/1"), RouteOp.delete("t/2", "t/2"));
    }

    @Test
    void batch_connectionLostBeforePuback_restoresOpsAndResendsAfterReconnect() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        h.addRoute("t/1");
        h.sim.runUntilIdle();
        h.client().drop(RESET);
        h.sim.runUntilIdle();

        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(false);
        h.pubackBatches();

        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("t/1", "t/1"));
        assertThat(h.counters.routesSent.sum()).isEqualTo(1);
    }

    @Test
    void batch_lossReportedBeforeThePublishFails_stillRestoresOps() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        h.addRoute("t/1");
        h.sim.runUntilIdle();
        h.client().dropListenerFirst(RESET);
        h.sim.runUntilIdle();

        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(false);
        h.pubackBatches();

        List<RouteBatch> batches = h.batches();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).ops()).containsExactly(RouteOp.add("t/1", "t/1"));
    }

    @Test
    void bootstrap_brokenOff_isRedoneEvenIfRemoteKnowsTheIncarnation() {
        SenderHarness h = new SenderHarness("t/#");
        int routes = RouteBatchPacker.MAX_BATCH_OPS + 10;
        IntStream.range(0, routes).forEach(i -> h.routes.add(Subscription.parse("t/" + i)));
        h.start();
        h.handshake(true);
        h.client().pendingPublishes().get(0).result().complete(new PublishResult(0x10));
        h.sim.runUntilIdle();
        h.client().drop(RESET); // the second bootstrap batch is lost
        h.sim.runUntilIdle();
        h.removeRoute("t/0"); // must reach the remote, which holds t/0 from the first batch

        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(false);
        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        h.pubackBatches();

        assertThat(h.state()).isEqualTo(ONLINE);
        List<RouteBatch> batches = h.batches();
        List<RouteBatch> second = batches.subList(2, batches.size());
        assertThat(allOps(second))
                .contains(RouteOp.delete("t/0", "t/0"))
                .containsAll(IntStream.range(1, routes)
                        .mapToObj(i -> RouteOp.add("t/" + i, "t/" + i))
                        .toList());
    }

    @Test
    void backoff_growsWithJitterAndResetsWhenOnline() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        // initial 1 s, max 10 s, jitter 0.25: delay = min(1 s * 2^n, 10 s) * (1 + 0.25 * (2r - 1)), at most 10 s.
        double[] randoms = {0.75, 0.1, 0.75, 0.0};
        long[] delays = {1125, 1600, 4500, 6000};
        for (int i = 0; i < delays.length; i++) {
            double r = randoms[i];
            h.random = () -> r;
            int clients = h.transport.clients.size();
            h.client().refuse(RESET);
            h.sim.runUntilIdle();
            h.sim.advance(ms(delays[i] - 1));
            assertThat(h.transport.clients).as("attempt %d", i).hasSize(clients);
            h.sim.advance(ms(1));
            assertThat(h.transport.clients).as("attempt %d", i).hasSize(clients + 1);
        }
        h.random = () -> 0.5;
        h.handshake(true);
        assertThat(h.state()).isEqualTo(ONLINE);

        h.random = () -> 0.75;
        h.client().drop(RESET);
        h.sim.runUntilIdle();
        h.sim.advance(ms(1124));
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        h.sim.advance(ms(1));
        assertThat(h.state()).isEqualTo(CONNECTING);
    }

    @Test
    void backoff_thousandConsecutiveFailures_noRetryDelayExceedsTheCap() {
        SenderHarness h = new SenderHarness("t/#");
        double[] randoms = {0.999_999_999, 0.0, 0.75, 0.5};
        int[] calls = {0};
        h.random = () -> randoms[calls[0]++ % randoms.length];
        h.start();
        Duration cap = SenderHarness.BACKOFF.maxDelay();
        for (int i = 0; i < 1000; i++) {
            h.client().refuse(RESET);
            h.sim.runUntilIdle();
            assertThat(h.state()).isEqualTo(DISCONNECTED);
            h.sim.advance(cap);
            assertThat(h.transport.clients).as("failure %d", i + 1).hasSize(i + 2);
        }
    }

    @Test
    void reconnect_schedulerThrowsOnceForTheRetry_actorIsRetriedAndComesBackOnline() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        assertThat(h.state()).isEqualTo(ONLINE);

        h.scheduler.failNext(1);
        h.client().drop(RESET);
        h.sim.runUntilIdle();
        assertThat(h.scheduler.refused()).isEqualTo(1);
        assertThat(h.state()).isEqualTo(DISCONNECTED);
        h.sim.advance(SenderHarness.BACKOFF.initialDelay().multipliedBy(2));

        assertThat(h.state()).isEqualTo(CONNECTING);
        h.handshake(false);
        assertThat(h.state()).isEqualTo(ONLINE);
    }

    @Test
    void heartbeat_schedulerThrowsOnce_heartbeatsStillFollow() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.scheduler.failNext(1); // the handshake timer
        h.handshake(true);
        int before = h.publishesOf(Heartbeat.class).size();
        h.scheduler.failNext(1); // the next heartbeat timer

        h.sim.advance(Duration.ofSeconds(30));

        assertThat(h.publishesOf(Heartbeat.class).size() - before).isEqualTo(3);
        assertThat(h.state()).isEqualTo(ONLINE);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lifecycle

    @Test
    void stop_duringStalledConnect_closesAtOnceAndGoesStopped() {
        // Scenario 10 of protocol section 8.
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        assertThat(h.client().connecting()).isTrue();

        h.sender.stop();
        assertThat(h.client().closed).as("closed on the caller's thread").isTrue();
        h.sim.runUntilIdle();

        assertThat(h.state()).isEqualTo(STOPPED);
        assertThat(pairs(h)).isEqualTo("CONNECTING->STOPPED");
        h.sim.advance(Duration.ofMinutes(5));
        assertThat(h.transport.clients).hasSize(1);
        assertThat(h.state()).isEqualTo(STOPPED);
    }

    @Test
    void stop_whileOnline_stopsHeartbeatsAndIgnoresRouteChanges() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        h.handshake(true);
        h.stop();
        h.addRoute("t/1");
        h.sim.advance(Duration.ofMinutes(1));

        assertThat(h.state()).isEqualTo(STOPPED);
        assertThat(h.client().closed).isTrue();
        assertThat(h.client().publishes).hasSize(1); // the actor_init only
        assertThat(h.sim.pendingTimers()).isZero();
    }

    @Test
    void start_afterStop_takesStrictlyGreaterIncarnationAndBootstrapsAgain() {
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.handshake(true);
        h.pubackBatches();
        long first = h.sender.status().incarnation();

        h.stop();
        h.start(); // the clock has not moved
        long second = h.sender.status().incarnation();
        assertThat(second).isGreaterThan(first);
        assertThat(h.state()).isEqualTo(CONNECTING);
        h.handshake(false); // even without the remote asking, a new incarnation bootstraps first
        assertThat(h.state()).isEqualTo(BOOTSTRAPPING);
        assertThat(((ActorInit) decode(
                                h.publishesOf(ActorInit.class).get(0).message().payload()))
                        .incarnation())
                .isEqualTo(second);
        h.pubackBatches();
        assertThat(h.batches())
                .hasSize(2)
                .allSatisfy(b -> assertThat(b.ops()).containsExactly(RouteOp.add("t/1", "t/1")));
    }

    @Test
    void start_whileRunning_isIgnored() {
        SenderHarness h = new SenderHarness("t/#");
        h.start();
        long incarnation = h.sender.status().incarnation();
        h.start();
        assertThat(h.transport.clients).hasSize(1);
        assertThat(h.sender.status().incarnation()).isEqualTo(incarnation);
        h.handshake(true);
        assertThat(h.state()).isEqualTo(ONLINE);
    }

    @Test
    void status_beforeStart_isStoppedWithoutIncarnation() {
        SenderHarness h = new SenderHarness("t/#");
        assertThat(h.sender.status().state()).isEqualTo(STOPPED);
        assertThat(h.sender.status().incarnation()).isZero();
        assertThat(h.sender.status().actorName()).isEqualTo(NODE);
    }

    @Test
    void stateListener_seesEachTransitionOnceInOrder() {
        SenderHarness h = new SenderHarness("t/#");
        h.routes.add(Subscription.parse("t/1"));
        h.start();
        h.client().refuse(RESET);
        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(true);
        h.pubackBatches();
        h.sim.advance(Duration.ofSeconds(3));
        h.client().drop(RESET);
        h.sim.advance(Duration.ofSeconds(1));
        h.handshake(false);
        h.stop();

        assertThat(pairs(h))
                .isEqualTo("CONNECTING->DISCONNECTED, DISCONNECTED->CONNECTING, "
                        + "CONNECTING->HANDSHAKING, HANDSHAKING->BOOTSTRAPPING, BOOTSTRAPPING->ONLINE, ONLINE->DISCONNECTED, "
                        + "DISCONNECTED->CONNECTING, CONNECTING->HANDSHAKING, HANDSHAKING->ONLINE, ONLINE->STOPPED");
        List<ActorState[]> t = transitions(h);
        for (int i = 1; i < t.size(); i++) {
            assertThat(t.get(i)[0]).isEqualTo(t.get(i - 1)[1]);
        }
        assertThat(h.changes).allSatisfy(c -> {
            assertThat(c.linkName()).isEqualTo(REMOTE);
            assertThat(c.actorName()).isEqualTo(NODE);
        });
        assertThat(h.changes.get(5).reason()).isEqualTo(RESET);
        assertThat(h.changes.get(5).atMillis()).isEqualTo(SenderHarness.WALL_ORIGIN_MILLIS + 4000);
        assertThat(h.sender.status().sinceMillis())
                .isEqualTo(h.changes.get(h.changes.size() - 1).atMillis());
    }

    @Test
    void stateListener_throwing_doesNotBreakTheActor() {
        SenderHarness base = new SenderHarness("t/#");
        List<ActorStateChange> seen = new ArrayList<>();
        ActorSender sender = base.newSender(Set::of, c -> {
            seen.add(c);
            throw new IllegalStateException("listener bug");
        });
        sender.start();
        base.sim.runUntilIdle();
        base.handshake(true);
        assertThat(sender.status().state()).isEqualTo(ONLINE);
        assertThat(seen).extracting(ActorStateChange::to).containsExactly(HANDSHAKING, BOOTSTRAPPING, ONLINE);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scenario 11: consistency under unstable connectivity

    @Test
    void churnWithConnectionKills_remoteViewEqualsFinalRouteSet() {
        for (long seed = 1; seed <= 40; seed++) {
            runChurn(seed);
        }
    }

    private static final List<String> POOL = List.of(
            "t/1",
            "t/2",
            "t/+",
            "t/#",
            "t/+/x",
            "#",
            "s/1/x",
            "s/+/+",
            "s/#",
            "$share/g/t/3",
            "$share/h/s/+/x",
            "$queue/t/9",
            "u/1",
            "u/+",
            "t/1/2/3",
            "+/x");

    private static void runChurn(long seed) {
        Random rnd = new Random(seed);
        SenderHarness h = new SenderHarness("t/#", "s/+/x");
        h.random = rnd::nextDouble;
        ModelPeer peer = new ModelPeer(h);
        for (int i = 0; i < 4; i++) {
            h.routes.add(Subscription.parse(POOL.get(rnd.nextInt(POOL.size()))));
        }
        h.start();
        for (int step = 0; step < 600; step++) {
            int action = rnd.nextInt(20);
            if (action < 7) {
                String s = POOL.get(rnd.nextInt(POOL.size()));
                if (h.routes.contains(Subscription.parse(s))) {
                    h.removeRoute(s);
                } else {
                    h.addRoute(s);
                }
            } else if (action < 16) {
                peer.serviceOne(rnd, true);
            } else if (action < 18) {
                peer.kill(rnd);
            } else {
                h.sim.advance(ms(rnd.nextInt(3000)));
            }
            h.sim.runUntilIdle();
        }
        // Connectivity becomes stable: the remote must end with exactly our routes.
        for (int i = 0;
                i < 2000
                        && !(h.state() == ONLINE
                                && h.client().pendingPublishes().isEmpty());
                i++) {
            if (!peer.serviceOne(rnd, false)) {
                h.sim.advance(Duration.ofSeconds(1));
            }
            h.sim.runUntilIdle();
        }
        assertThat(h.state()).as("seed %d", seed).isEqualTo(ONLINE);
        Set<RouteOp> expected = new HashSet<>();
        for (Subscription s : h.routes) {
            for (String topic : List.of("t/#", "s/+/x")) {
                String x =
                        io.clink.api.topic.TopicAlgebra.intersection(s.filter().value(), topic);
                if (x != null) {
                    expected.add(RouteOp.add(x, s.routeId()));
                }
            }
        }
        assertThat(peer.routes).as("seed %d", seed).isEqualTo(expected);
        assertThat(peer.sawNoBootstrapAck || h.transport.successfulConnects() <= 1)
                .as("seed %d", seed)
                .isTrue();
    }

    /** The receiving side as protocol section 4.4 describes it, folding every route batch it accepts. */
    private static final class ModelPeer {
        final SenderHarness h;
        final Set<RouteOp> routes = new HashSet<>();
        Long incarnation;
        boolean sawNoBootstrapAck;

        ModelPeer(SenderHarness h) {
            this.h = h;
        }

        /** Answers the oldest pending operation of the current client; false if there was none. */
        boolean serviceOne(Random rnd, boolean flaky) {
            if (h.transport.clients.isEmpty()) {
                return false;
            }
            FakeClient c = h.client();
            if (c.closed) {
                return false;
            }
            if (c.connecting()) {
                if (flaky && rnd.nextInt(10) == 0) {
                    c.refuse(RESET);
                } else {
                    c.accept(rnd.nextBoolean() ? 4096 : io.clink.api.transport.ConnectResult.UNLIMITED);
                }
                return true;
            }
            if (!c.connected) {
                return false;
            }
            FakeTransport.Subscribe s = c.pendingSubscribe();
            if (s != null) {
                s.result().complete(1);
                return true;
            }
            List<Publish> pending = c.pendingPublishes();
            if (pending.isEmpty()) {
                return false;
            }
            Publish p = pending.get(0);
            ControlMessage m = decode(p.message().payload());
            if (m instanceof ActorInit init) {
                if (flaky && rnd.nextInt(15) == 0) {
                    p.result().complete(new PublishResult(0x10)); // and never answer: handshake timeout
                    return true;
                }
                boolean need = incarnation == null || init.incarnation() > incarnation;
                if (need) {
                    routes.clear();
                    incarnation = init.incarnation();
                } else {
                    sawNoBootstrapAck = true;
                }
                p.result().complete(new PublishResult(0x10));
                h.sim.runUntilIdle();
                c.deliver(
                        RESP_TOPIC,
                        ControlCodec.encode(new ControlMessage.ActorInitAck(init.actor(), 1, new Accepted(need))),
                        p.message().correlationData());
            } else if (m instanceof RouteBatch batch) {
                if (flaky && rnd.nextInt(20) == 0) {
                    p.result().complete(new PublishResult(0x80)); // refused, not applied
                    return true;
                }
                apply(batch);
                p.result().complete(new PublishResult(0x10));
            } else {
                p.result().complete(PublishResult.SUCCESS);
            }
            return true;
        }

        /** Kills the connection; a batch in flight may or may not have been applied before the loss. */
        void kill(Random rnd) {
            if (h.transport.clients.isEmpty() || !h.client().connected) {
                return;
            }
            FakeClient c = h.client();
            for (Publish p : c.pendingPublishes()) {
                if (decode(p.message().payload()) instanceof RouteBatch batch && rnd.nextBoolean()) {
                    apply(batch);
                }
            }
            if (rnd.nextBoolean()) {
                c.dropListenerFirst(RESET);
            } else {
                c.drop(RESET);
            }
        }

        private void apply(RouteBatch batch) {
            for (RouteOp op : batch.ops()) {
                RouteOp key = new RouteOp(false, op.filter(), op.routeId());
                if (op.delete()) {
                    routes.remove(key);
                } else {
                    routes.add(key);
                }
            }
        }
    }
}
