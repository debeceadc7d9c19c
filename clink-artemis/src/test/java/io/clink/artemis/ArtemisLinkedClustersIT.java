package io.clink.artemis;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two embedded Artemis servers, each with a clink engine on {@link ArtemisLocalBroker}, linked with each other: a
 * subscriber on one cluster gets what a client publishes on the other, both ways, through the real link protocol
 * (route replication, handshake, forwarding) and the adapter's every duty.
 */
class ArtemisLinkedClustersIT {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // Best effort: the next test uses fresh servers and ports.
            }
        }
    }

    @Test
    void publish_onEitherCluster_reachesSubscriberOnTheOther() throws Exception {
        EmbeddedArtemis east = open(new EmbeddedArtemis());
        EmbeddedArtemis west = open(new EmbeddedArtemis());
        engine(east, "art-east", "art-west", west.linkPort);
        engine(west, "art-west", "art-east", east.linkPort);
        MqttTestClient eastClient = open(client(east, "it-east"));
        MqttTestClient westClient = open(client(west, "it-west"));
        eastClient.subscribe("to-east/#", 1);
        westClient.subscribe("to-west/#", 1);

        MqttTestClient.Delivery toWest =
                eastClient.publishUntilReceived("to-west/t", "hello west", westClient, Duration.ofMillis(500));
        MqttTestClient.Delivery toEast =
                westClient.publishUntilReceived("to-east/t", "hello east", eastClient, Duration.ofMillis(500));

        assertThat(toWest.message().payload()).isEqualTo("hello west");
        assertThat(toEast.message().payload()).isEqualTo("hello east");
    }

    private void engine(EmbeddedArtemis artemis, String name, String peer, int peerLinkPort) throws Exception {
        String hocon = """
                cluster {
                  name = "%s"
                  links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = ["#"] } ]
                }
                """.formatted(name, peer, peerLinkPort, name);
        PahoLinkTransport transport = new PahoLinkTransport();
        Path data = Files.createTempDirectory("clink-artemis-" + name);
        ClusterLink link = ClusterLink.builder()
                .config(ClusterLinkConfigLoader.parse(hocon))
                .broker(artemis.broker)
                .transport(transport)
                .nodeName("clink@" + name)
                .dataDirectory(data)
                .build();
        link.start();
        opened.add(transport::close);
        opened.add(link);
    }

    private static MqttTestClient client(EmbeddedArtemis artemis, String clientId) throws Exception {
        return MqttTestClient.connect(
                artemis.mqttUri(), clientId, MqttTestClient.defaultOptions(), Duration.ofSeconds(30));
    }

    private <T extends AutoCloseable> T open(T c) {
        opened.add(c);
        return c;
    }
}
