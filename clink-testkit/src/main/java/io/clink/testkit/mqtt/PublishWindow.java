package io.clink.testkit.mqtt;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: Paho refuses a QoS 1 or 2 publish beyond the server's Receive Maximum instead of waiting, and
 * refuses one for a moment after a PUBACK; a test wants to publish and have it wait. This class holds publishes to
 * the granted window and retries the moment's refusal, so MqttTestClient's publish methods only choose what to wait
 * for.
 */
final class PublishWindow {

    /** The most QoS 1 and 2 publishes in flight, whatever the server grants. */
    static final int MAX_IN_FLIGHT = 10;

    private final MqttAsyncClient client;
    private final Duration timeout;
    // Replaced once at connect, when the server's Receive Maximum is known.
    private volatile Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    PublishWindow(MqttAsyncClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** Sizes the window from the CONNACK's Receive Maximum (null when the server sent none). */
    void granted(@Nullable Integer receiveMaximum) {
        inFlight = new Semaphore(
                receiveMaximum == null ? MAX_IN_FLIGHT : Math.max(1, Math.min(receiveMaximum, MAX_IN_FLIGHT)));
    }

    /** Publishes and waits for the acknowledgement (QoS 1, 2) or the send (QoS 0); returns the reason code. */
    int publishAndWait(String topic, MqttMessage m) throws MqttException, InterruptedException {
        if (m.getQos() == 0) {
            IMqttToken t = publishRetryingWhileFull(topic, m, null);
            t.waitForCompletion(timeout.toMillis());
            return 0;
        }
        acquireSlot();
        try {
            IMqttToken t = publishRetryingWhileFull(topic, m, null);
            t.waitForCompletion(timeout.toMillis());
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } finally {
            inFlight.release();
        }
    }

    /** Publishes once a slot is free, without waiting for the acknowledgement; the slot frees when it comes. */
    void publishAsync(String topic, MqttMessage m) throws MqttException, InterruptedException {
        if (m.getQos() == 0) {
            publishRetryingWhileFull(topic, m, null);
            return;
        }
        acquireSlot();
        try {
            publishRetryingWhileFull(topic, m, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inFlight.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    inFlight.release();
                }
            });
        } catch (MqttException | RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    static MqttMessage message(byte[] payload, int qos, @Nullable MqttProperties properties) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        if (properties != null) {
            m.setProperties(properties);
        }
        return m;
    }

    private void acquireSlot() throws InterruptedException {
        if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(client.getClientId() + ": no PUBACK from the broker for "
                    + timeout.toMillis() + " ms (all in-flight slots taken)");
        }
    }

    /*
     * Paho completes a QoS 1 token before it lowers its in-flight count (paho.mqtt.java#551), so a publish right
     * after a PUBACK can be refused as "too many publishes in progress" although the semaphore had a slot; the
     * message never left, so trying again is exact.
     */
    private IMqttToken publishRetryingWhileFull(String topic, MqttMessage m, @Nullable MqttActionListener listener)
            throws MqttException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return listener == null ? client.publish(topic, m) : client.publish(topic, m, null, listener);
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }
}
