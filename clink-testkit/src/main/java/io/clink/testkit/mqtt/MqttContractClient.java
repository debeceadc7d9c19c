package io.clink.testkit.mqtt;

import io.clink.api.broker.PublishProperties;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.ReceivedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LocalBrokerHarness.TestClient} of the contract suite over an {@link MqttTestClient}, so that a broker
 * author's harness needs no MQTT client code of its own:
 *
 * <pre>{@code
 * @Override public TestClient connectClient(String clientId) throws Exception {
 *     return new MqttContractClient(MqttTestClient.connect("127.0.0.1", server.mqttPort(), clientId));
 * }
 * }</pre>
 *
 * <p>Publishes report the PUBACK reason code, or the reason code a refused publish failed with (see
 * {@link MqttTestClient#tryPublish(String, byte[], int, boolean, MqttProperties)}); MQTT 5 properties are mapped both
 * ways. {@link #disconnect()} closes the client. Thread: any, as {@link MqttTestClient}.
 *
 * @since 0.1.0
 */
public final class MqttContractClient implements LocalBrokerHarness.TestClient {

    private final MqttTestClient client;
    // Every topic published with a name: Paho gives each a topic alias of its own, while aliases remain.
    private final Set<String> namedTopics = ConcurrentHashMap.newKeySet();

    /**
     * Wraps a connected client.
     *
     * @param client the client, not null; this object takes it over and closes it on {@link #disconnect()}
     */
    public MqttContractClient(MqttTestClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The underlying client.
     *
     * @return the client given at construction
     */
    public MqttTestClient client() {
        return client;
    }

    @Override
    public String clientId() {
        return client.clientId();
    }

    @Override
    public int subscribe(String subscription, int qos) throws Exception {
        return client.subscribe(subscription, qos);
    }

    @Override
    public void unsubscribe(String subscription) throws Exception {
        client.unsubscribe(subscription);
    }

    @Override
    public int publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties)
            throws Exception {
        namedTopics.add(topic);
        return client.tryPublish(topic, payload, qos, retain, toPaho(properties));
    }

    @Override
    public int topicAliasMaximum() {
        return client.topicAliasMaximum();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Paho assigns topic aliases by itself when the broker grants them, so this publishes normally after checking
     * that Paho has (or still has) an alias for the topic.
     */
    @Override
    public int publishWithTopicAlias(String topic, byte[] payload) throws Exception {
        namedTopics.add(topic);
        if (namedTopics.size() > client.topicAliasMaximum()) {
            throw new IllegalStateException("no topic alias left for " + topic + ": the broker granted "
                    + client.topicAliasMaximum() + " and this client named " + namedTopics.size() + " topics");
        }
        return client.tryPublish(topic, payload, 1, false, null);
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public List<ReceivedMessage> received() {
        List<ReceivedMessage> out = new ArrayList<>();
        for (Received r : List.copyOf(client.received())) {
            MqttMessage m = r.message();
            out.add(new ReceivedMessage(
                    r.topic(), m.getPayload(), m.getQos(), m.isRetained(), fromPaho(m.getProperties())));
        }
        return out;
    }

    @Override
    public void disconnect() throws Exception {
        client.close();
    }

    @Override
    public String toString() {
        return "MqttContractClient{" + client + '}';
    }

    /**
     * clink's publish properties as Paho's.
     *
     * @param properties not null
     * @return new Paho properties
     */
    public static MqttProperties toPaho(PublishProperties properties) {
        MqttProperties p = new MqttProperties();
        List<UserProperty> ups = new ArrayList<>();
        properties.userProperties().forEach(u -> ups.add(new UserProperty(u.name(), u.value())));
        p.setUserProperties(ups);
        properties.messageExpiryIntervalSeconds().ifPresent(p::setMessageExpiryInterval);
        properties.contentType().ifPresent(p::setContentType);
        properties.responseTopic().ifPresent(p::setResponseTopic);
        properties.correlationData().ifPresent(p::setCorrelationData);
        properties.payloadFormatIndicator().ifPresent(f -> p.setPayloadFormat(f == 1));
        return p;
    }

    /**
     * Paho's received properties as clink's publish properties.
     *
     * @param properties Paho's properties, or null for none
     * @return the properties, empty when none
     */
    public static PublishProperties fromPaho(@Nullable MqttProperties properties) {
        PublishProperties.Builder b = PublishProperties.builder();
        if (properties == null) {
            return b.build();
        }
        properties.getUserProperties().forEach(u -> b.userProperty(u.getKey(), u.getValue()));
        if (properties.getMessageExpiryInterval() != null) {
            b.messageExpiryIntervalSeconds(properties.getMessageExpiryInterval());
        }
        if (properties.getContentType() != null) {
            b.contentType(properties.getContentType());
        }
        if (properties.getResponseTopic() != null) {
            b.responseTopic(properties.getResponseTopic());
        }
        if (properties.getCorrelationData() != null) {
            b.correlationData(properties.getCorrelationData());
        }
        if (properties.getPayloadFormat()) {
            b.payloadFormatIndicator(1);
        }
        return b.build();
    }
}
