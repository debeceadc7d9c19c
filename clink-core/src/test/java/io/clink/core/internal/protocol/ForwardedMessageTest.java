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
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.MessageProperties.UserProperty;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardedMessageTest {
    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    static byte[] guid(int last) {
        byte[] id = new byte[16];
        id[15] = (byte) last;
        return id;
    }

    static ForwardedMessage qos1Props() throws Exception {
        return ForwardedMessage.builder()
                .id(new byte[] {
                    0,
                    6,
                    31,
                    (byte) 171,
                    (byte) 205,
                    (byte) 239,
                    1,
                    35,
                    69,
                    103,
                    (byte) 137,
                    (byte) 171,
                    (byte) 205,
                    (byte) 239,
                    0,
                    1
                })
                .qos(1)
                .from("c1")
                .dup(false)
                .retain(false)
                .headers(MessageHeaders.builder()
                        .peerhost(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
                        .properties(MessageProperties.builder()
                                .userProperty("k", "v")
                                .build())
                        .protoVer(5)
                        .protocolMqtt()
                        .username(null)
                        .build())
                .topic("linked/42")
                .payload("Hello from the other side!".getBytes(StandardCharsets.UTF_8))
                .timestamp(1722945600123L)
                .build();
    }

    static Stream<Arguments> vectors() throws Exception {
        ForwardedMessage qos2 = ForwardedMessage.builder()
                .id(guid(2))
                .qos(2)
                .from("sensor-α")
                .dup(false)
                .retain(false)
                .headers(MessageHeaders.builder()
                        .properties(MessageProperties.builder()
                                .messageExpiryInterval(3600)
                                .contentType("application/json")
                                .responseTopic("reply/to/me")
                                .correlationData(new byte[] {1, 2, 3, (byte) 255})
                                .payloadFormatIndicator(1)
                                .userProperty("a", "1")
                                .userProperty("a", "2")
                                .userProperty("ключ", "значение")
                                .build())
                        .username("alice")
                        .header(
                                EmqxAtoms.PEERNAME,
                                ErlTuple.of(
                                        ErlTuple.of(
                                                ErlInteger.of(10),
                                                ErlInteger.of(1),
                                                ErlInteger.of(2),
                                                ErlInteger.of(3)),
                                        ErlInteger.of(51234)))
                        .protoVer(5)
                        .protocolMqtt()
                        .header(EmqxAtoms.CLIENT_ATTRS, ErlMap.of(ErlBinary.utf8("zone"), ErlBinary.utf8("eu")))
                        .build())
                .topic("telemetry/site-1/temp")
                .payload("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8))
                .timestamp(1722945600789L)
                .build();
        byte[] blob = new byte[1000];
        Arrays.fill(blob, (byte) 'a');
        return Stream.of(
                Arguments.of("message_qos1_props", qos1Props()),
                Arguments.of(
                        "message_qos0_retain_minimal",
                        ForwardedMessage.builder()
                                .id(guid(1))
                                .qos(0)
                                .from("pub-7")
                                .retain(true)
                                .headers(MessageHeaders.builder()
                                        .properties(MessageProperties.EMPTY)
                                        .build())
                                .topic("linked/1")
                                .payload("Hello from US!".getBytes(StandardCharsets.UTF_8))
                                .timestamp(1722945600456L)
                                .build()),
                Arguments.of("message_qos2_all_props", qos2),
                Arguments.of(
                        "message_large_payload",
                        ForwardedMessage.builder()
                                .id(guid(3))
                                .qos(1)
                                .from("bulk")
                                .dup(false)
                                .retain(false)
                                .headers(MessageHeaders.builder()
                                        .properties(MessageProperties.EMPTY)
                                        .build())
                                .topic("bulk/blob")
                                .payload(blob)
                                .timestamp(1722945601000L)
                                .build()),
                Arguments.of(
                        "message_empty_payload",
                        ForwardedMessage.builder()
                                .id(guid(4))
                                .qos(1)
                                .from("c2")
                                .dup(true)
                                .retain(false)
                                .topic("t/empty")
                                .payload(new byte[0])
                                .timestamp(0)
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encode_builtMessage_matchesGoldenBytes(String vector, ForwardedMessage msg) {
        GoldenVectors.Vector v = GoldenVectors.named(vector);
        assertThat(msg.encodedSize()).isEqualTo(v.plain.length);
        assertThat(msg.encode()).isEqualTo(v.plain);
        assertThat(EtfEncoder.encode(msg.toTerm())).isEqualTo(v.plain);
        assertThat(msg.encodeCompressed()[1] == 80).isEqualTo(v.compressed != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodeTo_directBufferAtOffset_writesSameBytes(String vector, ForwardedMessage msg) {
        ByteBuffer direct = ByteBuffer.allocateDirect(msg.encodedSize() + 7);
        direct.position(3);
        msg.encodeTo(direct);
        assertThat(direct.position()).isEqualTo(3 + msg.encodedSize());
        byte[] out = new byte[msg.encodedSize()];
        direct.position(3);
        direct.get(out);
        assertThat(out).isEqualTo(GoldenVectors.named(vector).plain);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decode_goldenBytes_equalsBuiltMessage(String vector, ForwardedMessage msg) throws ProtocolException {
        GoldenVectors.Vector v = GoldenVectors.named(vector);
        assertThat(ForwardedMessage.decode(decoder, v.plain)).isEqualTo(msg);
        if (v.compressed != null) {
            assertThat(ForwardedMessage.decode(decoder, v.compressed)).isEqualTo(msg);
        }
    }

    @Test
    void decode_allProps_typedViewsHoldEveryProperty() throws ProtocolException {
        ForwardedMessage m = ForwardedMessage.decode(decoder, GoldenVectors.named("message_qos2_all_props").plain);
        MessageProperties p = m.headers().properties();
        assertThat(p).isNotNull();
        assertThat(p.userProperties())
                .containsExactly(
                        new UserProperty("a", "1"), new UserProperty("a", "2"), new UserProperty("ключ", "значение"));
        assertThat(p.messageExpiryInterval()).isEqualTo(3600L);
        assertThat(p.contentType()).isEqualTo("application/json");
        assertThat(p.responseTopic()).isEqualTo("reply/to/me");
        assertThat(p.correlationData()).isEqualTo(ErlBinary.wrap(new byte[] {1, 2, 3, (byte) 255}));
        assertThat(p.payloadFormatIndicator()).isEqualTo(1);
        assertThat(m.headers().username()).isEqualTo("alice");
        assertThat(m.headers().protoVer()).isEqualTo(5);
        assertThat(m.headers().protocol()).isEqualTo("mqtt");
        assertThat(m.headers().peerhost()).isNull();
        assertThat(m.headers().toTerm().get(EmqxAtoms.CLIENT_ATTRS))
                .isEqualTo(ErlMap.of(ErlBinary.utf8("zone"), ErlBinary.utf8("eu")));
        assertThat(m.from()).isEqualTo("sensor-α");
        assertThat(m.qos()).isEqualTo(2);
        assertThat(m.dup()).isFalse();
        assertThat(m.retain()).isFalse();
        assertThat(StandardCharsets.UTF_8.decode(m.payload()).toString()).isEqualTo("{\"t\":21.5}");
    }

    @Test
    void decode_qos1Props_peerhostAndUndefinedUsername() throws Exception {
        ForwardedMessage m = ForwardedMessage.decode(decoder, GoldenVectors.named("message_qos1_props").plain);
        assertThat(m.headers().peerhost()).isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(m.headers().username()).isNull();
        assertThat(m.headers().properties().userProperties()).containsExactly(new UserProperty("k", "v"));
    }

    @Test
    void decode_unknownHeaderAndPropertyKeys_keptOnReencode() throws ProtocolException {
        ErlTuple base = qos1Term();
        ErlMap headers = (ErlMap) base.get(5);
        java.util.Map<Term, Term> h = new java.util.LinkedHashMap<>(headers.entries());
        h.put(ErlAtom.of("some_hook_key"), ErlBinary.utf8("x"));
        java.util.Map<Term, Term> props =
                new java.util.LinkedHashMap<>(((ErlMap) h.get(EmqxAtoms.PROPERTIES)).entries());
        props.put(EmqxAtoms.TOPIC_ALIAS, ErlInteger.of(3));
        h.put(EmqxAtoms.PROPERTIES, ErlMap.of(props));
        ErlTuple changed = with(base, 5, ErlMap.of(h));
        ForwardedMessage m = ForwardedMessage.fromTerm(changed);
        assertThat(m.toTerm()).isEqualTo(changed);
        assertThat(decoder.decode(m.encode())).isEqualTo(changed);
    }

    @Test
    void decode_iolistPayload_flattened() throws ProtocolException {
        ErlTuple t = with(
                qos1Term(),
                7,
                ErlList.improper(
                        java.util.List.of(
                                ErlBinary.utf8("ab"),
                                ErlInteger.of('c'),
                                ErlList.of(ErlBinary.utf8("de"), ErlList.NIL)),
                        ErlBinary.utf8("f")));
        ForwardedMessage m = ForwardedMessage.fromTerm(t);
        assertThat(StandardCharsets.UTF_8.decode(m.payload()).toString()).isEqualTo("abcdef");
    }

    @Test
    void decode_atomFrom_keptAsAtomWithNoClientId() throws ProtocolException {
        ForwardedMessage m = ForwardedMessage.fromTerm(with(qos1Term(), 3, ErlAtom.of("bridge")));
        assertThat(m.from()).isNull();
        assertThat(m.fromField()).isEqualTo(ErlAtom.of("bridge"));
    }

    @Test
    void decode_invalidUtf8FromAndTopic_decodeWithTextNull() throws ProtocolException {
        ErlBinary bad = ErlBinary.wrap(new byte[] {'t', '/', (byte) 0xC3, (byte) 0x28});
        ForwardedMessage m = ForwardedMessage.fromTerm(with(with(qos1Term(), 3, bad), 6, bad));
        assertThat(m.from()).isNull();
        assertThat(m.fromField()).isEqualTo(bad);
        assertThat(m.topic()).isNull();
        assertThat(m.topicBytes()).isEqualTo(bad);
        assertThat(decoder.decode(m.encode())).isEqualTo(m.toTerm());
    }

    @Test
    void decode_untypableHeaderAndPropertyValues_decodeAndListWhatTheyLeaveOut() throws ProtocolException {
        ErlBinary notUtf8 = ErlBinary.wrap(new byte[] {(byte) 0xFF});
        ErlMap props = ErlMap.of(java.util.Map.of(
                EmqxAtoms.USER_PROPERTY,
                        ErlList.of(
                                ErlTuple.of(ErlBinary.utf8("k"), notUtf8),
                                ErlTuple.of(ErlBinary.utf8("k"), ErlBinary.utf8("v")),
                                ErlTuple.of(ErlBinary.utf8("k"))),
                EmqxAtoms.MESSAGE_EXPIRY_INTERVAL, ErlInteger.of(-1),
                EmqxAtoms.CONTENT_TYPE, notUtf8,
                EmqxAtoms.PAYLOAD_FORMAT_INDICATOR, ErlInteger.of(2)));
        ErlMap headers = ErlMap.of(java.util.Map.of(
                EmqxAtoms.PROPERTIES, props,
                EmqxAtoms.USERNAME, ErlInteger.of(1),
                EmqxAtoms.PEERHOST, ErlTuple.of(ErlInteger.of(1)),
                EmqxAtoms.PROTO_VER, ErlBinary.utf8("1.2"),
                EmqxAtoms.PROTOCOL, ErlAtom.of("mqttsn")));

        MessageHeaders h =
                ForwardedMessage.fromTerm(with(qos1Term(), 5, headers)).headers();

        assertThat(h.username()).isNull();
        assertThat(h.peerhost()).isNull();
        assertThat(h.protoVer()).isNull();
        assertThat(h.protocol()).isEqualTo("mqttsn");
        assertThat(h.properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(h.properties().messageExpiryInterval()).isNull();
        assertThat(h.properties().contentType()).isNull();
        assertThat(h.properties().payloadFormatIndicator()).isNull();
        assertThat(h.dropped())
                .containsExactlyInAnyOrder(
                        DroppedField.USER_PROPERTY,
                        DroppedField.USER_PROPERTY,
                        DroppedField.MESSAGE_EXPIRY_INTERVAL,
                        DroppedField.CONTENT_TYPE,
                        DroppedField.PAYLOAD_FORMAT_INDICATOR,
                        DroppedField.USERNAME,
                        DroppedField.PEERHOST,
                        DroppedField.PROTO_VER);
        assertThat(h.toTerm()).isEqualTo(headers);
    }

    @Test
    void decode_badShapes_namedInError() {
        ErlTuple ok = qos1Term();
        assertBad(ErlTuple.of(EmqxAtoms.MESSAGE), "10-tuple");
        assertBad(with(ok, 0, ErlAtom.of("msg")), "10-tuple");
        assertBad(with(ok, 1, ErlInteger.of(1)), "#message.id must be a binary");
        assertBad(with(ok, 2, ErlInteger.of(3)), "#message.qos must be between 0 and 2");
        assertBad(with(ok, 3, ErlInteger.of(3)), "#message.from must be a binary");
        assertBad(with(ok, 6, ErlBinary.utf8("")), "#message.topic must be a topic name, found an empty binary");
        assertBad(with(ok, 6, ErlBinary.utf8("t/+")), "#message.topic must be a topic name without wildcards");
        assertBad(with(ok, 4, ErlList.NIL), "#message.flags must be a map");
        assertBad(with(ok, 4, ErlMap.of(EmqxAtoms.DUP, ErlInteger.of(1))), "flags.dup must be true or false");
        assertBad(with(ok, 5, ErlList.NIL), "#message.headers must be a map");
        assertBad(with(ok, 6, ErlAtom.OK), "#message.topic must be a binary");
        assertBad(with(ok, 7, ErlAtom.OK), "#message.payload must be a binary or an iolist");
        assertBad(with(ok, 7, ErlList.of(ErlInteger.of(256))), "only binaries, bytes 0-255 and lists");
        assertBad(with(ok, 8, ErlAtom.OK), "#message.timestamp must be an integer");
        assertBad(with(ok, 9, ErlList.NIL), "#message.extra must be a map");
    }

    @Test
    void builder_unknownAtomInHeader_rejectedBeforeSending() {
        assertThatThrownBy(() -> MessageHeaders.builder().header(ErlAtom.of("not_in_emqx"), ErlAtom.OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not_in_emqx");
        assertThatThrownBy(() -> MessageHeaders.builder()
                        .header(EmqxAtoms.CLIENT_ATTRS, ErlMap.of(ErlBinary.utf8("k"), ErlAtom.of("surprise"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surprise");
        assertThatThrownBy(() -> ForwardedMessage.builder().extra(ErlMap.of(ErlAtom.of("trace"), ErlAtom.OK)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trace");
    }

    @Test
    void builder_invalidFields_rejectedWithValue() {
        assertThatThrownBy(() -> ForwardedMessage.builder().id(new byte[15])).hasMessageContaining("15 bytes");
        assertThatThrownBy(() -> ForwardedMessage.builder().qos(3)).hasMessageContaining("got 3");
        assertThatThrownBy(() -> ForwardedMessage.builder().build()).hasMessageContaining("id is required");
        assertThatThrownBy(() -> MessageHeaders.builder().protoVer(6)).hasMessageContaining("got 6");
        assertThatThrownBy(() -> MessageProperties.builder().payloadFormatIndicator(2))
                .hasMessageContaining("got 2");
        assertThatThrownBy(() -> MessageProperties.builder().messageExpiryInterval(1L << 32))
                .hasMessageContaining("4294967296");
    }

    @Test
    void builder_ipv6Peerhost_roundTrips() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        ForwardedMessage m = ForwardedMessage.builder()
                .id(guid(9))
                .topic("t")
                .from("c")
                .headers(MessageHeaders.builder().peerhost(v6).build())
                .build();
        assertThat(ForwardedMessage.decode(decoder, m.encode()).headers().peerhost())
                .isEqualTo(v6);
    }

    @Test
    void payload_bufferWithPosition_encodesOnlyRemainingWithoutMovingIt() throws ProtocolException {
        ByteBuffer buf = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.UTF_8));
        buf.position(2);
        ForwardedMessage m = ForwardedMessage.builder()
                .id(guid(5))
                .topic("t")
                .from("c")
                .payload(buf)
                .build();
        assertThat(buf.position()).isEqualTo(2);
        ForwardedMessage back = ForwardedMessage.decode(decoder, m.encode());
        assertThat(StandardCharsets.UTF_8.decode(back.payload()).toString()).isEqualTo("hello");
        assertThat(back).isEqualTo(m);
    }

    private void assertBad(ErlTuple t, String message) {
        assertThatThrownBy(() -> ForwardedMessage.fromTerm(t))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message);
    }

    private static ErlTuple qos1Term() {
        try {
            return qos1Props().toTerm();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ErlTuple with(ErlTuple t, int index, Term value) {
        Term[] els = t.elements().toArray(new Term[0]);
        els[index] = value;
        return ErlTuple.of(els);
    }
}
