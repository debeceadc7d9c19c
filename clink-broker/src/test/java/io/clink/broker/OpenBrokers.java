package io.clink.broker;

import io.clink.testkit.mqtt.MqttTestClient;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The brokers and clients one test opens, closed in reverse order of opening (clients before the broker they talk
 * to). A test holds one in an instance field annotated {@code @AutoClose}, so every test starts with none open.
 *
 * <p>Not thread-safe: used from the test thread only.
 */
final class OpenBrokers implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Starts a broker running clink as {@code clink-broker} does, and closes it with the others. */
    EmbeddedClusterBroker start(BrokerConfig config) {
        return closeLater(EmbeddedClusterBroker.start(config));
    }

    /** An MQTT 5 test client of {@code broker}'s default listener, closed with the others. */
    MqttTestClient client(EmbeddedClusterBroker broker, String clientId) throws MqttException {
        return closeLater(
                MqttTestClient.connect("127.0.0.1", broker.config().mqtt().port(), clientId));
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        open.add(resource);
        return resource;
    }

    /** Closes {@code resource} now (a broker stopped to be restarted, say) and forgets it. */
    void close(AutoCloseable resource) throws Exception {
        open.remove(resource);
        resource.close();
    }

    /**
     * Closes everything, newest first, and fails with the first failure (later ones suppressed) once all were tried:
     * a resource that does not close is a finding, but it must not leave the others open.
     */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
