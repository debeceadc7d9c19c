package io.clink.broker.reliability;

import io.clink.broker.BrokerConfig;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.hivemq.HiveMqEngineStarters;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * Two embedded brokers linked both ways with {@code topics = ["#"]}, each link listener guarded by credentials:
 * {@code cluster-us-east} (the broker under attack) lets in {@code eu-west} (speaks for cluster-eu-west, the
 * legitimate peer) and {@code ap-south} (speaks for cluster-ap-south, a configured and enabled link whose peer is
 * never started: the credential the hostile clients hold). {@code cluster-eu-west} lets in {@code us-east}.
 */
final class GuardedClusters implements AutoCloseable {

    static final String US = "cluster-us-east";
    static final String EU = "cluster-eu-west";
    static final String AP = "cluster-ap-south";
    static final String AP_USER = "ap-south";
    static final byte[] AP_PASSWORD = HostilePayloads.utf8("ap-secret");
    static final String EU_USER = "eu-west";
    static final byte[] EU_PASSWORD = HostilePayloads.utf8("eu-secret");

    final EmbeddedClusterBroker us;
    final EmbeddedClusterBroker eu;
    final ClusterLink usLink;
    final ClusterLink euLink;
    private final List<AutoCloseable> open;

    private GuardedClusters(
            EmbeddedClusterBroker us,
            EmbeddedClusterBroker eu,
            ClusterLink usLink,
            ClusterLink euLink,
            List<AutoCloseable> open) {
        this.us = us;
        this.eu = eu;
        this.usLink = usLink;
        this.euLink = euLink;
        this.open = open;
    }

    static GuardedClusters start() throws IOException {
        int[] p = FreePorts.pick(5);
        int usMqtt = p[0];
        int usLinkPort = p[1];
        int euMqtt = p[2];
        int euLinkPort = p[3];
        int apDead = p[4];
        String usConf = """
                management { enable = false }
                cluster {
                  name = "%1$s"
                  links = [
                    { name = "%2$s", server = "127.0.0.1:%5$d", clientid = "clink-us-east", topics = ["#"],
                      username = "us-east", password = "us-secret" }
                    { name = "%3$s", server = "127.0.0.1:%6$d", clientid = "clink-us-east-ap", topics = ["#"] }
                  ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%4$d" }
                  tcp.clink {
                    bind = "127.0.0.1:%7$d"
                    authentication = [
                      { username = "eu-west", password = "eu-secret", cluster = "%2$s" }
                      { username = "ap-south", password = "ap-secret", cluster = "%3$s" }
                    ]
                  }
                }
                """.formatted(US, EU, AP, usMqtt, euLinkPort, apDead, usLinkPort);
        String euConf = """
                management { enable = false }
                cluster {
                  name = "%1$s"
                  links = [
                    { name = "%2$s", server = "127.0.0.1:%3$d", clientid = "clink-eu-west", topics = ["#"],
                      username = "eu-west", password = "eu-secret" }
                  ]
                }
                listeners {
                  tcp.default { bind = "127.0.0.1:%4$d" }
                  tcp.clink {
                    bind = "127.0.0.1:%5$d"
                    authentication = [ { username = "us-east", password = "us-secret", cluster = "%2$s" } ]
                  }
                }
                """.formatted(EU, US, usLinkPort, euMqtt, euLinkPort);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            EmbeddedClusterBroker us = EmbeddedClusterBroker.start(config(US, usConf), HiveMqEngineStarters::starter);
            open.add(us);
            EmbeddedClusterBroker eu = EmbeddedClusterBroker.start(config(EU, euConf), HiveMqEngineStarters::starter);
            open.add(eu);
            return new GuardedClusters(
                    us, eu, us.link().orElseThrow(), eu.link().orElseThrow(), open);
        } catch (RuntimeException e) {
            closeAll(open);
            throw e;
        }
    }

    String usMqttUri() {
        return "tcp://127.0.0.1:" + us.config().mqtt().port();
    }

    String usLinkUri() {
        return "tcp://127.0.0.1:" + us.config().link().port();
    }

    String euMqttUri() {
        return "tcp://127.0.0.1:" + eu.config().mqtt().port();
    }

    @Override
    public void close() {
        closeAll(open);
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // Closing after a failure must not hide the failure.
            }
        }
    }

    private static BrokerConfig config(String name, String hocon) throws IOException {
        // Each run gets fresh incarnation state, kept out of the working directory.
        Path data = Files.createTempDirectory("clink-guarded-" + name + "-");
        return BrokerConfig.from(
                        ClusterLinkConfigLoader.parseString(hocon, name),
                        name,
                        Path.of("").toAbsolutePath())
                .withDataDir(data);
    }

    /**
     * A plain MQTT 5 client that plays a peer of the link listener (or an ordinary client): clean start, session
     * expiry 0, no automatic reconnect, every wait at most {@link LinkedPair#WAIT_MS}.
     *
     * @throws MqttException with the CONNACK reason code if the broker refused
     */
    static MqttTestClient connect(String uri, String clientId, @Nullable String username, byte @Nullable [] password)
            throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, LinkedPair.WAIT_MS / 1000));
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password);
        }
        return MqttTestClient.connect(uri, clientId, o, Duration.ofMillis(LinkedPair.WAIT_MS));
    }
}
