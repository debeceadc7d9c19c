package io.clink.artemis;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.mqtt.MqttContractClient;
import io.clink.testkit.mqtt.MqttTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * clink-testkit's {@code LocalBroker} contract suite against {@link ArtemisLocalBroker} in an embedded Artemis. One
 * server serves every test; each test attaches the suite's hooks and uses its own {@code contract-} client ids.
 *
 * <p>The suite's spy on {@code $LINK/#} connects on the link acceptor: the adapter refuses that subscription
 * everywhere else.
 */
class ArtemisLocalBrokerContractIT extends LocalBrokerContract {

    private static EmbeddedArtemis artemis;
    private static final PahoLinkTransport TRANSPORT = new PahoLinkTransport();

    @Override
    protected LocalBrokerHarness createHarness() {
        return new Harness();
    }

    private static synchronized EmbeddedArtemis shared() throws Exception {
        if (artemis == null) {
            artemis = new EmbeddedArtemis();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    artemis.close();
                } catch (Exception e) {
                    // The JVM is exiting.
                }
            }));
        }
        return artemis;
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
        private ArtemisLocalBroker broker;

        @Override
        public LocalBroker start(ClusterLinkHooks hooks) throws Exception {
            broker = shared().broker;
            broker.attach(hooks);
            return broker;
        }

        @Override
        public TestClient connectClient(String clientId) throws Exception {
            MqttContractClient c = new MqttContractClient(connect(artemis.mqttUri(), clientId));
            clients.add(c);
            return c;
        }

        @Override
        public TestClient connectLinkSpy(String clientId) throws Exception {
            MqttContractClient c = new MqttContractClient(connect(artemis.linkUri(), clientId));
            clients.add(c);
            return c;
        }

        @Override
        public LinkClient newLinkClient(String clientId) {
            LinkClient l = TRANSPORT.createClient(LinkClientOptions.builder()
                    .host("127.0.0.1")
                    .port(artemis.linkPort)
                    .clientId(clientId)
                    .cleanStart(true)
                    .build());
            links.add(l);
            return l;
        }

        @Override
        public boolean supportsQueueSubscriptions() {
            // $queue/ is EMQX's; Artemis treats it as an ordinary topic filter.
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
