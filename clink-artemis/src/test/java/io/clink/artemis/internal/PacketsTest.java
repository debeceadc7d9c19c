package io.clink.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.UserProperty;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacketsTest {

    private static MqttPublishMessage publish(MqttProperties props) {
        return MqttMessageBuilders.publish()
                .topicName("a/b")
                .qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(1)
                .payload(Unpooled.wrappedBuffer("hi".getBytes(StandardCharsets.UTF_8)))
                .properties(props)
                .build();
    }

    @Test
    void properties_onlyUserProperties_keptInOrderWithDuplicates() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.UserProperty("k", "1"));
        props.add(new MqttProperties.UserProperty("k", "2"));

        PublishProperties p = Packets.properties(publish(props));

        assertThat(p.userProperties()).containsExactly(new UserProperty("k", "1"), new UserProperty("k", "2"));
    }

    @Test
    void properties_everyCarriedProperty_mapped() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), -1));
        props.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
        props.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "r/t"));
        props.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[] {1, 2}));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 4));

        MqttPublishMessage m = publish(props);
        PublishProperties p = Packets.properties(m);

        assertThat(p.messageExpiryIntervalSeconds()).hasValue(0xFFFF_FFFFL);
        assertThat(p.contentType()).hasValue("text/plain");
        assertThat(p.responseTopic()).hasValue("r/t");
        assertThat(p.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2));
        assertThat(p.payloadFormatIndicator()).hasValue(1);
        assertThat(Packets.topicAlias(m)).isEqualTo(4);
        assertThat(Packets.payload(m)).containsExactly("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void properties_none_empty() {
        assertThat(Packets.properties(publish(MqttProperties.NO_PROPERTIES)).isEmpty())
                .isTrue();
    }
}
