package io.clink.hivemq;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.ReceivedMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

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

    private static final class Harness implements LocalBrokerHarness {
        private final List<Client> clients = new ArrayList<>();
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
            Client c = new Client(io.clink.hivemq.TestClient.connect(hivemq.mqttUri(), clientId));
            clients.add(c);
            return c;
        }

        @Override
        public TestClient connectLinkSpy(String clientId) throws Exception {
            Client c = new Client(io.clink.hivemq.TestClient.connect(hivemq.linkUri(), clientId));
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
            for (Client c : clients) {
                c.client.close();
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

    /** The suite's client over the Paho test client. */
    private static final class Client implements LocalBrokerHarness.TestClient {
        final io.clink.hivemq.TestClient client;

        Client(io.clink.hivemq.TestClient client) {
            this.client = client;
        }

        @Override
        public String clientId() {
            return client.client.getClientId();
        }

        @Override
        public int subscribe(String subscription, int qos) throws Exception {
            return client.subscribe(subscription, qos)[0];
        }

        @Override
        public void unsubscribe(String subscription) throws Exception {
            client.unsubscribe(subscription);
        }

        @Override
        public int publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties)
                throws Exception {
            MqttProperties p = new MqttProperties();
            List<UserProperty> ups = new ArrayList<>();
            properties.userProperties().forEach(u -> ups.add(new UserProperty(u.name(), u.value())));
            p.setUserProperties(ups);
            properties.messageExpiryIntervalSeconds().ifPresent(p::setMessageExpiryInterval);
            properties.contentType().ifPresent(p::setContentType);
            properties.responseTopic().ifPresent(p::setResponseTopic);
            properties.correlationData().ifPresent(p::setCorrelationData);
            properties.payloadFormatIndicator().ifPresent(f -> p.setPayloadFormat(f == 1));
            return client.publish(topic, payload, qos, retain, p);
        }

        @Override
        public List<ReceivedMessage> received() {
            List<ReceivedMessage> out = new ArrayList<>();
            for (io.clink.hivemq.TestClient.Received r : List.copyOf(client.received)) {
                MqttProperties mp = r.message().getProperties();
                PublishProperties.Builder b = PublishProperties.builder();
                if (mp != null) {
                    mp.getUserProperties().forEach(u -> b.userProperty(u.getKey(), u.getValue()));
                    if (mp.getMessageExpiryInterval() != null) {
                        b.messageExpiryIntervalSeconds(mp.getMessageExpiryInterval());
                    }
                    if (mp.getContentType() != null) {
                        b.contentType(mp.getContentType());
                    }
                    if (mp.getResponseTopic() != null) {
                        b.responseTopic(mp.getResponseTopic());
                    }
                    if (mp.getCorrelationData() != null) {
                        b.correlationData(mp.getCorrelationData());
                    }
                    if (mp.getPayloadFormat()) {
                        b.payloadFormatIndicator(1);
                    }
                }
                out.add(new ReceivedMessage(r.topic(), r.message().getPayload(), r.message().getQos(),
                        r.message().isRetained(), b.build()));
            }
            return out;
        }

        @Override
        public void disconnect() throws Exception {
            client.disconnect();
        }
    }

}
