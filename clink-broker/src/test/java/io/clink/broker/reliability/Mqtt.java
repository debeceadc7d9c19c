package io.clink.broker.reliability;

import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * testkit's {@link MqttTestClient} with the accounting the reliability ITs need: it counts every payload it receives
 * (for at-least-once and duplicate accounting) and can keep the payloads of one prefix in a queue.
 */
final class Mqtt implements AutoCloseable {

    final MqttTestClient client;
    /** Copies received per payload. */
    final Map<String, Integer> counts = new ConcurrentHashMap<>();

    final AtomicLong total = new AtomicLong();
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    Mqtt(String uri, String id) throws MqttException {
        this(uri, id, "");
    }

    /** @param queuePrefix payloads starting with it also go to {@link #queue} (empty: all of them) */
    Mqtt(String uri, String id, String queuePrefix) throws MqttException {
        this(uri, id, queuePrefix, true);
    }

    /** @param countAll whether every payload is counted in {@link #counts}; off for floods that would fill the heap */
    Mqtt(String uri, String id, String queuePrefix, boolean countAll) throws MqttException {
        byte[] prefix = queuePrefix.getBytes(StandardCharsets.UTF_8);
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setReceiveMaximum(1000);
        client = MqttTestClient.connect(uri, id, o, Duration.ofMillis(LinkedPair.WAIT_MS));
        client.onMessage(r -> {
            total.incrementAndGet();
            byte[] raw = r.message().getPayload();
            boolean queued =
                    raw.length >= prefix.length && Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length);
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
        });
    }

    /** Disconnects and errors the client saw, for failure messages. */
    List<String> problems() {
        return client.problems();
    }

    Mqtt subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1);
        return this;
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    /**
     * Publishes at QoS 1 and waits for the PUBACK.
     *
     * @return the PUBACK reason code (0 or 0x10 when accepted)
     */
    int publish(String topic, String payload) throws MqttException, InterruptedException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    int publish(String topic, byte[] payload) throws MqttException, InterruptedException {
        return client.publish(topic, payload, 1, null);
    }

    @Override
    public void close() throws MqttException {
        client.close();
    }
}
