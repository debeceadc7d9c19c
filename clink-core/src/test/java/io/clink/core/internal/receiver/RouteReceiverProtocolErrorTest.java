package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.testkit.RecordingBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocol errors: each one disconnects with 0x83, is counted once, changes no route and no lease, and makes the
 * receiver ignore the connection until it is reported closed.
 */
class RouteReceiverProtocolErrorTest {

    private final Harness h = new Harness();

    /** Asserts the one protocol error just raised on {@code conn}, and that nothing else happened. */
    private void assertProtocolError(int code, LinkConnection conn, String cluster, String reasonPart) {
        assertThat(code).as("refused publish").isEqualTo(0x83);
        assertThat(h.broker.disconnects()).singleElement().satisfies(d -> {
            assertThat(d.connection()).isEqualTo(conn);
            assertThat(d.reasonCode()).isEqualTo(0x83);
            assertThat(d.reasonString()).contains(reasonPart);
        });
        assertThat(h.broker.replies()).isEmpty();
        assertThat(h.protocolErrors(cluster)).isEqualTo(1);
        // The connection is being closed: further publishes are refused without another disconnect or count.
        assertThat(h.routes(conn, cluster, "a1", add("after/error"))).isEqualTo(0x83);
        assertThat(h.heartbeat(conn, cluster, "a1")).isEqualTo(0x83);
        assertThat(h.broker.disconnects()).hasSize(1);
        assertThat(h.protocolErrors(cluster)).isEqualTo(1);
        assertThat(h.rows(cluster)).doesNotContain("after/error|after/error");
        int tracked = h.receiver.trackedConnections();
        h.receiver.onConnectionClosed(conn);
        assertThat(h.receiver.trackedConnections())
                .as("state released on close")
                .isEqualTo(tracked - 1);
    }

    @Test
    void onRoutePublish_undecodableBytes_disconnect0x83() {
        LinkConnection conn = h.connect("a:routesync:1");

        int code = h.publish(conn, "clA", new byte[] {1, 2, 3}, PublishProperties.EMPTY);

        assertProtocolError(code, conn, "clA", "undecodable");
    }

    @Test
    void onRoutePublish_truncatedCompressedPayload_disconnect0x83() {
        LinkConnection conn = h.connect("a:routesync:1");
        byte[] whole = ControlCodec.encodeCompressed(new RouteBatch(
                "a1", 1, List.of(add("t/1"), add("t/2"), add("t/3"), add("t/4"), add("t/5"), add("t/6"))));
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);

