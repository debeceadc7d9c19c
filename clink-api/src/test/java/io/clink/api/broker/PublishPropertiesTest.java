package io.clink.api.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.topic.InvalidTopicException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishPropertiesTest {

    @Test
    void empty_hasNothingSet() {
        PublishProperties p = PublishProperties.EMPTY;
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.userProperties()).isEmpty();
        assertThat(p.messageExpiryIntervalSeconds()).isEmpty();
        assertThat(p.contentType()).isEmpty();
        assertThat(p.responseTopic()).isEmpty();
        assertThat(p.correlationData()).isEmpty();
        assertThat(p.payloadFormatIndicator()).isEmpty();
        assertThat(PublishProperties.builder().build()).isEqualTo(p);
    }

    @Test
    void userProperty_duplicatesAndOrder_areKept() {
        PublishProperties p = PublishProperties.builder()
                .userProperty("b", "1")
                .userProperty("a", "2")
                .userProperty("b", "1")
                .build();
        assertThat(p.userProperties())
                .containsExactly(new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "1"));
        assertThat(p.isEmpty()).isFalse();
    }

    @Test
    void userProperties_differentOrder_areNotEqual() {
        PublishProperties ab = PublishProperties.builder()
                .userProperty("a", "1")
                .userProperty("b", "2")
                .build();
        PublishProperties ba = PublishProperties.builder()
                .userProperty("b", "2")
                .userProperty("a", "1")
                .build();
        assertThat(ab).isNotEqualTo(ba);
    }

    @Test
    void userProperties_list_isImmutableCopy() {
        PublishProperties p = PublishProperties.builder()
                .userProperties(List.of(new UserProperty("k", "v")))
                .build();
        assertThatThrownBy(() -> p.userProperties().add(new UserProperty("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void userProperty_nulChar_isRejected() {
        assertThatThrownBy(() -> new UserProperty("a\u0000", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user property name must not contain U+0000");
    }

    @Test
    void userProperty_loneSurrogate_isRejected() {
        assertThatThrownBy(() -> new UserProperty("k", "x\uD800"))
                .hasMessageContaining("user property value must be well-formed UTF-16 (lone surrogate at index 1)");
    }

    @Test
    void messageExpiry_bounds_areChecked() {
        assertThat(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(0)
                        .build()
                        .messageExpiryIntervalSeconds())
                .hasValue(0);
        assertThat(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(4_294_967_295L)
                        .build()
                        .messageExpiryIntervalSeconds())
                .hasValue(4_294_967_295L);
        assertThatThrownBy(() -> PublishProperties.builder().messageExpiryIntervalSeconds(4_294_967_296L))
                .hasMessage("messageExpiryInterval must be in 0..4294967295 seconds: 4294967296");
        assertThatThrownBy(() -> PublishProperties.builder().messageExpiryIntervalSeconds(-1))
                .hasMessage("messageExpiryInterval must be in 0..4294967295 seconds: -1");
        assertThat(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(5)
                        .noMessageExpiry()
                        .build()
                        .messageExpiryIntervalSeconds())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resp/+", "resp/#", ""})
    void responseTopic_notATopicName_isRejected(String topic) {
        assertThatThrownBy(() -> PublishProperties.builder().responseTopic(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("responseTopic");
    }

    @Test
    void correlationData_isCopiedInAndOut() {
        byte[] data = {1, 2};
        PublishProperties p = PublishProperties.builder().correlationData(data).build();
        data[0] = 9;
        assertThat(p.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2));
        p.correlationData().orElseThrow()[1] = 9;
        assertThat(p.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2));
    }

    @Test
    void correlationData_tooLong_isRejected() {
        assertThatThrownBy(() -> PublishProperties.builder().correlationData(new byte[65536]))
                .hasMessage("correlationData must be at most 65535 bytes: 65536");
    }

    @Test
    void payloadFormatIndicator_onlyZeroOrOne() {
        assertThat(PublishProperties.builder().payloadFormatIndicator(1).build().payloadFormatIndicator())
                .hasValue(1);
        assertThat(PublishProperties.builder()
                        .payloadFormatIndicator(null)
                        .build()
                        .payloadFormatIndicator())
                .isEmpty();
        assertThatThrownBy(() -> PublishProperties.builder().payloadFormatIndicator(2))
                .hasMessage("payloadFormatIndicator must be 0 or 1: 2");
    }

    @Test
    void equals_correlationByContent_isEqual() {
        PublishProperties a = PublishProperties.builder()
                .responseTopic("$LINK/cluster/resp/A/n1")
                .correlationData(new byte[] {7})
                .build();
        PublishProperties b = PublishProperties.builder()
                .responseTopic("$LINK/cluster/resp/A/n1")
                .correlationData(new byte[] {7})
                .build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toBuilder().correlationData(new byte[] {8}).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().build()).isEqualTo(a);
    }

    @Test
    void toString_showsSetPropertiesOnly() {
        String s = PublishProperties.builder()
                .correlationData(new byte[] {(byte) 0xab, 0x01})
                .contentType("json")
                .build()
                .toString();
        assertThat(s)
                .contains("correlationData=0xab01")
                .contains("contentType=json")
                .doesNotContain("responseTopic");
    }
}
