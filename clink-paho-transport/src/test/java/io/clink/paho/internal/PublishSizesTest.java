package io.clink.paho.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.transport.OutgoingPublish;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cross-checks the size computation against Paho's own PUBLISH encoder. */
class PublishSizesTest {

    private static long pahoSize(OutgoingPublish p, boolean alias) throws Exception {
        MqttProperties props = new MqttProperties();
        if (p.responseTopic() != null) {
            props.setResponseTopic(p.responseTopic());
        }
        if (p.correlationData() != null) {
            props.setCorrelationData(p.correlationData());
        }
        if (alias) {
            props.setTopicAlias(7);
        }
        MqttPublish packet = new MqttPublish(p.topic(), new MqttMessage(p.payload(), p.qos(), false, props), props);
        if (p.qos() > 0) {
            packet.setMessageId(1);
        }
        return packet.getHeader().length + packet.getPayload().length;
    }

    @ParameterizedTest
    @CsvSource({
        "t, 0, 0, false, false, false",
        "t, 58, 0, false, false, false",
        "$LINK/cluster/msg/clA, 100, 1, false, false, false",
        "a/b/c, 120, 1, false, false, false",
        "a/b/c, 121, 1, false, false, false",
        "a/b/c, 16370, 0, false, false, false",
        "a/b/c, 16384, 1, false, false, false",
        "a/b/c, 2097152, 1, false, false, false",
        "$LINK/cluster/route/clB, 300, 1, true, true, false",
        "$LINK/cluster/route/clB, 300, 1, true, false, true",
        "tópico/ü, 10, 0, false, true, true",
    })
    void encodedSize_variousPublishes_equalsPahoEncoding(
            String topic, int payload, int qos, boolean responseTopic, boolean correlation, boolean alias)
            throws Exception {
        OutgoingPublish p = new OutgoingPublish(
                topic,
                new byte[payload],
                qos,
                false,
                responseTopic ? "$LINK/cluster/resp/clA" : null,
                correlation ? new byte[] {1, 2, 3, 4, 5} : null);

        assertThat(PublishSizes.encodedSize(p, alias)).isEqualTo(pahoSize(p, alias));
    }
}
