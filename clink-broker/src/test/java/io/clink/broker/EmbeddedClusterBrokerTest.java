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
}
