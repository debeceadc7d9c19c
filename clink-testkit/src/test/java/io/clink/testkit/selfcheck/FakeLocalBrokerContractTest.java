package io.clink.testkit.selfcheck;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.testkit.FakeLocalBroker;
import io.clink.testkit.InMemoryLinkNetwork;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.ManualTime;
import io.clink.testkit.ReceivedMessage;
import java.util.List;

/**
 * Runs the contract suite against {@link FakeLocalBroker}, from another package than the suite, exactly as a broker
 * author's test would: plain clients are the fake's simulated clients, link connections come from the in-memory
 * network, and settling runs the manual time.
 */
class FakeLocalBrokerContractTest extends LocalBrokerContract {

    @Override
    protected LocalBrokerHarness createHarness() {
        return new FakeHarness();
    }

    private static final class FakeHarness implements LocalBrokerHarness {
        private final ManualTime time = ManualTime.create();
        private final FakeLocalBroker broker = new FakeLocalBroker(time.ticker());
        private final InMemoryLinkNetwork network = new InMemoryLinkNetwork(time);

        FakeHarness() {
            network.listen("broker.test", 11883, broker);
        }

        @Override
        public LocalBroker start(ClusterLinkHooks hooks) {
            broker.attach(hooks);
            return broker;
        }

        @Override
        public TestClient connectClient(String clientId) {
            FakeLocalBroker.Client c = broker.connect(clientId);
            return new TestClient() {
                @Override
                public String clientId() {
                    return clientId;
                }

                @Override
                public int subscribe(String subscription, int qos) {
                    return c.subscribe(subscription, qos);
                }

                @Override
                public void unsubscribe(String subscription) {
                    c.unsubscribe(subscription);
                }

                @Override
                public int publish(String topic, byte[] payload, int qos, boolean retain,
                        PublishProperties properties) {
                    int code = c.publish(MqttMessage.builder().topic(topic).payload(payload).qos(qos).retain(retain)
                            .properties(properties).timestampMillis(time.wallClockMillis()).build());
                    return qos == 0 ? 0 : code;
                }

                @Override
                public List<ReceivedMessage> received() {
                    return c.deliveries().stream().map(d -> new ReceivedMessage(d.topic(), d.payload(), d.qos(),
                            d.retain(), d.properties())).toList();
                }

                @Override
                public void disconnect() {
                    c.disconnect();
                }
            };
        }

        @Override
        public LinkClient newLinkClient(String clientId) {
            return network.newTransport().createClient(
                    LinkClientOptions.builder().host("broker.test").port(11883).clientId(clientId).build());
        }

        @Override
        public void settle() {
            time.runUntilIdle();
        }

        @Override
        public void close() {
            broker.detach();
        }
    }
}
