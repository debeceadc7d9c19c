package io.clink.core.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.DroppedField;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.core.internal.protocol.MessageHeaders;
import io.clink.core.internal.protocol.MessageProperties;
import io.clink.testkit.ManualTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageMappingTest {
    private static final byte[] VECTOR_GUID = {
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
    };

    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    private static MqttMessage.Builder everything(int qos) {
        return MqttMessage.builder()
                .topic("site/1/temp")
                .payload(new byte[] {0, 1, 2, (byte) 0xFF})
                .qos(qos)
                .retain(true)
                .properties(PublishProperties.builder()
                        .userProperty("a", "1")
                        .userProperty("b", "x")
                        .userProperty("a", "2")
                        .userProperty("a", "1")
                        .userProperty("ключ", "значение")
                        .messageExpiryIntervalSeconds(3600)
                        .contentType("application/json")
                        .responseTopic("reply/to/me")
                        .correlationData(new byte[] {0, (byte) 0x80, (byte) 0xFF, 7})
                        .payloadFormatIndicator(1)
                        .build())
                .publisherClientId("sensor-α")
                .username("alice")
                .peerHost("10.1.2.3")
                .protocolVersion(MqttMessage.MQTT_3_1_1)
                .timestampMillis(TestEngines.EPOCH_MILLIS + 789);
    }

    private MqttMessage throughWire(MqttMessage m, String origin) throws Exception {
        byte[] wire = MessageMapping.toForwarded(m, new byte[16]).encode();
        MessageMapping.Mapped mapped = MessageMapping.toMqttMessage(ForwardedMessage.decode(decoder, wire), origin, 0);
        assertThat(mapped.dropped()).isEmpty();
        return mapped.message();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void toForwarded_everyProperty_roundTripsWithOriginAdded(int qos) throws Exception {
        MqttMessage original = everything(qos).build();

        MqttMessage back = throughWire(original, "cluster-a");

        assertThat(back)
                .isEqualTo(original.toBuilder().originCluster("cluster-a").build());
        assertThat(back.properties().userProperties())
                .extracting(u -> u.name() + "=" + u.value())
                .containsExactly("a=1", "b=x", "a=2", "a=1", "ключ=значение");
        assertThat(back.properties().correlationData()).hasValue(new byte[] {0, (byte) 0x80, (byte) 0xFF, 7});
        assertThat(back.qos()).isEqualTo(qos);
        assertThat(back.retain()).isTrue();
    }

    @Test
    void toForwarded_minimalMessage_roundTripsWithoutInventingFields() throws Exception {
        MqttMessage original =
                MqttMessage.builder().topic("t/empty").timestampMillis(0).build();

        MqttMessage back = throughWire(original, "cluster-a");

        assertThat(back)
                .isEqualTo(original.toBuilder().originCluster("cluster-a").build());
        assertThat(back.payloadSize()).isZero();
        assertThat(back.publisherClientId()).isEmpty();
        assertThat(back.username()).isEmpty();
        assertThat(back.peerHost()).isEmpty();
        assertThat(back.properties()).isEqualTo(PublishProperties.EMPTY);
    }

    @Test
    void toForwarded_localPublish_writesTheRecordEmqxBuilds() {
        MqttMessage m = everything(2).retain(false).build();
        byte[] guid = new byte[16];
        guid[15] = 9;

        ForwardedMessage f = MessageMapping.toForwarded(m, guid);

        assertThat(f.id().toByteArray()).isEqualTo(guid);
        assertThat(f.qos()).isEqualTo(2);
        assertThat(f.from()).isEqualTo("sensor-α");
        assertThat(f.flags()).isEqualTo(ErlMap.of(EmqxAtoms.DUP, ErlAtom.FALSE, EmqxAtoms.RETAIN, ErlAtom.FALSE));
        assertThat(f.topic()).isEqualTo("site/1/temp");
        assertThat(f.timestamp()).isEqualTo(TestEngines.EPOCH_MILLIS + 789);
        assertThat(f.extra()).isEqualTo(ErlMap.EMPTY);
        ErlMap headers = f.headers().toTerm();
        assertThat(headers.get(EmqxAtoms.USERNAME)).isEqualTo(ErlBinary.utf8("alice"));
        assertThat(headers.get(EmqxAtoms.PEERHOST))
                .isEqualTo(ErlTuple.of(ErlInteger.of(10), ErlInteger.of(1), ErlInteger.of(2), ErlInteger.of(3)));
        assertThat(headers.get(EmqxAtoms.PROTO_VER)).isEqualTo(ErlInteger.of(4));
        assertThat(headers.get(EmqxAtoms.PROTOCOL)).isEqualTo(EmqxAtoms.MQTT);
        MessageProperties props = f.headers().properties();
        assertThat(props).isNotNull();
        assertThat(props.messageExpiryInterval()).isEqualTo(3600L);
        assertThat(props.contentType()).isEqualTo("application/json");
        assertThat(props.responseTopic()).isEqualTo("reply/to/me");
        assertThat(props.payloadFormatIndicator()).isEqualTo(1);
        assertThat(props.correlationData()).isEqualTo(ErlBinary.wrap(new byte[] {0, (byte) 0x80, (byte) 0xFF, 7}));
    }

    @Test
    void toForwarded_anonymousPublisher_sendsEmptyFromAndUndefinedUsername() {
        MqttMessage m = MqttMessage.builder().topic("t").timestampMillis(1).build();

        ForwardedMessage f = MessageMapping.toForwarded(m, new byte[16]);

        assertThat(f.toTerm().get(3)).isEqualTo(ErlBinary.EMPTY);
        assertThat(f.headers().toTerm().get(EmqxAtoms.USERNAME)).isEqualTo(ErlAtom.UNDEFINED);
        assertThat(f.headers().toTerm().get(EmqxAtoms.PROPERTIES)).isEqualTo(ErlMap.EMPTY);
        assertThat(f.headers().toTerm().get(EmqxAtoms.PEERHOST)).isNull();
    }

    @Test
    void toForwarded_vectorPublish_encodesToTheGoldenBytes() {
        MqttMessage m = MqttMessage.builder()
                .topic("linked/42")
                .payload("Hello from the other side!".getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .properties(PublishProperties.builder().userProperty("k", "v").build())
                .publisherClientId("c1")
                .peerHost("127.0.0.1")
                .protocolVersion(5)
                .timestampMillis(1722945600123L)
                .build();

        byte[] wire = MessageMapping.toForwarded(m, VECTOR_GUID).encode();

        assertThat(wire).isEqualTo(GoldenVectors.named("message_qos1_props").plain);
    }

    @Test
    void toForwarded_samePublisherWithoutProperties_reusesItsHeaders() {
        MessageMapping mapping =
                new MessageMapping("node", TestEngines.newTime().ticker());
        MqttMessage a = MqttMessage.builder()
                .topic("t/1")
                .publisherClientId("c")
                .username("u")
                .peerHost("10.0.0.1")
                .protocolVersion(4)
                .timestampMillis(5)
                .build();

        ForwardedMessage first = mapping.toForwarded(a);
        ForwardedMessage second = mapping.toForwarded(a.toBuilder().topic("t/2").build());
        ForwardedMessage otherUser =
                mapping.toForwarded(a.toBuilder().username("v").build());
        ForwardedMessage withProps = mapping.toForwarded(a.toBuilder()
                .properties(PublishProperties.builder().contentType("x").build())
                .build());

        assertThat(second.headers()).isSameAs(first.headers());
        assertThat(first.headers())
                .isEqualTo(MessageMapping.toForwarded(a, new byte[16]).headers());
        assertThat(otherUser.headers().username()).isEqualTo("v");
        assertThat(withProps.headers().properties()).isNotNull();
        assertThat(withProps.headers().properties().contentType()).isEqualTo("x");
    }

    @Test
    void toForwarded_manyPublishers_headersStayRightPastTheCacheBound() {
        MessageMapping mapping =
                new MessageMapping("node", TestEngines.newTime().ticker());
        MqttMessage.Builder b = MqttMessage.builder().topic("t").timestampMillis(5);

        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(mapping.toForwarded(b.username("user-" + i).build())
                                .headers()
                                .username())
                        .isEqualTo("user-" + i);
            }
        }
    }

    static Stream<Arguments> peerHosts() {
        return Stream.of(
                Arguments.of(
                        "10.1.2.3",
                        ErlTuple.of(ErlInteger.of(10), ErlInteger.of(1), ErlInteger.of(2), ErlInteger.of(3)),
                        "10.1.2.3"),
                Arguments.of(
                        "2001:db8::1",
                        ErlTuple.of(
                                ErlInteger.of(0x2001),
                                ErlInteger.of(0xdb8),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(1)),
                        "2001:db8::1"),
                Arguments.of(
                        "[fe80::1:2]",
                        ErlTuple.of(
                                ErlInteger.of(0xfe80),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(0),
                                ErlInteger.of(1),
                                ErlInteger.of(2)),
                        "fe80::1:2"),
                Arguments.of("broker.example.com", null, null),
                Arguments.of("10.1.2", null, null));
    }

    @ParameterizedTest
    @MethodSource("peerHosts")
    void toForwarded_peerHost_isAnIpTupleOnlyForIpLiterals(String host, Term tuple, String back) throws Exception {
        MqttMessage m = MqttMessage.builder()
                .topic("t")
                .timestampMillis(1)
                .peerHost(host)
                .build();

        ForwardedMessage f = MessageMapping.toForwarded(m, new byte[16]);

        assertThat(f.headers().toTerm().get(EmqxAtoms.PEERHOST)).isEqualTo(tuple);
        assertThat(throughWire(m, "c").peerHost().orElse(null)).isEqualTo(back);
    }

    @Test
    void newGuid_layout_isMicrosNodeHashSequence() {
        ManualTime time = TestEngines.newTime();
        MessageMapping mapping = new MessageMapping("emqx@10.0.0.1", time.ticker());

        byte[] a = mapping.newGuid();
        byte[] b = mapping.newGuid();

        ByteBuffer ba = ByteBuffer.wrap(a);
        assertThat(ba.getLong(0)).isEqualTo(TestEngines.EPOCH_MILLIS * 1000);
        byte[] sha = Hashing.sha256()
                .hashString("emqx@10.0.0.1", StandardCharsets.UTF_8)
                .asBytes();
        assertThat(Arrays.copyOfRange(a, 8, 14)).isEqualTo(Arrays.copyOf(sha, 6));
        assertThat(Arrays.copyOfRange(b, 8, 14)).isEqualTo(Arrays.copyOf(sha, 6));
        int seqA = ba.getShort(14) & 0xFFFF;
        int seqB = ByteBuffer.wrap(b).getShort(14) & 0xFFFF;
        assertThat(seqB).isEqualTo((seqA + 1) & 0xFFFF);
        assertThat(ByteBuffer.wrap(b).getLong(0)).isGreaterThan(ba.getLong(0));
    }

    @Test
    void newGuid_clockStillOrSteppingBack_idsStayUniqueAndIncreasing() {
        ManualTime time = TestEngines.newTime();
        MessageMapping mapping = new MessageMapping("node", time.ticker());
        Set<ByteBuffer> seen = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (int i = 0; i < 70_000; i++) {
            if (i == 50_000) {
                time.jumpWallClock(Duration.ofSeconds(-5));
            }
            byte[] id = mapping.newGuid();
            long micros = ByteBuffer.wrap(id).getLong(0);
            assertThat(micros).isGreaterThan(last);
            last = micros;
            assertThat(seen.add(ByteBuffer.wrap(id))).isTrue();
        }
        time.advance(Duration.ofSeconds(10));
        assertThat(ByteBuffer.wrap(mapping.newGuid()).getLong(0)).isEqualTo((TestEngines.EPOCH_MILLIS + 5_000) * 1000);
    }

    @Test
    void toMqttMessage_qos1Vector_decodesIntoTheExpectedMessage() throws Exception {
        MqttMessage expected = MqttMessage.builder()
                .topic("linked/42")
                .payload("Hello from the other side!".getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .properties(PublishProperties.builder().userProperty("k", "v").build())
                .publisherClientId("c1")
                .peerHost("127.0.0.1")
                .protocolVersion(5)
                .timestampMillis(1722945600123L)
                .originCluster("emqx-eu")
                .build();
        GoldenVectors.Vector v = GoldenVectors.named("message_qos1_props");

        assertThat(fromVector(v.plain)).isEqualTo(expected);
        assertThat(v.compressed).isNotNull();
        assertThat(fromVector(v.compressed)).isEqualTo(expected);
    }

    @Test
    void toMqttMessage_qos2AllPropsVector_mapsEveryPropertyAndThePeername() throws Exception {
        MqttMessage expected = MqttMessage.builder()
                .topic("telemetry/site-1/temp")
                .payload("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8))
                .qos(2)
                .properties(PublishProperties.builder()
                        .userProperty("a", "1")
                        .userProperty("a", "2")
                        .userProperty("ключ", "значение")
                        .messageExpiryIntervalSeconds(3600)
                        .contentType("application/json")
                        .responseTopic("reply/to/me")
                        .correlationData(new byte[] {1, 2, 3, (byte) 255})
                        .payloadFormatIndicator(1)
                        .build())
                .publisherClientId("sensor-α")
                .username("alice")
                .peerHost("10.1.2.3")
                .protocolVersion(5)
                .timestampMillis(1722945600789L)
                .originCluster("emqx-eu")
                .build();

        assertThat(fromVector(GoldenVectors.named("message_qos2_all_props").plain))
                .isEqualTo(expected);
    }

    @Test
    void toMqttMessage_qos0RetainVector_keepsRetainAndDefaultsTheRest() throws Exception {
        MqttMessage expected = MqttMessage.builder()
                .topic("linked/1")
                .payload("Hello from US!".getBytes(StandardCharsets.UTF_8))
                .qos(0)
                .retain(true)
                .publisherClientId("pub-7")
                .timestampMillis(1722945600456L)
                .originCluster("emqx-eu")
                .build();

        assertThat(fromVector(GoldenVectors.named("message_qos0_retain_minimal").plain))
                .isEqualTo(expected);
    }

    @Test
    void toMqttMessage_emptyPayloadVector_deliversAnEmptyPayload() throws Exception {
        MqttMessage expected = MqttMessage.builder()
                .topic("t/empty")
                .qos(1)
                .publisherClientId("c2")
                .timestampMillis(0)
                .originCluster("emqx-eu")
                .build();

        assertThat(fromVector(GoldenVectors.named("message_empty_payload").plain))
                .isEqualTo(expected);
    }

    @Test
    void toMqttMessage_largePayloadVector_keepsEveryByte() throws Exception {
        GoldenVectors.Vector v = GoldenVectors.named("message_large_payload");
        byte[] blob = new byte[1000];
        Arrays.fill(blob, (byte) 'a');

        MqttMessage plain = fromVector(v.plain);

        assertThat(plain.payloadBytes()).isEqualTo(blob);
        assertThat(v.compressed).isNotNull();
        assertThat(fromVector(v.compressed)).isEqualTo(plain);
    }

    static Stream<Arguments> undeliverable() {
        return Stream.of(
                Arguments.of(
                        "wildcard topic",
                        ForwardedMessage.builder().id(new byte[16]).topic("t/#").build()),
                Arguments.of(
                        "empty topic",
                        ForwardedMessage.builder().id(new byte[16]).topic("").build()),
                Arguments.of(
                        "NUL in topic",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t/\u0000")
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undeliverable")
    void toMqttMessage_topicTheBrokerCannotCarry_isUndeliverableWith0x90(String what, ForwardedMessage f) {
        assertThatThrownBy(() -> MessageMapping.toMqttMessage(f, "c", 0))
                .isInstanceOfSatisfying(
                        UndeliverableMessageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(0x90));
    }

    static Stream<Arguments> droppable() {
        return Stream.of(
                Arguments.of(
                        "payload format 2",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .headers(headersWith(EmqxAtoms.PAYLOAD_FORMAT_INDICATOR, ErlInteger.of(2)))
                                .build(),
                        DroppedField.PAYLOAD_FORMAT_INDICATOR),
                Arguments.of(
                        "NUL in client id",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .from("a\u0000b")
                                .build(),
                        DroppedField.FROM),
                Arguments.of(
                        "NUL in content type",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .headers(headersWith(EmqxAtoms.CONTENT_TYPE, ErlBinary.utf8("a\u0000")))
                                .build(),
                        DroppedField.CONTENT_TYPE),
                Arguments.of(
                        "wildcard response topic",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .headers(headersWith(EmqxAtoms.RESPONSE_TOPIC, ErlBinary.utf8("r/#")))
                                .build(),
                        DroppedField.RESPONSE_TOPIC),
                Arguments.of(
                        "oversized correlation data",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .headers(headersWith(EmqxAtoms.CORRELATION_DATA, ErlBinary.wrap(new byte[65_536])))
                                .build(),
                        DroppedField.CORRELATION_DATA),
                Arguments.of(
                        "negative timestamp",
                        ForwardedMessage.builder()
                                .id(new byte[16])
                                .topic("t")
                                .timestamp(-1)
                                .build(),
                        DroppedField.TIMESTAMP));
    }

    private static MessageHeaders headersWith(ErlAtom property, Term value) {
        try {
            return MessageHeaders.fromTerm(ErlMap.of(EmqxAtoms.PROPERTIES, ErlMap.of(property, value)));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("droppable")
    void toMqttMessage_metadataTheBrokerCannotCarry_isDroppedAndTheMessageKept(
            String what, ForwardedMessage f, DroppedField kind) throws Exception {
        MessageMapping.Mapped mapped = MessageMapping.toMqttMessage(f, "c", 42);

        assertThat(mapped.dropped()).containsExactly(kind);
        assertThat(mapped.message().topic()).isEqualTo("t");
        assertThat(mapped.message().properties()).isEqualTo(PublishProperties.EMPTY);
        assertThat(mapped.message().publisherClientId()).isEmpty();
        assertThat(mapped.message().timestampMillis()).isEqualTo(kind == DroppedField.TIMESTAMP ? 42 : 0);
    }

    @Test
    void toMqttMessage_unknownHeadersAndOddProtoVer_protoVerDroppedRestIgnored() throws Exception {
        MessageHeaders headers = MessageHeaders.fromTerm(ErlMap.of(
                EmqxAtoms.CLIENT_ATTRS, ErlMap.of(ErlBinary.utf8("zone"), ErlBinary.utf8("eu")),
                EmqxAtoms.PROTO_VER, ErlInteger.of(77)));
        ForwardedMessage f = ForwardedMessage.builder()
                .id(new byte[16])
                .topic("t")
                .headers(headers)
                .build();

        MessageMapping.Mapped m = MessageMapping.toMqttMessage(f, "c", 0);

        assertThat(m.message().protocolVersion()).isEqualTo(MqttMessage.MQTT_5);
        assertThat(m.message().properties()).isEqualTo(PublishProperties.EMPTY);
        assertThat(m.dropped()).containsExactly(DroppedField.PROTO_VER);
    }

    private MqttMessage fromVector(byte[] bytes) throws Exception {
        MessageMapping.Mapped mapped =
                MessageMapping.toMqttMessage(ForwardedMessage.decode(decoder, bytes), "emqx-eu", 0);
        assertThat(mapped.dropped()).isEmpty();
        return mapped.message();
    }
}
