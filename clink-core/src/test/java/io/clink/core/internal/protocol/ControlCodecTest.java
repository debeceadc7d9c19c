package io.clink.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.RouteId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlCodecTest {
    private static final String ACTOR = "emqx@10.0.0.1";
    private static final long INC = 1722945600000L;
    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    static Stream<Arguments> vectors() {
        List<RouteOp> bootstrap = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            bootstrap.add(RouteOp.add("devices/" + i + "/#", "devices/" + i + "/#"));
        }
        return Stream.of(
                Arguments.of("actor_init", new ActorInit(ACTOR, INC, "cluster-eu-west", 1)),
                Arguments.of("actor_init_ack_ok_bootstrap", new ActorInitAck(ACTOR, 1, new Accepted(true))),
                Arguments.of("actor_init_ack_ok_resume", new ActorInitAck(ACTOR, 1, new Accepted(false))),
                Arguments.of(
                        "actor_init_ack_unknown_cluster",
                        new ActorInitAck(ACTOR, 1, new Rejected(Rejected.UNKNOWN_CLUSTER))),
                Arguments.of(
                        "actor_init_ack_bad_name",
                        new ActorInitAck(ACTOR, 1, new Rejected(Rejected.BAD_REMOTE_CLUSTER_LINK_NAME))),
                Arguments.of(
                        "actor_init_ack_disabled",
                        new ActorInitAck(ACTOR, 1, new Rejected(Rejected.CLUSTER_LINK_DISABLED))),
                Arguments.of(
                        "route_add_delete",
                        new RouteBatch(
                                ACTOR, INC, List.of(RouteOp.add("t/1", "t/1"), RouteOp.delete("t/+", "$s/g1/t/+")))),
                Arguments.of("route_bootstrap_200", new RouteBatch(ACTOR, INC, bootstrap)),
                Arguments.of("route_empty", new RouteBatch(ACTOR, INC, List.of())),
                Arguments.of("heartbeat", new Heartbeat("ps-routes-v1", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encode_typedMessage_matchesGoldenBytes(String vector, ControlMessage message) {
        GoldenVectors.Vector v = GoldenVectors.named(vector);
        assertThat(ControlCodec.encode(message)).isEqualTo(v.plain);
        byte[] compressed = ControlCodec.encodeCompressed(message);
        assertThat(compressed[1] == 80).isEqualTo(v.compressed != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decode_goldenBytes_givesTypedMessage(String vector, ControlMessage message) throws ProtocolException {
        GoldenVectors.Vector v = GoldenVectors.named(vector);
        assertThat(ControlCodec.decode(decoder, v.plain)).isEqualTo(message);
        if (v.compressed != null) {
            assertThat(ControlCodec.decode(decoder, v.compressed)).isEqualTo(message);
        }
    }

    @Test
    void decode_unknownKeys_ignored() throws ProtocolException {
        Map<Term, Term> m =
                new LinkedHashMap<>(ControlCodec.toTerm(new Heartbeat("a", 7)).entries());
        m.put(ErlInteger.of(99), ErlBinary.utf8("future"));
        m.put(ErlAtom.of("some_future_key"), ErlList.NIL);
        assertThat(ControlCodec.fromTerm(ErlMap.of(m))).isEqualTo(new Heartbeat("a", 7));
    }

    @Test
    void decode_ackWithFalseNeedBootstrapOnError_acceptedAs58Wrote() throws ProtocolException {
        Map<Term, Term> m =
                new LinkedHashMap<>(ControlCodec.toTerm(new ActorInitAck("a", 1, new Rejected("unknown_cluster")))
                        .entries());
        m.put(ErlInteger.of(16), ErlAtom.FALSE);
        assertThat(ControlCodec.fromTerm(ErlMap.of(m)))
                .isEqualTo(new ActorInitAck("a", 1, new Rejected("unknown_cluster")));
    }

    @Test
    void decode_missingRequiredKey_namesTheKey() {
        for (ControlMessage msg : List.of(
                new ActorInit("a", 1, "c", 1),
                new ActorInitAck("a", 1, new Accepted(true)),
                new RouteBatch("a", 1, List.of()),
                new Heartbeat("a", 1))) {
            ErlMap full = ControlCodec.toTerm(msg);
            for (Term key : full.entries().keySet()) {
                Map<Term, Term> m = new LinkedHashMap<>(full.entries());
                m.remove(key);
                assertThatThrownBy(() -> ControlCodec.fromTerm(ErlMap.of(m)))
                        .as("%s without %s", msg, key)
                        .isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("lacks the required key " + key);
            }
        }
    }

    @Test
    void decode_unknownOp_rejected() {
        ErlMap m = ErlMap.of(EmqxAtoms.OP, ErlBinary.utf8("bogus"), ErlInteger.of(10), ErlBinary.utf8("a"));
        assertThatThrownBy(() -> ControlCodec.fromTerm(m))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown '$op' \"bogus\"");
    }

    @Test
    void decode_notAMap_rejected() {
        assertThatThrownBy(() -> ControlCodec.fromTerm(ErlList.NIL))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("must be a map");
    }

    @Test
    void decode_unreadableRouteOps_skippedAndCountedRestKept() throws Exception {
        byte[] notUtf8 = {'t', (byte) 0xFF};
        ErlMap m = ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("route"),
                ErlInteger.of(10),
                ErlBinary.utf8("a"),
                ErlInteger.of(11),
                ErlInteger.of(1),
                ErlInteger.of(12),
                ErlList.of(
                        ErlTuple.of(ErlBinary.utf8("t"), ErlBinary.utf8("t")),
                        ErlTuple.of(ErlInteger.of(101), ErlBinary.utf8("t"), ErlBinary.utf8("t")),
                        ErlTuple.of(ErlBinary.wrap(notUtf8), ErlBinary.utf8("t")),
                        ErlTuple.of(ErlBinary.utf8("u"), ErlAtom.UNDEFINED),
                        ErlBinary.utf8("v"),
                        ErlTuple.of(ErlInteger.of(100), ErlBinary.utf8("w"), ErlBinary.wrap(notUtf8))));

        RouteBatch b = (RouteBatch) ControlCodec.fromTerm(m);

        assertThat(b.ops()).containsExactly(RouteOp.add("t", "t"), new RouteOp(true, "w", RouteId.of(notUtf8)));
        assertThat(b.skipped()).isEqualTo(4);
        assertThat(b.firstSkipped()).contains("route op 1");
    }

    @Test
    void decode_routeKeyNotAList_stillAProtocolError() {
        ErlMap m = ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("route"),
                ErlInteger.of(10),
                ErlBinary.utf8("a"),
                ErlInteger.of(11),
                ErlInteger.of(1),
                ErlInteger.of(12),
                ErlBinary.utf8("t"));
        assertThatThrownBy(() -> ControlCodec.fromTerm(m))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("key 12");
    }

    @Test
    void encode_routeIdNotUtf8_roundTripsByteExact() throws Exception {
        RouteId id = RouteId.of(new byte[] {'$', 'p', '/', (byte) 0xC3, (byte) 0x28, '/', 't'});
        RouteBatch batch = new RouteBatch("a", 1, List.of(new RouteOp(false, "t", id)));

        RouteBatch back =
                (RouteBatch) ControlCodec.decode(new EtfDecoder(EtfLimits.defaults()), ControlCodec.encode(batch));

        assertThat(back).isEqualTo(batch);
        assertThat(back.ops().get(0).routeId().toByteArray()).isEqualTo(id.toByteArray());
    }

    @Test
    void decode_wrongIncarnationType_rejected() {
        ErlMap m = ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("heartbeat"),
                ErlInteger.of(10),
                ErlBinary.utf8("a"),
                ErlInteger.of(11),
                ErlAtom.UNDEFINED);
        assertThatThrownBy(() -> ControlCodec.fromTerm(m))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("key 11 (incarnation) must be an integer");
    }

    @Test
    void decode_invalidUtf8Actor_rejected() {
        ErlMap m = ErlMap.of(
                EmqxAtoms.OP,
                ErlBinary.utf8("heartbeat"),
                ErlInteger.of(10),
                ErlBinary.wrap(new byte[] {(byte) 0xff}),
                ErlInteger.of(11),
                ErlInteger.of(1));
        assertThatThrownBy(() -> ControlCodec.fromTerm(m))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("key 10 (actor) must be UTF-8");
    }

    @Test
    void encode_largeIncarnationAndNegative_roundTrip() throws ProtocolException {
        for (long inc : new long[] {0, 255, 256, -1, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Heartbeat hb = new Heartbeat("x", inc);
            assertThat(ControlCodec.decode(decoder, ControlCodec.encode(hb))).isEqualTo(hb);
            assertThat(ControlCodec.decode(decoder, EtfEncoder.encode(ControlCodec.toTerm(hb))))
                    .isEqualTo(hb);
        }
    }
}
