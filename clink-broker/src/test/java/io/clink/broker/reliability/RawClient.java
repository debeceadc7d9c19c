package io.clink.broker.reliability;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * A plain Paho MQTT 5 client that plays a peer of the link listener (or an ordinary client), and records what the
 * broker answered: CONNACK, PUBACK and SUBACK reason codes and the reason code of a server DISCONNECT.
 */
final class RawClient implements AutoCloseable {

    /** No DISCONNECT from the server (yet). */
    static final int NONE = -1;

    final MqttAsyncClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> serverDisconnect = new CompletableFuture<>();

    /** A message the client received. */
    record Received(String topic, MqttMessage message) {}

    private RawClient(String uri, String clientId) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                // Paho reports a server DISCONNECT with its reason code, a lost socket with its own exception.
                MqttException e = response.getException();
                serverDisconnect.complete(e != null && e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2
                        ? e.getReasonCode() : response.getReturnCode());
            }

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
    }

    /**
     * Connects with clean start and session expiry 0.
     *
     * @return the connected client
     * @throws MqttException with the CONNACK reason code if the broker refused
     */
    static RawClient connect(String uri, String clientId, String username, byte[] password, long waitMs)
            throws MqttException {
        RawClient c = new RawClient(uri, clientId);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, waitMs / 1000));
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password);
        }
        try {
            c.client.connect(o).waitForCompletion(waitMs);
        } catch (MqttException e) {
            c.closeQuietly();
            throw e;
        }
        return c;
    }

    /**
     * Publishes at QoS 1 and returns the PUBACK reason code, or the reason the publish failed with (a DISCONNECT
     * before the PUBACK fails it).
     */
    int publish(String topic, byte[] payload, MqttProperties properties, long waitMs) {
        return publish(topic, payload, 1, properties, waitMs);
    }

    /**
     * Publishes at the given QoS and returns the acknowledgement's reason code (PUBACK; for QoS 2 the PUBREC's, or
     * the PUBCOMP's when the PUBREC succeeded), or the reason the publish failed with.
     */
    int publish(String topic, byte[] payload, int qos, MqttProperties properties, long waitMs) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        if (properties != null) {
            m.setProperties(properties);
        }
        try {
            IMqttToken t = client.publish(topic, m);
            t.waitForCompletion(waitMs);
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Subscribes at QoS 1 and returns the SUBACK reason code (or why the subscribe failed). */
    int subscribe(String filter, long waitMs) {
        try {
            IMqttToken t = client.subscribe(new MqttSubscription(filter, 1));
            t.waitForCompletion(waitMs);
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** The reason code of the server's DISCONNECT, waiting at most {@code waitMs}; {@link #NONE} if none came. */
    int awaitServerDisconnect(long waitMs) throws InterruptedException {
        try {
            return serverDisconnect.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return NONE;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    boolean isConnected() {
        return client.isConnected();
    }

    void closeQuietly() {
        try {
            close();
        } catch (MqttException e) {
            // The attack already failed or the broker already closed the socket; nothing to keep.
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(5_000);
            }
        } finally {
            client.close(true);
        }
    }
}
