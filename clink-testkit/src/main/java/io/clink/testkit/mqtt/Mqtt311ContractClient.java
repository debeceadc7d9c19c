package io.clink.testkit.mqtt;

import io.clink.api.broker.PublishProperties;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The {@link LocalBrokerHarness.TestClient} of the contract suite for an MQTT 3.1.1 client (Eclipse Paho's MQTT 3
 * client underneath, clean session, in-memory persistence, no automatic reconnect), so that a broker author's
 * harness needs no MQTT 3.1.1 code of its own:
 *
 * <pre>{@code
 * @Override public TestClient connectMqtt311Client(String clientId) throws Exception {
 *     return Mqtt311ContractClient.connect("tcp://127.0.0.1:" + server.mqttPort(), clientId, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>MQTT 3.1.1 has no properties, no PUBACK reason codes and no topic aliases: {@link #publish} refuses properties
 * and returns 0 once the PUBACK (QoS 1) or PUBCOMP (QoS 2) came; a refused publish (the broker closes the
 * connection) throws. Thread: any; every blocking call waits at most the timeout given at connect.
 *
 * @since 0.1.0
 */
public final class Mqtt311ContractClient implements LocalBrokerHarness.TestClient {

    private final MqttClient client;
    private final long timeoutMillis;
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();

    private Mqtt311ContractClient(MqttClient client, Duration timeout) {
        this.client = client;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Connects with MQTT 3.1.1 and clean session. Thread: any; blocks until the CONNACK or the timeout.
     *
     * @param serverUri the broker's URI, for example {@code tcp://127.0.0.1:1883}
     * @param clientId the client identifier, not empty
     * @param timeout how long each blocking call may wait, at least one second
     * @return the connected client
     * @throws MqttException if the broker refused or did not answer in time
     * @throws IllegalArgumentException if {@code clientId} is empty or {@code timeout} is under a second
     */
    public static Mqtt311ContractClient connect(String serverUri, String clientId, Duration timeout)
            throws MqttException {
        Objects.requireNonNull(serverUri, "serverUri");
        if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty (connecting to " + serverUri + ")");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least one second: " + timeout);
        }
        MqttClient paho = new MqttClient(serverUri, clientId, new MemoryPersistence());
        paho.setTimeToWait(timeout.toMillis());
        Mqtt311ContractClient c = new Mqtt311ContractClient(paho, timeout);
        paho.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // isConnected() tells the suite; nothing to keep.
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                c.received.add(new ReceivedMessage(
                        topic, message.getPayload(), message.getQos(), message.isRetained(), PublishProperties.EMPTY));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                // publish() waits for its own token.
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        try {
            paho.connect(o);
        } catch (MqttException e) {
            paho.close(true);
            throw e;
        }
        return c;
    }

    @Override
    public String clientId() {
        return client.getClientId();
    }

    /**
     * {@inheritDoc}
     *
     * @return the granted QoS, or 0x80 for a refusal
     */
    @Override
    public int subscribe(String subscription, int qos) throws Exception {
        IMqttToken t = client.subscribeWithResponse(new String[] {subscription}, new int[] {qos});
        t.waitForCompletion(timeoutMillis);
        int[] granted = t.getGrantedQos();
        return granted == null || granted.length == 0 ? 0x80 : granted[0];
    }

    @Override
    public void unsubscribe(String subscription) throws Exception {
        client.unsubscribe(subscription);
    }

    /**
     * {@inheritDoc}
     *
     * @return 0 once acknowledged (MQTT 3.1.1 has no reason codes)
     * @throws IllegalArgumentException if {@code properties} is not empty
     */
    @Override
    public int publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties)
            throws Exception {
        if (!properties.isEmpty()) {
            throw new IllegalArgumentException("MQTT 3.1.1 has no publish properties: " + properties);
        }
        MqttMessage m = new MqttMessage(payload.clone());
        m.setQos(qos);
        m.setRetained(retain);
        client.publish(topic, m);
        return 0;
    }

    @Override
    public int topicAliasMaximum() {
        return 0;
    }

    /**
     * Not available: MQTT 3.1.1 has no topic aliases.
     *
     * @throws IllegalStateException always
     */
    @Override
    public int publishWithTopicAlias(String topic, byte[] payload) {
        throw new IllegalStateException("MQTT 3.1.1 has no topic aliases (client " + clientId() + ")");
    }

    @Override
    public List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Disconnects if connected and releases the client. */
    @Override
    public void disconnect() throws Exception {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
        } finally {
            client.close(true);
        }
    }

    /** As {@link #disconnect()}, ignoring a failure (the broker may already have closed the socket). */
    public void closeQuietly() {
        try {
            disconnect();
        } catch (Exception e) {
            // Already gone: nothing left to release.
        }
    }

    @Override
    public String toString() {
        return "Mqtt311ContractClient{" + client.getClientId() + " -> " + client.getServerURI() + '}';
    }
}
