package io.clink.artemis;

import io.clink.testkit.net.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An embedded Artemis on loopback for the tests: an ordinary MQTT acceptor ({@code mqtt}) and a link acceptor
 * ({@code link}) on free ports, no persistence, no security, and the adapter registered before the start.
 */
final class EmbeddedArtemis implements AutoCloseable {

    /*
     * Artemis's default sends no Topic Alias Maximum in CONNACK, which tells clients "no aliases", so Paho would never
     * use one and the contract suite's topic-alias checks would be skipped; granting some makes clients alias as they
     * do against brokers that grant them, and the adapter must resolve them.
     */
    private static final String ALIASES = "topicAliasMaximum=10";

    final int mqttPort;
    final int linkPort;
    final ActiveMQServer server;
    final ArtemisLocalBroker broker;

    EmbeddedArtemis() throws Exception {
        int[] ports = FreePorts.pick(2);
        mqttPort = ports[0];
        linkPort = ports[1];
        Path dir = Files.createTempDirectory("clink-artemis");
        Configuration cfg = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .addAcceptorConfiguration(
                        "mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT;allowLinkStealing=true;" + ALIASES)
                .addAcceptorConfiguration(
                        "link", "tcp://127.0.0.1:" + linkPort + "?protocols=MQTT;allowLinkStealing=true;" + ALIASES);
        // Without dead-letter and expiry addresses Artemis warns (AMQ222165/6) for every subscription queue.
        cfg.addAddressSetting(
                "#",
                new AddressSettings()
                        .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLA"))
                        .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue")));
        server = new ActiveMQServerImpl(cfg);
        broker = new ArtemisLocalBroker(server, Set.of("link"));
        server.start();
    }

    String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    String linkUri() {
        return "tcp://127.0.0.1:" + linkPort;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
