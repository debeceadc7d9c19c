package io.clink.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain Paho MQTT 5 client for the end-to-end benchmarks: clean start, in-memory persistence, received messages
 * handed to one callback on Paho's callback thread.
 *
 * <p>QoS 1 publishes are limited to the server's Receive Maximum (HiveMQ's default is 10) by a semaphore released
 * when the PUBACK arrives, because Paho refuses a publish beyond it instead of waiting.
 */
final class BenchClient implements AutoCloseable {

    /** How long a connect, subscribe or unsubscribe may take. */
    static final long WAIT_MS = 30_000;

    private final MqttAsyncClient client;
    private final Semaphore pubacks;
    private final MqttActionListener releaseOnAck;
    private volatile BiConsumer<String, MqttMessage> onMessage = (t, m) -> { };

    BenchClient(String uri, String clientId) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
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
        o.setKeepAliveInterval(0);
        // As most MQTT clients do (mosquitto, the link's own connections): no Nagle delay on small packets.
        o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        IMqttToken connect = client.connect(o);
        connect.waitForCompletion(WAIT_MS);
        Integer receiveMaximum = connect.getResponseProperties() == null ? null
                : connect.getResponseProperties().getReceiveMaximum();
        pubacks = new Semaphore(receiveMaximum == null ? 10 : Math.min(receiveMaximum, 10));
        releaseOnAck = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                pubacks.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                pubacks.release();
            }
        };
    }

    /** Where received messages go (topic, message), on Paho's callback thread; replaces the previous one. */
    void onMessage(BiConsumer<String, MqttMessage> handler) {
        onMessage = Objects.requireNonNull(handler, "handler");
    }

    /** Subscribes and waits for the SUBACK. */
    void subscribe(String filter, int qos) throws MqttException {
        client.subscribe(new MqttSubscription(filter, qos)).waitForCompletion(WAIT_MS);
    }

    /** Sends a SUBSCRIBE without waiting for the SUBACK. */
    void subscribeAsync(String filter, int qos) throws MqttException {
        client.subscribe(new MqttSubscription(filter, qos));
    }

    /** Subscribes to many filters in one SUBSCRIBE and waits for the SUBACK. */
    void subscribe(String[] filters, int qos) throws MqttException {
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], qos);
        }
        client.subscribe(subs).waitForCompletion(WAIT_MS);
    }

    /** Unsubscribes and waits for the UNSUBACK. */
    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(WAIT_MS);
    }

    /**
     * Publishes at QoS 1 without waiting for the PUBACK, first waiting for a free slot of the server's Receive
     * Maximum.
     */
    void publishQos1(String topic, byte[] payload) throws MqttException, InterruptedException {
        if (!pubacks.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no PUBACK from the broker for " + WAIT_MS + " ms");
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        try {
            publishRetryingWhileFull(() -> client.publish(topic, m, null, releaseOnAck));
        } catch (MqttException | RuntimeException e) {
            pubacks.release();
            throw e;
        }
    }

    /** A publish call. */
    private interface PublishCall {
        IMqttToken publish() throws MqttException;
    }

    /**
     * Paho completes a QoS 1 token before it lowers its in-flight count, so a publish right after a PUBACK can be
     * refused as "too many publishes in progress" although the semaphore had a free slot; it is retried.
     */
    private static IMqttToken publishRetryingWhileFull(PublishCall call) throws MqttException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            try {
                return call.publish();
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Publishes at QoS 1 and waits for the PUBACK. */
    void publishAndWait(String topic, byte[] payload) throws MqttException, InterruptedException {
        if (!pubacks.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no PUBACK from the broker for " + WAIT_MS + " ms");
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        try {
            publishRetryingWhileFull(() -> client.publish(topic, m)).waitForCompletion(WAIT_MS);
        } finally {
            pubacks.release();
        }
    }

    /** Plain TCP sockets with {@code TCP_NODELAY}; Paho creates an unconnected socket and connects it itself. */
    private static final class NoDelaySocketFactory extends SocketFactory {
        static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localHost, localPort));
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(address, port));
            return s;
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
        } finally {
            client.close(true);
        }
    }
}
