package io.clink.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * One embedded HiveMQ CE for tests: loopback only, in-memory persistence, usage statistics off, a default listener
 * and a link listener named {@code clink} on free ports, and clink's extension with the given engine starter.
 */
final class EmbeddedHiveMq implements AutoCloseable {

    /** Stands in for the engine: attaches {@code hooks} when the extension starts and detaches them at stop. */
    static EmbeddedExtensionMain.EngineStarter attaching(ClusterLinkHooks hooks) {
        return (broker, context) -> {
            broker.attach(hooks);
            return broker::detach;
        };
    }

    static final String LINK_LISTENER = "clink";

    final int mqttPort;
    final int linkPort;
    final EmbeddedExtensionMain extension;
    private final EmbeddedHiveMQ hivemq;

    EmbeddedHiveMq(Path dir, EmbeddedExtensionMain.EngineStarter starter) throws Exception {
        this(dir, FreePorts.pick(2), starter, List.of());
    }

    EmbeddedHiveMq(Path dir, int mqttPort, int linkPort, EmbeddedExtensionMain.EngineStarter starter) throws Exception {
        this(dir, mqttPort, linkPort, starter, null, List.of());
    }

    EmbeddedHiveMq(Path dir, List<LinkAuthenticator.LinkUser> users, EmbeddedExtensionMain.EngineStarter starter)
            throws Exception {
        this(dir, FreePorts.pick(2), starter, users);
    }

    // Both ports from one pick, so they differ from each other.
    private EmbeddedHiveMq(
            Path dir, int[] ports, EmbeddedExtensionMain.EngineStarter starter, List<LinkAuthenticator.LinkUser> users)
            throws Exception {
        this(dir, ports[0], ports[1], starter, null, users);
    }

    EmbeddedHiveMq(
            Path dir, int mqttPort, int linkPort, EmbeddedExtensionMain.EngineStarter starter, @Nullable Path dropIn)
            throws Exception {
        this(dir, mqttPort, linkPort, starter, dropIn, List.of());
    }

    /**
     * With {@code dropIn}, no embedded extension: the folder's contents (an unpacked distribution) are copied to the
     * broker's extensions folder, as a user installs the extension.
     */
    private EmbeddedHiveMq(
            Path dir,
            int mqttPort,
            int linkPort,
            EmbeddedExtensionMain.EngineStarter starter,
            @Nullable Path dropIn,
            List<LinkAuthenticator.LinkUser> users)
            throws Exception {
        this.mqttPort = mqttPort;
        this.linkPort = linkPort;
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address><name>default</name></tcp-listener>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address><name>%s</name></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(mqttPort, linkPort, LINK_LISTENER));
        extension = new EmbeddedExtensionMain(LINK_LISTENER, starter, users);
        var builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions);
        if (dropIn == null) {
            builder.withEmbeddedExtension(EmbeddedExtension.builder()
                    .withId("clink-test")
                    .withName("clink-test")
                    .withVersion("test")
                    .withPriority(0)
                    .withStartPriority(1000)
                    .withExtensionMain(extension)
                    .build());
        } else {
            copyTree(dropIn, extensions.resolve(dropIn.getFileName().toString()));
        }
        hivemq = builder.build();
        hivemq.start().get(60, TimeUnit.SECONDS);
    }

    HiveMqLocalBroker broker() {
        return extension.broker().orElseThrow();
    }

    /** HiveMQ's metric registry, where the drop-in extension registers the link meters. */
    com.codahale.metrics.MetricRegistry metricRegistry() {
        return hivemq.getMetricRegistry();
    }

    String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    String linkUri() {
        return "tcp://127.0.0.1:" + linkPort;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Connects a test client with clean start and session expiry 0, so its subscriptions end with it. */
    static MqttTestClient connect(String uri, String clientId) throws MqttException {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSessionExpiryInterval(0L);
        return MqttTestClient.connect(uri, clientId, o);
    }

    @Override
    public void close() throws Exception {
        hivemq.stop().get(60, TimeUnit.SECONDS);
        hivemq.close();
    }
}