        assertProtocolError(h.publish(conn, "clA", cut, PublishProperties.EMPTY), conn, "clA", "undecodable");
    }

    @Test
    void onRoutePublish_unknownOp_disconnect0x83() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        byte[] payload = EtfEncoder.encode(ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("teleport"),
                ErlInteger.of(10),
                ErlBinary.utf8("a1"),
                ErlInteger.of(11),
                ErlInteger.of(1)));
        h.broker.clear();

        int code = h.publish(conn, "clA", payload, PublishProperties.EMPTY);

        assertProtocolError(code, conn, "clA", "teleport");
        assertThat(h.receiver.actors("clA"))
                .as("the actor record itself stays until its TTL")
                .hasSize(1);
    }

    @Test
    void onRoutePublish_actorInitAckOnRouteTopic_disconnect0x83() {
        LinkConnection conn = h.connect("a:routesync:1");
        byte[] payload = ControlCodec.encode(new ActorInitAck("a1", 1, new Rejected("unknown_cluster")));

        assertProtocolError(h.publish(conn, "clA", payload, PublishProperties.EMPTY), conn, "clA", "actor_init_ack");
    }

    @Test
    void routeBatch_beforeActorInit_disconnect0x83NothingApplied() {
        LinkConnection conn = h.connect("a:routesync:1");

        int code = h.routes(conn, "clA", "a1", add("t/1"));

        assertProtocolError(code, conn, "clA", "before actor_init");
        assertThat(h.rows("clA")).isEmpty();
        assertThat(h.routesReceived("clA")).isZero();
    }

    @Test
    void actorInit_secondOnOneConnection_disconnect0x83RecordUnchanged() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("t/1"));
        h.broker.clear();

        int code = h.init(conn, "clA", "a1", 2);

        assertProtocolError(code, conn, "clA", "second actor_init");
        assertThat(h.receiver.actors("clA"))
                .singleElement()
                .satisfies(a -> assertThat(a.incarnation()).isEqualTo(1));
        assertThat(h.rows("clA")).containsExactly("t/1|t/1");
    }

    @Test
    void actorInit_missingResponseTopic_disconnect0x83NoActorCreated() {
        LinkConnection conn = h.connect("a:routesync:1");
        PublishProperties props = PublishProperties.builder()
                .correlationData(Harness.CORRELATION.getBytes(StandardCharsets.US_ASCII))
                .build();

        int code = h.publish(conn, "clA", ControlCodec.encode(new ActorInit("a1", 1, Harness.LOCAL, 1)), props);

        assertProtocolError(code, conn, "clA", "Response-Topic");
        assertThat(h.receiver.actors("clA")).isEmpty();
    }

    @Test
    void actorInit_missingCorrelationData_disconnect0x83NoActorCreated() {
        LinkConnection conn = h.connect("a:routesync:1");
        PublishProperties props = PublishProperties.builder()
                .responseTopic("$LINK/cluster/resp/clA/a1")
                .build();

        int code = h.publish(conn, "clA", ControlCodec.encode(new ActorInit("a1", 1, Harness.LOCAL, 1)), props);

        assertProtocolError(code, conn, "clA", "Correlation-Data");
        assertThat(h.receiver.actors("clA")).isEmpty();
    }

    @Test
    void actorInit_incarnationOfWrongType_disconnect0x83() {
        LinkConnection conn = h.connect("a:routesync:1");
        byte[] payload = EtfEncoder.encode(ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("actor_init"),
                ErlInteger.of(10),
                ErlBinary.utf8("a1"),
                ErlInteger.of(11),
                ErlBinary.utf8("1722945600000"),
                ErlInteger.of(13),
                ErlBinary.utf8(Harness.LOCAL),
                ErlInteger.of(14),
                ErlInteger.of(1)));

        int code = h.publish(conn, "clA", payload, Harness.initProperties("clA", "a1"));

        assertProtocolError(code, conn, "clA", "key 11");
        assertThat(h.receiver.actors("clA")).isEmpty();
    }

    @Test
    void routeBatch_opsNotAList_disconnect0x83() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        byte[] payload = EtfEncoder.encode(ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("route"),
                ErlInteger.of(10),
                ErlBinary.utf8("a1"),
                ErlInteger.of(11),
                ErlInteger.of(1),
                ErlInteger.of(12),
                ErlAtom.of("undefined")));
        h.broker.clear();

        assertProtocolError(h.publish(conn, "clA", payload, PublishProperties.EMPTY), conn, "clA", "key 12");
    }

    @Test
    void routeBatch_otherActorThanInitialised_disconnect0x83() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.initialised("clA", "a2", 1);
        h.broker.clear();

        int code = h.routes(conn, "clA", "a2", add("t/1"));

        assertProtocolError(code, conn, "clA", "initialised as actor a1");
        assertThat(h.rows("clA")).isEmpty();
    }

    @Test
    void routeBatch_otherClusterTopicThanInitialised_disconnect0x83CountedForThatCluster() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.initialised("clB", "a1", 1);
        h.broker.clear();

        int code = h.routes(conn, "clB", "a1", add("t/1"));

        assertProtocolError(code, conn, "clB", "of clA");
        assertThat(h.rows("clB")).isEmpty();
        assertThat(h.protocolErrors("clA")).isZero();
    }

    @Test
    void heartbeat_otherActorThanInitialised_disconnect0x83LeaseUnchanged() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.initialised("clA", "a2", 1);
        long until = h.receiver.actors("clA").get(1).leaseUntilMillis();
        h.time.advance(Duration.ofMillis(1_000));
        h.broker.clear();

        int code = h.publish(conn, "clA", new Heartbeat("a2", 1));

        assertProtocolError(code, conn, "clA", "initialised as actor a1");
        assertThat(h.receiver.actors("clA").get(1).leaseUntilMillis()).isEqualTo(until);
    }

    @Test
    void onRoutePublish_unknownSenderCluster_countedReceiverWideNotPerName() {
        LinkConnection conn = h.connect("z:routesync:1");

        int code = h.routes(conn, "clZ", "a1", add("t/1"));

        assertThat(code).isEqualTo(0x83);
        assertThat(h.receiver.unlinkedCounters().protocolErrors.sum()).isEqualTo(1);
        assertThat(h.broker.disconnects())
                .singleElement()
                .satisfies(d -> assertThat(d.reasonCode()).isEqualTo(0x83));
    }

    @Test
    void onRoutePublish_brokerDisconnectThrows_guardedAndCounted() {
        Harness throwing = new Harness();
        LinkConnection conn = throwing.connect("a:routesync:1");
        RecordingBroker broker = throwing.broker;
        broker.failDisconnectsWith(new IllegalStateException("adapter failure"));

        int code = throwing.routes(conn, "clA", "a1", add("t/1"));

        assertThat(code).isEqualTo(0x83);
        assertThat(throwing.counters.counters("clA").brokerErrors.sum()).isEqualTo(1);
        assertThat(throwing.protocolErrors("clA")).isEqualTo(1);
    }

    @Test
    void onRoutePublish_brokerReportsCloseInsideDisconnect_stateReleased() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.broker.onDisconnect(h.receiver::onConnectionClosed);

        int code = h.routes(conn, "clA", "a2", add("t/1"));

        assertThat(code).isEqualTo(0x83);
        assertThat(h.receiver.trackedConnections()).isZero();
        assertThat(h.receiver.actors("clA")).as("the actor stays until its TTL").hasSize(1);
    }
}
