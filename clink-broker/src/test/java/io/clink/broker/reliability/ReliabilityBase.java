package io.clink.broker.reliability;

import io.clink.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;

/**
 * Opens a {@link LinkedPair} per test and closes it, and every client opened through {@link #client}, after;
 * {@link #roundTrip} is the delivery check the scenarios share.
 */
abstract class ReliabilityBase {

    LinkedPair pair;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = clients.size() - 1; i >= 0; i--) {
            try {
                clients.get(i).close();
            } catch (Exception e) {
                // Cleanup must not hide a test failure.
            }
        }
        if (pair != null) {
            pair.close();
        }
    }

    Mqtt client(LinkedPair.Side side, String id) throws MqttException {
        return track(new Mqtt(side.uri(), id));
    }

    Mqtt track(Mqtt c) {
        clients.add(c);
        return c;
    }

    /** Publishes every 500 ms until the subscriber has the payload (the forwarding pool may still be connecting). */
    static void roundTrip(Mqtt pub, String topic, String payload, Mqtt sub) throws Exception {
        Await.retrying(payload + " arrives", Duration.ofMillis(LinkedPair.WAIT_MS), Duration.ZERO, () -> {
            pub.publish(topic, payload);
            try {
                Await.until(payload + " arrives", Duration.ofMillis(500), () -> sub.counts.containsKey(payload));
                return Optional.of(payload);
            } catch (AssertionError notYet) {
                return Optional.empty();
            }
        });
    }
}
