package io.clink.broker.reliability;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;

/** Opens a {@link LinkedPair} per test and closes it, and every client opened through {@link #client}, after. */
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
}
