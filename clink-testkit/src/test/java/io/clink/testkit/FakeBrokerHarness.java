package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A {@link LocalBrokerHarness} over {@link FakeLocalBroker}: plain clients are the fake's simulated clients, link
 * connections come from an {@link InMemoryLinkNetwork} (whose listener is the fake's only link listener; the spy
 * connects there too), and settling runs the manual time. The adapter handed to the
 * suite can be wrapped, to plant bugs and check that the suite catches them.
 */
public final class FakeBrokerHarness implements LocalBrokerHarness {

    /** The adapter function of a harness without planted bugs: attach the fake to the hooks and hand it over. */
    public static final BiFunction<FakeLocalBroker, ClusterLinkHooks, LocalBroker> ATTACH = (broker, hooks) -> {
        broker.attach(hooks);
        return broker;
    };

    private final ManualTime time = ManualTime.create();
    private final FakeLocalBroker broker = new FakeLocalBroker(time.ticker());
    private final InMemoryLinkNetwork network = new InMemoryLinkNetwork(time);
    private final BiFunction<FakeLocalBroker, ClusterLinkHooks, LocalBroker> adapter;
    private final Duration timeout;

    /** A harness handing the fake itself to the suite. */
    public FakeBrokerHarness() {
        this(ATTACH, Duration.ofSeconds(10));
    }

    /**
     * A harness handing a wrapper of the fake to the suite.
     *
     * @param adapter attaches the fake to the hooks (or to a wrapper of them) and returns the adapter under test
     * @param timeout how long the suite waits for expected events
     */
    public FakeBrokerHarness(BiFunction<FakeLocalBroker, ClusterLinkHooks, LocalBroker> adapter, Duration timeout) {
        this.adapter = adapter;
        this.timeout = timeout;
        network.listen("broker.test", 11883, broker);
        broker.linkListeners(Set.of(InMemoryLinkNetwork.DEFAULT_LISTENER));
    }

    /** The fake behind the adapter. */
    public FakeLocalBroker fake() {
        return broker;
    }

    @Override
    public LocalBroker start(ClusterLinkHooks hooks) {
        return adapter.apply(broker, hooks);
    }

    @Override
    public TestClient connectClient(String clientId) {
        return new Client(broker.connect(clientId), false);
    }

    @Override
    public TestClient connectMqtt311Client(String clientId) {
        return new Client(broker.connectMqtt311(clientId), true);
    }

    @Override
    public TestClient connectLinkSpy(String clientId) {
        return new Client(broker.connectOn(clientId, InMemoryLinkNetwork.DEFAULT_LISTENER), false);
    }

    /** A simulated client as the suite's test client; topic aliases numbered per client from 1. */
    private final class Client implements TestClient {
        private static final int TOPIC_ALIAS_MAXIMUM = 10;
        private final FakeBrokerClient c;
        private final boolean mqtt311;
        private final Map<String, Integer> aliases = new HashMap<>();

        Client(FakeBrokerClient c, boolean mqtt311) {
            this.c = c;
            this.mqtt311 = mqtt311;
        }

        @Override
        public String clientId() {
            return c.clientId();
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
        public int publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties) {
            if (mqtt311 && !properties.isEmpty()) {
                throw new IllegalArgumentException("MQTT 3.1.1 has no publish properties: " + properties);
            }
            int code = c.publish(MqttMessage.builder()
                    .topic(topic)
                    .payload(payload)
                    .qos(qos)
                    .retain(retain)
                    .properties(properties)
                    .timestampMillis(time.wallClockMillis())
                    .build());
            return qos == 0 ? 0 : code;
        }

        @Override
        public int topicAliasMaximum() {
            return mqtt311 ? 0 : TOPIC_ALIAS_MAXIMUM;
        }

        @Override
        public int publishWithTopicAlias(String topic, byte[] payload) {
            Integer known = aliases.get(topic);
            if (known != null) {
                return c.publishWithTopicAlias(known, null, payload, 1);
            }
            if (aliases.size() >= topicAliasMaximum()) {
                throw new IllegalStateException("no topic alias left for " + topic);
            }
            int alias = aliases.size() + 1;
            aliases.put(topic, alias);
            return c.publishWithTopicAlias(alias, topic, payload, 1);
        }

        @Override
        public List<ReceivedMessage> received() {
            return c.deliveries().stream()
                    .map(d -> new ReceivedMessage(d.topic(), d.payload(), d.qos(), d.retain(), d.properties()))
                    .toList();
        }

        @Override
        public boolean isConnected() {
            return c.isConnected();
        }

        @Override
        public void disconnect() {
            c.disconnect();
        }
    }

    @Override
    public LinkClient newLinkClient(String clientId) {
        return newLinkClient(clientId, LinkClientOptions.DEFAULT_KEEP_ALIVE);
    }

    @Override
    public LinkClient newLinkClient(String clientId, Duration keepAlive) {
        return network.newTransport()
                .createClient(LinkClientOptions.builder()
                        .host("broker.test")
                        .port(11883)
                        .clientId(clientId)
                        .keepAlive(keepAlive)
                        .build());
    }

    @Override
    public void elapse(Duration duration) {
        time.advance(duration);
    }

    @Override
    public void settle() {
        time.runUntilIdle();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        broker.detach();
    }
}
