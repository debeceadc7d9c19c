package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.core.ClusterLink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class EmbeddedClusterBrokerTest {

    /** HiveMQ's default maximum packet size: 256 MiB plus the largest fixed header. */
    private static final long HIVEMQ_DEFAULT_MAX_PACKET = 268_435_460L;

    @Test
    void hivemqConfig_anyConfiguration_capsPacketsJustAboveTheLinkDecoderLimit() throws Exception {
        BrokerConfig config = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT));

        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(
                        EmbeddedClusterBroker.hivemqConfig(config, null).getBytes(StandardCharsets.UTF_8)));
        long max = Long.parseLong(XPathFactory.newInstance()
                .newXPath()
                .evaluate("/hivemq/mqtt/packets/max-packet-size", xml)
                .trim());

        assertThat(max)
                .as("a link publish at the decoder's limit still fits, with its topic and properties")
                .isGreaterThan(ClusterLink.MAX_LINK_PAYLOAD_BYTES + 1024L)
                .isEqualTo(EmbeddedClusterBroker.MAX_PACKET_SIZE)
                .isLessThan(HIVEMQ_DEFAULT_MAX_PACKET / 8);
        assertThat(XPathFactory.newInstance().newXPath().evaluate("count(/hivemq/listeners/tcp-listener)", xml))
                .isEqualTo("2");
    }

    @Test
    void hivemqConfig_anyConfiguration_grantsLinksTheirDefaultInflightWindow() throws Exception {
        BrokerConfig config = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT));

        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(
                        EmbeddedClusterBroker.hivemqConfig(config, null).getBytes(StandardCharsets.UTF_8)));
        int receiveMaximum = Integer.parseInt(XPathFactory.newInstance()
                .newXPath()
                .evaluate("/hivemq/mqtt/receive-maximum/server-receive-maximum", xml)
                .trim());

        assertThat(receiveMaximum)
                .as("at least a link's default max_inflight, so HiveMQ does not cap it at 10")
                .isEqualTo(EmbeddedClusterBroker.SERVER_RECEIVE_MAXIMUM)
                .isGreaterThanOrEqualTo(config.cluster().links().get(0).maxInflight());
    }

    @Test
    void restartKeys_onlyLinksChanged_none() {
        BrokerConfig running = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT));
        BrokerConfig fresh =
                Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT).replace("topics = [\"#\"]", "topics = []"));

        assertThat(fresh.cluster()).isNotEqualTo(running.cluster());
        assertThat(EmbeddedClusterBroker.restartKeys(running, fresh)).isEmpty();
    }

    @Test
    void restartKeys_listenerQueueAndClusterNameChanged_namedEach() {
        BrokerConfig running = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT));
        BrokerConfig fresh = Demo.config(
                "us",
                Demo.usEast(Demo.Ports.DEFAULT)
                                .replace("127.0.0.1:1883", "127.0.0.1:1999")
                                .replace("name = \"cluster-us-east\"", "name = \"cluster-us-2\"")
                        + "\nmqtt.max_mqueue_len = 5\n");

        // The default node.data_dir holds the cluster's name, so it moves with it.
        assertThat(EmbeddedClusterBroker.restartKeys(running, fresh))
                .containsExactly("cluster.name", "listeners.tcp.default", "node.data_dir", "mqtt");
    }
}
