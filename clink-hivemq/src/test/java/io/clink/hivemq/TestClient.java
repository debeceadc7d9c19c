package io.clink.hivemq;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client for tests: records what it receives and how the server disconnected it. */
final class TestClient implements AutoCloseable {

    record Received(String topic, MqttMessage message) {
        String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    static final long TIMEOUT_MS = 10_000;

    final MqttAsyncClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

    private TestClient(MqttAsyncClient client) {
        this.client = client;
    }

    static TestClient connect(String uri, String clientId) throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        return connect(uri, clientId, o);
    }

    static TestClient connect(String uri, String clientId, MqttConnectionOptions options) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        TestClient t = new TestClient(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                t.disconnects.add(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                t.received.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        c.connect(options).waitForCompletion(TIMEOUT_MS);
        return t;
    }

    /** Subscribes and returns the SUBACK reason codes. */
    int[] subscribe(String filter, int qos) throws MqttException {
        IMqttToken t = client.subscribe(new MqttSubscription(filter, qos));
        t.waitForCompletion(TIMEOUT_MS);
        return t.getReasonCodes();
    }

    int[] unsubscribe(String filter) throws MqttException {
        IMqttToken t = client.unsubscribe(filter);
        t.waitForCompletion(TIMEOUT_MS);
        return t.getReasonCodes();
    }

    /** Publishes and returns the PUBACK reason code (QoS 1), or the failure's reason code. */
    int publish(String topic, String payload, int qos) throws MqttException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, new MqttProperties());
    }

    int publish(String topic, byte[] payload, int qos, MqttProperties properties) throws MqttException {
        return publish(topic, payload, qos, false, properties);
    }

    int publish(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retain);
        m.setProperties(properties);
        IMqttToken t = client.publish(topic, m);
        try {
            t.waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    Received awaitMessage() throws InterruptedException {
        Received r = received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + TIMEOUT_MS + " ms");
        }
        return r;
    }

    MqttDisconnectResponse awaitServerDisconnect() throws InterruptedException {
        MqttDisconnectResponse r = disconnects.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("not disconnected within " + TIMEOUT_MS + " ms");
        }
        return r;
    }

    void disconnect() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(TIMEOUT_MS);
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            disconnect();
        } catch (MqttException e) {
            // already gone
        }
        client.close(true);
    }
}
