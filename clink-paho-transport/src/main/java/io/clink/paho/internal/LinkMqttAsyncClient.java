package io.clink.paho.internal;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A Paho client that connects through one given {@link LinkNetworkModule} instead of the modules Paho picks from
 * the URI scheme. One instance serves exactly one connect attempt.
 */
final class LinkMqttAsyncClient extends MqttAsyncClient {

    private final NetworkModule module;

    LinkMqttAsyncClient(String host, int port, String clientId, NetworkModule module) throws MqttException {
        // Paho validates the URI; the module, not the URI, decides how to connect.
        super(
                "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port,
                clientId,
                new MemoryPersistence(),
                null,
                null);
        this.module = module;
    }

    @Override
    protected NetworkModule[] createNetworkModules(String address, MqttConnectionOptions options) {
        return new NetworkModule[] {module};
    }
}
