package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.io.BaseEncoding;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.store.ActorKey;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.route.RouteIndex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Both decision tables of protocol section 4.4 for {@code actor_init}, and the ack's form. */
class RouteReceiverHandshakeTest {

    private static final String ACTOR = "emqx@10.0.0.1";

    private final Harness h = new Harness();

    private static byte[] hex(String spaced) {
        return BaseEncoding.base16().lowerCase().decode(spaced.replace(" ", "").replace("\n", ""));
    }

    /** Section 3.8: the success ack for {@code emqx@10.0.0.1} with need_bootstrap = true, byte for byte. */
    private static final byte[] ACK_OK_TRUE = hex("83 74 00 00 00 05 61 0a 6d 00 00 00 0d 65 6d 71 78 40 31 30 2e 30"
            + " 2e 30 2e 31 61 0e 61 01 61 0f 77 02 6f 6b 61 10 77 04 74 72 75 65 77 03 24 6f 70 6d 00 00 00 0e 61 63"
            + " 74 6f 72 5f 69 6e 69 74 5f 61 63 6b");

    /** Section 3.8: the value of key 15 in the unknown_cluster ack. */
    private static final String UNKNOWN_CLUSTER_RESULT =
            "68 02 77 05 65 72 72 6f 72 6d 00 00 00 0f 75 6e 6b 6e 6f 77 6e 5f 63 6c 75 73 74 65 72";

