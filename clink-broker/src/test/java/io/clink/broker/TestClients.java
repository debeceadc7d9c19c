package io.clink.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

/** Plain Paho MQTT 5 test clients and free ports, shared by the clink-broker integration tests. */
final class TestClients {

    /** How long a client operation may take. */
    static final long WAIT_MS = 30_000;

    private TestClients() {}

    static Demo.Ports freePorts() throws IOException {
        int[] p = new int[4];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                p[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return new Demo.Ports(p[0], p[1], p[2], p[3]);
    }

    /** A message a test client received, properties included. */
    record Received(String topic, MqttMessage message) {
        String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        int qos() {
            return message.getQos();
        }
    }

    /** A plain Paho MQTT 5 client that keeps every message it receives, properties included. */
    static final class Client implements AutoCloseable {
        final MqttAsyncClient client;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Client(String uri, String id) throws MqttException {
            this(uri, id, new MqttConnectionOptions());
        }

        /** Connects with the given options (TLS socket factory, user name...); clean start is always set. */
        Client(String uri, String id, MqttConnectionOptions o) throws MqttException {
            client = new MqttAsyncClient(uri, id, new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {}

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, message));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            o.setCleanStart(true);
            try {
                client.connect(o).waitForCompletion(WAIT_MS);
            } catch (MqttException e) {
                client.close(true);
                throw e;
            }
        }

        void subscribe(String filter, int qos) throws MqttException {
            client.subscribe(new MqttSubscription(filter, qos)).waitForCompletion(WAIT_MS);
        }

        void publish(String topic, String payload, int qos) throws MqttException {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            client.publish(topic, m).waitForCompletion(WAIT_MS);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
            client.close(true);
        }
    }
}
