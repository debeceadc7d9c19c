package io.clink.hivemq;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.mqtt.MqttContractClient;
import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * clink-testkit's {@code LocalBroker} contract suite against {@link HiveMqLocalBroker} in an embedded HiveMQ CE. One
 * broker serves every test (starting one takes seconds); each test attaches the suite's hooks and uses its own
 * {@code contract-} client ids.
 *
 * <p>The suite's spy on {@code $LINK/#} connects on the link listener: the adapter refuses that subscription (0x87)
 * everywhere else, by design, so that ordinary clients never see link traffic.
 */
class HiveMqContractIT extends LocalBrokerContract {

    private static EmbeddedHiveMq hivemq;
    private static final PahoLinkTransport TRANSPORT = new PahoLinkTransport();

    @Override
    protected LocalBrokerHarness createHarness() {
        return new Harness();
    }

    private static synchronized EmbeddedHiveMq shared() throws Exception {
        if (hivemq == null) {
            Path dir = Files.createTempDirectory("clink-hivemq-contract");
            hivemq = new EmbeddedHiveMq(dir, (broker, context) -> broker::detach);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    hivemq.close();
                } catch (Exception e) {
                    // The JVM is exiting.
                }
            }));
        }
        return hivemq;
    }

    /** Clean start, session expiry 0: a contract client leaves no session behind. */
    private static MqttTestClient connect(String uri, String clientId) throws MqttException {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSessionExpiryInterval(0L);
        return MqttTestClient.connect(uri, clientId, o, Duration.ofSeconds(10));
    }

    private static final class Harness implements LocalBrokerHarness {
        private final List<MqttContractClient> clients = new ArrayList<>();
        private final List<LinkClient> links = new ArrayList<>();
        private HiveMqLocalBroker broker;

        @Override
        public LocalBroker start(ClusterLinkHooks hooks) throws Exception {
            broker = shared().broker();
            broker.attach(hooks);
            return broker;
        }

        @Override
        public TestClient connectClient(String clientId) throws Exception {
            MqttContractClient c = new MqttContractClient(connect(hivemq.mqttUri(), clientId));
            clients.add(c);
            return c;
        }

        @Override
        public TestClient connectLinkSpy(String clientId) throws Exception {
            MqttContractClient c = new MqttContractClient(connect(hivemq.linkUri(), clientId));
            clients.add(c);
            return c;
        }

        @Override
        public LinkClient newLinkClient(String clientId) {
            LinkClient l = TRANSPORT.createClient(LinkClientOptions.builder()
                    .host("127.0.0.1")
                    .port(hivemq.linkPort)
                    .clientId(clientId)
                    .cleanStart(true)
                    .build());
            links.add(l);
            return l;
        }

        @Override
        public boolean supportsQueueSubscriptions() {
            // $queue/ is EMQX's; HiveMQ treats it as an ordinary topic filter.
            return false;
        }

        @Override
        public void close() throws Exception {
            for (MqttContractClient c : clients) {
                c.client().closeQuietly();
            }
            for (LinkClient l : links) {
                try {
                    l.close();
                } catch (RuntimeException e) {
                    // Already closed by the test.
                }
            }
            if (broker != null) {
                broker.detach();
            }
        }
    }
}