    /** The full error ack, laid out by hand after section 3.4 (keys in term order: 10, 14, 15, 16, '$op'). */
    private static byte[] errorAck(String actor, byte[] result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex("83 74 00 00 00 05 61 0a 6d"));
        byte[] a = actor.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(new byte[] {0, 0, 0, (byte) a.length});
        out.writeBytes(a);
        out.writeBytes(hex("61 0e 61 01 61 0f"));
        out.writeBytes(result);
        out.writeBytes(hex("61 10 77 09 75 6e 64 65 66 69 6e 65 64"));
        out.writeBytes(hex("77 03 24 6f 70 6d 00 00 00 0e 61 63 74 6f 72 5f 69 6e 69 74 5f 61 63 6b"));
        return out.toByteArray();
    }

    private static byte[] errorResult(String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex("68 02 77 05 65 72 72 6f 72 6d 00 00 00"));
        out.write(reason.length());
        out.writeBytes(reason.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private MqttMessage onlyReply(LinkConnection conn) {
        assertThat(h.broker.replies()).hasSize(1);
        assertThat(h.broker.replies().get(0).connection()).isEqualTo(conn);
        return h.broker.replies().get(0).message();
    }

    private void assertRejected(String cluster, String target, String reason) {
        LinkConnection conn = h.connect("x:routesync:1");

        int code = h.init(conn, cluster, ACTOR, 1722945600000L, target);

        assertThat(code).as("handled publish").isEqualTo(0x10);
        MqttMessage ack = onlyReply(conn);
        assertThat(ack.payloadBytes()).isEqualTo(errorAck(ACTOR, errorResult(reason)));
        assertThat(h.lastAck()).isEqualTo(new ActorInitAck(ACTOR, 1, new Rejected(reason)));
        assertThat(ack.topic()).isEqualTo("$LINK/cluster/resp/" + cluster + "/" + ACTOR);
        assertThat(ack.qos()).isEqualTo(1);
        assertThat(ack.properties().correlationData())
                .hasValue(Harness.CORRELATION.getBytes(StandardCharsets.US_ASCII));
        assertThat(h.broker.disconnects())
                .as("a rejected sender closes by itself")
                .isEmpty();
        assertThat(h.receiver.actors(cluster)).isEmpty();
    }

    @Test
    void actorInit_noLinkForSender_rejectedUnknownClusterWithSpecBytes() {
        assertRejected("clX", Harness.LOCAL, "unknown_cluster");

        assertThat(errorResult("unknown_cluster")).isEqualTo(hex(UNKNOWN_CLUSTER_RESULT));
    }

    @Test
    void actorInit_noLinkAndWrongTarget_rejectedUnknownCluster() {
        assertRejected("clX", "someone-else", "unknown_cluster");
    }

    @Test
    void actorInit_linkEnabledWrongTarget_rejectedBadRemoteClusterLinkName() {
        assertRejected("clA", "someone-else", "bad_remote_cluster_link_name");
    }

    @Test
    void actorInit_linkDisabled_rejectedClusterLinkDisabled() {
        assertRejected("clD", Harness.LOCAL, "cluster_link_disabled");
    }

    @Test
    void actorInit_linkDisabledAndWrongTarget_rejectedClusterLinkDisabled() {
        assertRejected("clD", "someone-else", "cluster_link_disabled");
    }

    @Test
    void actorInit_rejectedThenLinkEnabled_sameConnectionMayRetry() {
        LinkConnection conn = h.connect("d:routesync:1");
        h.init(conn, "clD", ACTOR, 5);
        h.setLinks(Map.of("clD", true));

        int code = h.init(conn, "clD", ACTOR, 5);

        assertThat(code).isEqualTo(0x10);
        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void actorInit_newActor_createdAckOkNeedBootstrapTrueWithSpecBytes() {
        LinkConnection conn = h.connect("a:routesync:1");

        int code = h.init(conn, "clA", ACTOR, 1722945600000L);

        assertThat(code).isEqualTo(0x10);
        MqttMessage ack = onlyReply(conn);
        assertThat(ack.payloadBytes()).isEqualTo(ACK_OK_TRUE);
        assertThat(ack.topic()).isEqualTo("$LINK/cluster/resp/clA/" + ACTOR);
        assertThat(ack.qos()).isEqualTo(1);
        assertThat(ack.retain()).isFalse();
        assertThat(ack.originCluster()).isEmpty();
        assertThat(ack.properties().correlationData())
                .hasValue(Harness.CORRELATION.getBytes(StandardCharsets.US_ASCII));
        assertThat(h.receiver.actors("clA")).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo(new ActorKey("clA", ACTOR));
            assertThat(a.incarnation()).isEqualTo(1722945600000L);
            assertThat(a.lane()).isZero();
            assertThat(a.leaseUntilMillis()).isEqualTo(h.receiver.leaseNowMillis() + Harness.TTL.toMillis());
        });
    }

    @Test
    void actorInit_customResponseTopicAndCorrelation_ackGoesThereWithEcho() {
        LinkConnection conn = h.connect("a:routesync:1");
        byte[] correlation = {0, (byte) 0xff, 42};

        h.publish(
                conn,
                "clA",
                ControlCodec.encode(new ActorInit("n1", 1, Harness.LOCAL, 1)),
                PublishProperties.builder()
                        .responseTopic("reply/here")
                        .correlationData(correlation)
                        .build());

        MqttMessage ack = onlyReply(conn);
        assertThat(ack.topic()).isEqualTo("reply/here");
        assertThat(ack.properties().correlationData()).hasValue(correlation);
    }

    @Test
    void actorInit_sameIncarnationOnNewConnection_resumedAckNeedBootstrapFalseRoutesKept() {
        LinkConnection first = h.initialised("clA", ACTOR, 7);
        h.routes(first, "clA", ACTOR, add("t/1"));
        h.receiver.onConnectionClosed(first);
        h.time.advance(Duration.ofMillis(20_000));

        LinkConnection second = h.connect("a:routesync:1");
        h.init(second, "clA", ACTOR, 7);

        assertThat(h.lastAck()).isEqualTo(new ActorInitAck(ACTOR, 1, new Accepted(false)));
        assertThat(h.rows("clA")).containsExactly("t/1|t/1");
        assertThat(h.receiver.actors("clA"))
                .singleElement()
                .satisfies(a -> assertThat(a.leaseUntilMillis())
                        .isEqualTo(h.receiver.leaseNowMillis() + Harness.TTL.toMillis()));
    }

    @Test
    void actorInit_greaterIncarnation_oldRoutesOfThatActorWipedAckNeedBootstrapTrue() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        h.routes(a1, "clA", "a1", add("t/1"), add("t/shared"));
        h.routes(a2, "clA", "a2", add("t/shared"), add("t/2"));
        h.receiver.onConnectionClosed(a1);

        h.init(h.connect("a1-again"), "clA", "a1", 2);

        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
        assertThat(h.rowHolders("clA"))
                .containsOnly(Map.entry("t/shared|t/shared", Set.of("a2")), Map.entry("t/2|t/2", Set.of("a2")));
    }

    @Test
    void actorInit_smallerIncarnation_noAckDisconnect0x83CountedNothingChanged() {
        LinkConnection current = h.initialised("clA", ACTOR, 10);
        h.routes(current, "clA", ACTOR, add("t/1"));
        h.broker.clear();
        LinkConnection stale = h.connect("a:routesync:old");

        int code = h.init(stale, "clA", ACTOR, 9);

        assertThat(code).isEqualTo(0x83);
        assertThat(h.broker.replies()).as("no ack for an outdated incarnation").isEmpty();
        assertThat(h.broker.disconnects()).singleElement().satisfies(d -> {
            assertThat(d.connection()).isEqualTo(stale);
            assertThat(d.reasonCode()).isEqualTo(0x83);
            assertThat(d.reasonString()).contains("outdated incarnation 9").contains("holds incarnation 10");
        });
        assertThat(h.protocolErrors("clA")).isEqualTo(1);
        assertThat(h.receiver.actors("clA"))
                .singleElement()
                .satisfies(a -> assertThat(a.incarnation()).isEqualTo(10));
        assertThat(h.rows("clA")).containsExactly("t/1|t/1");
        assertThat(h.routes(current, "clA", ACTOR, add("t/2")))
                .as("the current connection still works")
                .isEqualTo(0x10);
    }

    @Test
    void actorInit_protocolVersionNotChecked_accepted() {
        LinkConnection conn = h.connect("a:routesync:1");

        h.publish(
                conn,
                "clA",
                ControlCodec.encode(new ActorInit(ACTOR, 1, Harness.LOCAL, 2)),
                Harness.initProperties("clA", ACTOR));

        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
    }

    @Test
    void actorInit_compressedPayload_accepted() {
        LinkConnection conn = h.connect("a:routesync:1");

        h.publish(
                conn,
                "clA",
                ControlCodec.encodeCompressed(new ActorInit(ACTOR, 1, Harness.LOCAL, 1)),
                Harness.initProperties("clA", ACTOR));

        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
    }

    @Test
    void actorInit_actorBeyondMaxLanes_disconnectQuotaExceededNoAck() {
        for (int i = 0; i < RouteIndex.MAX_LANES; i++) {
            h.initialised("clA", "n" + i, 1);
        }
        h.broker.clear();
        LinkConnection extra = h.connect("a:routesync:extra");

        int code = h.init(extra, "clA", "extra", 1);

        assertThat(code).isEqualTo(RouteReceiver.QUOTA_EXCEEDED);
        assertThat(h.broker.replies()).isEmpty();
        assertThat(h.broker.disconnects())
                .singleElement()
                .satisfies(d -> assertThat(d.reasonCode()).isEqualTo(0x97));
        assertThat(h.receiver.actors("clA")).hasSize(RouteIndex.MAX_LANES);
    }
}
