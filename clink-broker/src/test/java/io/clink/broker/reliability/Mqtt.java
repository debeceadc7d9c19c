package io.clink.broker.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * A plain Paho MQTT 5 client for the reliability ITs: it counts every payload it receives (for at-least-once and
 * duplicate accounting) and can keep the messages of one topic prefix in a queue.
 */
final class Mqtt implements AutoCloseable {

    final MqttAsyncClient client;
    /** Copies received per payload. */
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final AtomicLong total = new AtomicLong();
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    /** Disconnects and errors the client saw, for failure messages. */
    final java.util.List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String queuePrefix;

    Mqtt(String uri, String id) throws MqttException {
        this(uri, id, "");
    }

    /** @param queuePrefix payloads starting with it also go to {@link #queue} (empty: all of them) */
    Mqtt(String uri, String id, String queuePrefix) throws MqttException {
        this(uri, id, queuePrefix, true);
    }

    /** @param countAll whether every payload is counted in {@link #counts}; off for floods that would fill the heap */
    Mqtt(String uri, String id, String queuePrefix, boolean countAll) throws MqttException {
        this.queuePrefix = queuePrefix;
        client = new MqttAsyncClient(uri, id, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                problems.add("disconnected: " + response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                problems.add("error: " + exception);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                total.incrementAndGet();
                byte[] raw = message.getPayload();
                byte[] prefix = Mqtt.this.queuePrefix.getBytes(StandardCharsets.UTF_8);
                boolean queued = raw.length >= prefix.length
                        && java.util.Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length);
                if (!countAll && !queued) {
                    return;
                }
                String p = new String(raw, StandardCharsets.UTF_8);
                if (countAll) {
                    counts.merge(p, 1, Integer::sum);
                }
                if (queued) {
                    queue.add(p);
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(1000);
        // Without TCP_NODELAY a 16 KiB publish waits on the peer's delayed ACK (about 40 ms on Linux) each time.
        o.setSocketFactory(new NoDelaySocketFactory());
        client.connect(o).waitForCompletion(LinkedPair.WAIT_MS);
    }

    Mqtt subscribe(String filter) throws MqttException {
        client.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(LinkedPair.WAIT_MS);
        return this;
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(LinkedPair.WAIT_MS);
    }

    /**
     * Publishes at QoS 1 and waits for the PUBACK.
     *
     * @return the PUBACK reason code (0 or 0x10 when accepted)
     */
    int publish(String topic, String payload) throws MqttException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    int publish(String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        IMqttToken t = null;
        for (int attempt = 0; t == null; attempt++) {
            try {
                t = client.publish(topic, m);
            } catch (MqttException e) {
                // Paho completes a publish's token before it lowers its in-flight count (paho.mqtt.java#551), so a
                // back-to-back publisher may be refused locally; the message never left, so trying again is exact.
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT || attempt >= 1_000) {
                    throw e;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        t.waitForCompletion(LinkedPair.WAIT_MS);
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** Plain sockets with TCP_NODELAY, as clink's own transport uses. */
    private static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket s = new java.net.Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                int localPort) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(address, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(LinkedPair.WAIT_MS);
            }
        } finally {
            client.close(true);
        }
    }
}
