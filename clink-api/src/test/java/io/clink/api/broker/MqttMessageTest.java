package io.clink.api.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.topic.InvalidTopicException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttMessageTest {

    private static MqttMessage.Builder base() {
        return MqttMessage.builder().topic("site/a/temp").timestampMillis(1_722_945_600_000L);
    }

    @Test
    void build_minimal_hasDefaults() {
        MqttMessage m = base().build();
        assertThat(m.topic()).isEqualTo("site/a/temp");
        assertThat(m.payloadSize()).isZero();
        assertThat(m.qos()).isZero();
        assertThat(m.retain()).isFalse();
        assertThat(m.properties()).isSameAs(PublishProperties.EMPTY);
        assertThat(m.protocolVersion()).isEqualTo(MqttMessage.MQTT_5);
        assertThat(m.publisherClientId()).isEmpty();
        assertThat(m.username()).isEmpty();
        assertThat(m.peerHost()).isEmpty();
        assertThat(m.originCluster()).isEmpty();
        assertThat(m.timestampMillis()).isEqualTo(1_722_945_600_000L);
    }

    @Test
    void build_allFields_keepsThem() {
        PublishProperties props = PublishProperties.builder()
                .userProperty("k", "v")
                .contentType("text/plain")
                .build();
        MqttMessage m = base().payload("21.5".getBytes(StandardCharsets.UTF_8))
                .qos(2)
                .retain(true)
                .properties(props)
                .publisherClientId("sensor-1")
                .username("alice")
                .peerHost("10.0.0.7")
                .protocolVersion(MqttMessage.MQTT_3_1_1)
                .originCluster("cluster-eu-west")
                .build();
        assertThat(new String(m.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("21.5");
        assertThat(m.qos()).isEqualTo(2);
        assertThat(m.retain()).isTrue();
        assertThat(m.properties()).isEqualTo(props);
        assertThat(m.publisherClientId()).contains("sensor-1");
        assertThat(m.username()).contains("alice");
        assertThat(m.peerHost()).contains("10.0.0.7");
        assertThat(m.protocolVersion()).isEqualTo(4);
        assertThat(m.originCluster()).contains("cluster-eu-west");
    }

    @Test
    void build_withoutTopic_throwsNamingTopic() {
        assertThatThrownBy(() -> MqttMessage.builder().timestampMillis(1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic is required");
    }

    @Test
    void build_withoutTimestamp_throwsNamingTimestamp() {
        assertThatThrownBy(() -> MqttMessage.builder().topic("a").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("timestampMillis is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+/b", "a/#", "", "a\u0000b"})
    void topic_invalidName_throwsNamingInputAndRule(String topic) {
        assertThatThrownBy(() -> MqttMessage.builder().topic(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("topic")
                .satisfies(e -> assertThat(((InvalidTopicException) e).input()).isEqualTo(topic));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 7})
    void qos_outOfRange_throwsWithValue(int qos) {
        assertThatThrownBy(() -> base().qos(qos))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("qos must be 0, 1 or 2: " + qos);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 6})
    void protocolVersion_unknown_throwsWithValue(int v) {
        assertThatThrownBy(() -> base().protocolVersion(v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("protocolVersion must be 3, 4 or 5: " + v);
    }

    @Test
    void timestampMillis_negative_throwsWithValue() {
        assertThatThrownBy(() -> base().timestampMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestampMillis must not be negative: -1");
    }

    @Test
    void originCluster_empty_throws() {
        assertThatThrownBy(() -> base().originCluster("")).hasMessage("originCluster must not be empty");
    }

    @Test
    void publisherClientId_empty_throws() {
        assertThatThrownBy(() -> base().publisherClientId("")).hasMessage("publisherClientId must not be empty");
    }

    @Test
    void peerHost_withSpace_throwsWithValue() {
        assertThatThrownBy(() -> base().peerHost("10.0.0.1 "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.0.0.1 '");
    }

    @Test
    void payload_callerArrayChangedAfterBuild_messageUnchanged() {
        byte[] bytes = {1, 2, 3};
        MqttMessage m = base().payload(bytes).build();
        bytes[0] = 9;
        assertThat(m.payloadBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void payloadBytes_modified_messageUnchanged() {
        MqttMessage m = base().payload(new byte[] {1, 2, 3}).build();
        m.payloadBytes()[0] = 9;
        assertThat(m.payloadBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void payload_view_isReadOnly() {
        MqttMessage m = base().payload(new byte[] {1, 2, 3}).build();
        ByteBuffer view = m.payload();
        assertThat(view.remaining()).isEqualTo(3);
        assertThat(view.isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, (byte) 9)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void payload_fromBuffer_copiesRemainingWithoutMovingPosition() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {0, 1, 2, 3});
        src.position(1);
        MqttMessage m = base().payload(src).build();
        assertThat(src.position()).isEqualTo(1);
        src.put(2, (byte) 9);
        assertThat(m.payloadBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void equals_samePayloadContent_isEqual() {
        MqttMessage a =
                base().payload(new byte[] {1, 2}).qos(1).originCluster("B").build();
        MqttMessage b =
                base().payload(new byte[] {1, 2}).qos(1).originCluster("B").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a)
                .isNotEqualTo(base().payload(new byte[] {1, 3})
                        .qos(1)
                        .originCluster("B")
                        .build());
        assertThat(a).isNotEqualTo(base().payload(new byte[] {1, 2}).qos(1).build());
    }

    @Test
    void toBuilder_unchanged_buildsEqualMessage() {
        MqttMessage a = base().payload(new byte[] {5})
                .qos(1)
                .retain(true)
                .username("u")
                .peerHost("h")
                .publisherClientId("c")
                .originCluster("B")
                .protocolVersion(3)
                .properties(PublishProperties.builder().contentType("x").build())
                .build();
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(a.toBuilder().qos(0).build().qos()).isZero();
        assertThat(a.qos()).isEqualTo(1);
    }

    @Test
    void toString_large_omitsPayloadBytes() {
        MqttMessage m = base().payload("secret-reading".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThat(m.toString()).contains("payloadSize=14").doesNotContain("secret-reading");
    }
}
