package io.clink.benchmarks;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.broker.BrokerConfig;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.hivemq.HiveMqEngineStarters;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Two clink-broker clusters on loopback, {@value #A} and {@value #B}, each an embedded HiveMQ CE with clink (as
 * {@code clink-broker} runs them), linked both ways with {@code topics = ["#"]}. A benchmark reads their routes and
 * switches links on and off through each broker's engine, {@link EmbeddedClusterBroker#link()}.
 *
 * <p>Not thread-safe: one benchmark state owns it, from a JMH setup method to the matching teardown.
 */
final class LinkedBrokers implements AutoCloseable {

    /** The cluster publishers connect to. */
    static final String A = "bench-a";
    /** The cluster whose subscribers receive forwarded messages. */
    static final String B = "bench-b";

    private final int[] ports = FreePorts.pick(4);
    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedClusterBroker brokerA;
    private EmbeddedClusterBroker brokerB;

    /**
     * Starts both brokers and waits until each link actor is online.
     *
     * @param bLinkEnabled whether B's link to A (B's routes replicated to A) starts enabled
     */
    LinkedBrokers(boolean bLinkEnabled) {
        try {
            brokerA = EmbeddedClusterBroker.start(
                    config(A, ports[0], ports[1], B, ports[3], true), HiveMqEngineStarters::starter);
            brokerB = EmbeddedClusterBroker.start(
                    config(B, ports[2], ports[3], A, ports[1], bLinkEnabled), HiveMqEngineStarters::starter);
            // B refuses A's actor while B's link to A is off, so A's actor is only waited for with both on.
            if (bLinkEnabled) {
                await("A's link actor to B online", () -> online(linkA(), B), 60_000);
                await("B's link actor to A online", () -> online(linkB(), A), 60_000);
                // A forwarding pool that started before the other broker listened is in its reconnect backoff.
                await("A's forwarding pool to B connected", () -> forwarding(linkA(), B), 60_000);
                await("B's forwarding pool to A connected", () -> forwarding(linkB(), A), 60_000);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** MQTT URI of cluster A's client listener. */
    String uriA() {
        return "tcp://127.0.0.1:" + brokerA.config().mqtt().port();
    }

    /** MQTT URI of cluster B's client listener. */
    String uriB() {
        return "tcp://127.0.0.1:" + brokerB.config().mqtt().port();
    }

    /** Cluster A's engine. */
    ClusterLink linkA() {
        return brokerA.link().orElseThrow();
    }

    /** Cluster B's engine. */
    ClusterLink linkB() {
        return brokerB.link().orElseThrow();
    }

    /** How many routes A holds from B: what A forwards to B. */
    long routesOfBOnA() {
        return linkA().metrics(B).orElseThrow().remoteRoutes();
    }

    /** Switches B's link to A on or off (B's route actor and forwarder stop or start with a new incarnation). */
    void setBLink(boolean enabled) {
        linkB().updateConfig(cluster(B, A, ports[1], enabled));
    }

    /**
     * Switches A's link to B on or off. Off drops every route B replicated to A and refuses B's actors until it is
     * on again.
     */
    void setALink(boolean enabled) {
        linkA().updateConfig(cluster(A, B, ports[3], enabled));
    }

    /** Whether the link actor of {@code link} on {@code engine} is online. */
    static boolean online(ClusterLink engine, String link) {
        return engine != null
                && engine.status(link)
                        .map(s -> !s.actors().isEmpty()
                                && s.actors().stream().allMatch(a -> a.state() == io.clink.api.link.ActorState.ONLINE))
                        .orElse(false);
    }

    /** Whether every forwarding connection of {@code link} on {@code engine} is connected. */
    static boolean forwarding(ClusterLink engine, String link) {
        return engine != null
                && engine.status(link)
                        .map(s -> s.forwarding() == io.clink.api.link.ForwardingStatus.CONNECTED)
                        .orElse(false);
    }

    /** Waits, polling every 1 ms, until the condition holds; fails after {@code timeoutMs}. */
    static void await(String what, BooleanSupplier condition, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Registers something to close before the brokers stop (clients). */
    /**
     * A test client of the broker at {@code uri}, closed with the brokers: no keepalive (a long trial must not be
     * cut by a missed PINGREQ while the machine is saturated), TCP_NODELAY as most MQTT clients use.
     */
    MqttTestClient client(String uri, String clientId) throws MqttException {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setKeepAliveInterval(0);
        return closeLater(MqttTestClient.connect(uri, clientId, o));
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // Closing must go on: the brokers below still need to stop.
            }
        }
        open.clear();
        if (brokerB != null) {
            brokerB.close();
        }
        if (brokerA != null) {
            brokerA.close();
        }
    }

    private static String clusterHocon(String name, String remote, int remoteLinkPort, boolean enabled) {
        return """
                cluster {
                  name = "%s"
                  links = [
                    { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = ["#"], enable = %b }
                  ]
                }
                """.formatted(name, remote, remoteLinkPort, name, enabled);
    }

    private static ClusterLinkConfig cluster(String name, String remote, int remoteLinkPort, boolean enabled) {
        return ClusterLinkConfigLoader.parse(
                clusterHocon(name, remote, remoteLinkPort, enabled),
                name,
                Path.of("").toAbsolutePath());
    }

    private static BrokerConfig config(
            String name, int mqttPort, int linkPort, String remote, int remoteLinkPort, boolean enabled) {
        String hocon = clusterHocon(name, remote, remoteLinkPort, enabled) + """
                management { enable = false }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  tcp.clink { bind = "127.0.0.1:%d" }
                }
                """.formatted(mqttPort, linkPort);
        Path data;
        try {
            // Fresh incarnation state per pair, kept out of the working directory.
            data = Files.createTempDirectory("clink-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BrokerConfig.from(
                        ClusterLinkConfigLoader.parseString(hocon, name),
                        name,
                        Path.of("").toAbsolutePath())
                .withDataDir(data);
    }
}
