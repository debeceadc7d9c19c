package io.clink.core.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.UserProperty;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.protocol.DroppedField;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code message_emqx_*} golden vectors (made by a real Erlang runtime, shaped as EMQX sends them): each decodes,
 * and maps to exactly the message a local subscriber should get, with the metadata an MQTT broker cannot carry left
 * out and counted.
 */
class EmqxMessageVectorTest {
    private static final String SENDER = "emqx-eu";
    private static final LinkConnection CONN = LinkConnection.of("conn-1", "emqx-eu:msg:12345678:1");

    private final EtfDecoder decoder = EtfDecoder.withDefaults();
    private final ManualTime time = TestEngines.newTime();
    private final RecordingBroker broker = new RecordingBroker();
    private final TestEngines.Receiving engine = TestEngines.receiving(
            time,
            broker,
            TestEngines.config("clink-us", TestEngines.link(SENDER, "linked/#").build()));
    private final ForwardedReceiver receiver = engine.receiver;
    private final LinkCounters counters = engine.counters.counters(SENDER);

    private static MqttMessage.Builder base(String topic, String payload, int qos, long timestamp) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(qos)
                .timestampMillis(timestamp)
                .originCluster(SENDER);
    }

    static Stream<Arguments> deliverable() {
        return Stream.of(
                Arguments.of(
                        "message_emqx_gateway_mqttsn",
                        base("linked/sn/1", "21.5", 1, 1722945602000L)
                                .publisherClientId("sn-client-1")
                                .peerHost("192.168.7.7")
                                .build(),
                        List.of(DroppedField.PROTO_VER)),
                Arguments.of(
                        "message_emqx_gateway_stomp",
                        base("linked/stomp/queue", "ping", 0, 1722945602001L)
                                .publisherClientId("stomp-client-9")
                                .username("stomp-user")
                                .peerHost("10.0.0.9")
                                .properties(PublishProperties.builder()
                                        .userProperty("content-length", "4")
                                        .build())
                                .build(),
                        List.of(DroppedField.PROTO_VER)),
                Arguments.of(
                        "message_emqx_username_undefined_no_peerhost",
                        base("linked/anon", "x", 1, 1722945602002L)
                                .publisherClientId("c-3")
                                .protocolVersion(MqttMessage.MQTT_3_1_1)
                                .build(),
                        List.of()),
                Arguments.of(
                        "message_emqx_invalid_utf8_everywhere",
                        base("linked/utf8", "", 1, 1722945602003L)
                                .payload(new byte[] {(byte) 255, (byte) 254})
                                .peerHost("127.0.0.1")
                                .properties(PublishProperties.builder()
                                        .userProperty("ok", "kept")
                                        .correlationData(new byte[] {(byte) 255, 0, (byte) 254})
                                        .build())
                                .build(),
                        List.of(
                                DroppedField.FROM,
                                DroppedField.USERNAME,
                                DroppedField.USER_PROPERTY,
                                DroppedField.USER_PROPERTY,
                                DroppedField.CONTENT_TYPE,
                                DroppedField.RESPONSE_TOPIC)),
                Arguments.of(
                        "message_emqx_from_atom_undefined",
                        base("linked/internal", "sys", 1, 1722945602004L).build(),
                        List.of()),
                Arguments.of(
                        "message_emqx_from_atom_bridge",
                        base("linked/bridged", "b", 1, 1722945602005L).build(),
                        List.of(DroppedField.FROM)),
                Arguments.of(
                        "message_emqx_payload_format_2",
                        base("linked/pfi", "text", 1, 1722945602006L)
                                .publisherClientId("c-pfi")
                                .username("u")
                                .properties(PublishProperties.builder()
                                        .contentType("text/plain")
                                        .build())
                                .build(),
                        List.of(DroppedField.PAYLOAD_FORMAT_INDICATOR)),
                Arguments.of(
                        "message_emqx_unknown_header_keys",
                        base("linked/hooks", "h", 1, 1722945602007L)
                                .publisherClientId("c-hooks")
                                .username("u")
                                .peerHost("127.0.0.1")
                                .build(),
                        List.of()),
                Arguments.of(
                        "message_emqx_qos2",
                        base("linked/qos2", "exactly once", 2, 1722945602008L)
                                .publisherClientId("c-q2")
                                .username("u")
                                .peerHost("127.0.0.1")
                                .properties(PublishProperties.builder()
                                        .userProperties(List.of(new UserProperty("n", "1")))
                                        .contentType("text/plain")
                                        .build())
                                .build(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deliverable")
    void toMqttMessage_emqxVector_mapsWhatCanBeCarriedAndListsTheRest(
            String vector, MqttMessage expected, List<DroppedField> dropped) throws Exception {
        GoldenVectors.Vector v = GoldenVectors.named(vector);
        for (byte[] bytes : v.compressed == null ? List.of(v.plain) : List.of(v.plain, v.compressed)) {
            MessageMapping.Mapped mapped =
                    MessageMapping.toMqttMessage(ForwardedMessage.decode(decoder, bytes), SENDER, 0);

            assertThat(mapped.message()).isEqualTo(expected);
            assertThat(mapped.dropped()).containsExactlyInAnyOrderElementsOf(dropped);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deliverable")
    void onMessagePublish_emqxVector_deliveredOnceAndDropsCounted(
            String vector, MqttMessage expected, List<DroppedField> dropped) {
        time.jumpWallClock(Duration.ofMillis(expected.timestampMillis() - TestEngines.EPOCH_MILLIS));

        int code = receiver.onMessagePublish(CONN, SENDER, GoldenVectors.named(vector).plain);

        assertThat(code).isZero();
        assertThat(broker.delivered()).containsExactly(expected);
        assertThat(counters.fieldsDropped.sum()).isEqualTo(dropped.size());
        assertThat(counters.received.sum()).isEqualTo(1);
        assertThat(broker.disconnects()).isEmpty();
    }

    @Test
    void onMessagePublish_topicNotUtf8Vector_refusedWith0x90AndConnectionKept() {
        int code = receiver.onMessagePublish(CONN, SENDER, GoldenVectors.named("message_emqx_topic_not_utf8").plain);

        assertThat(code).isEqualTo(0x90);
        assertThat(broker.delivered()).isEmpty();
        assertThat(broker.disconnects()).isEmpty();
        assertThat(counters.rejected.sum()).isEqualTo(1);
        assertThat(counters.protocolErrors.sum()).isZero();
    }
}
