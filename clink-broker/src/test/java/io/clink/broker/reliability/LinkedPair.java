package io.clink.broker.reliability;

import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.link.ActorState;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.broker.BrokerConfig;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.hivemq.EmbeddedExtensionMain;
import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.Await;
import io.clink.testkit.JumpingClock;
import io.clink.testkit.RecordingBroker;
import io.clink.testkit.net.FaultProxy;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Two embedded brokers, {@code cluster-a} and {@code cluster-b}, linked both ways with {@code topics = ["#"]}, each
 * link's {@code server} pointing at a {@link FaultProxy} in front of the other's link listener:
 *
 * <pre>
 *   A's actor + forwarding pool --> proxyToB --> B's link listener
 *   B's actor + forwarding pool --> proxyToA --> A's link listener
 * </pre>
 *
 * Each side's engine runs on its own {@link JumpingClock} and an in-memory incarnation store owned by this fixture,
 * so both survive a broker restart. Ports are fixed at construction, so a restarted broker comes back where the
 * proxies expect it.
 */
final class LinkedPair implements AutoCloseable {

    static final String A = "cluster-a";
    static final String B = "cluster-b";
    static final long WAIT_MS = 30_000;

    /** One side: its ports, clock, store and (while running) broker and engine. */
    final class Side {
        final String name;
        final String peer;
        final int mqttPort;
        final int linkPort;
        final JumpingClock clock = new JumpingClock();
        final RecordingIncarnationStore store = new RecordingIncarnationStore();
        String linkExtra = "";
        /** Payloads the engine handed to the broker for local delivery, with copies. */
        final Map<String, Integer> delivered = new ConcurrentHashMap<>();

        @Nullable
        EmbeddedClusterBroker broker;
        /** HiveMQ's metrics of the running broker, captured while its extension starts. */
        volatile com.codahale.metrics.@Nullable MetricRegistry hivemqMetrics;

        volatile @Nullable ClusterLink engine;

        Side(String name, String peer, int mqttPort, int linkPort) {
            this.name = name;
            this.peer = peer;
            this.mqttPort = mqttPort;
            this.linkPort = linkPort;
        }

        /** HiveMQ's own counters of dropped messages, by metric name (only those above zero). */
        Map<String, Long> brokerDrops() {
            Map<String, Long> out = new java.util.TreeMap<>();
            com.codahale.metrics.MetricRegistry r = hivemqMetrics;
            if (r != null) {
                r.getCounters().forEach((k, v) -> {
                    if (k.contains("dropped") && v.getCount() > 0) {
                        out.put(k, v.getCount());
                    }
                });
                r.getMeters().forEach((k, v) -> {
                    if (k.contains("dropped") && v.getCount() > 0) {
                        out.put(k, v.getCount());
                    }
                });
                r.getGauges().forEach((k, v) -> {
                    if ((k.contains("dropped") || k.contains("queue"))
                            && v.getValue() instanceof Number n
                            && n.longValue() > 0) {
                        out.put(k, n.longValue());
                    }
                });
            }
            return out;
        }

        String uri() {
            return "tcp://127.0.0.1:" + mqttPort;
        }

        ClusterLink engine() {
            ClusterLink e = engine;
            if (e == null) {
                throw new AssertionError(name + " is not running");
            }
            return e;
        }

        LinkMetrics metrics() {
            return engine().metrics(peer).orElseThrow();
        }

        LinkStatus status() {
            return engine().status(peer).orElseThrow();
        }

        /** The routes the peer replicated here, as filters. */
        Set<String> peerRoutes() {
            ClusterLink e = engine;
            return e == null
                    ? Set.of()
                    : e.remoteRoutes(peer).stream().map(RemoteRoute::filter).collect(Collectors.toSet());
        }

        boolean online() {
            ClusterLink e = engine;
            if (e == null) {
                return false;
            }
            LinkStatus s = e.status(peer).orElseThrow();
            return s.forwarding() == ForwardingStatus.CONNECTED
                    && s.actors().stream().allMatch(a -> a.state() == ActorState.ONLINE);
        }

        void start() {
            String hocon = """
                    management { enable = false }
                    cluster {
                      name = "%s"
                      links = [
                        { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = ["#"]
                          %s }
                      ]
                    }
                    listeners {
                      tcp.default { bind = "127.0.0.1:%d" }
                      tcp.clink { bind = "127.0.0.1:%d" }
                    }
                    """.formatted(name, peer, proxyTo(peer).port(), name, linkExtra, mqttPort, linkPort);
            BrokerConfig config;
            try {
                // The incarnations live in this side's own store; data_dir only has to be a writable place.
                config = BrokerConfig.from(
                                ClusterLinkConfigLoader.parseString(hocon, name),
                                name,
                                Path.of("").toAbsolutePath())
                        .withDataDir(Files.createTempDirectory("clink-pair-" + name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = EmbeddedClusterBroker.start(config, this::starter);
        }

        void stop() {
            EmbeddedClusterBroker b = broker;
            broker = null;
            if (b != null) {
                b.close();
            }
            engine = null;
        }

        private EmbeddedExtensionMain.EngineStarter starter(
                ClusterLinkConfig config, Path dataDirectory, Consumer<? super ClusterLink> started) {
            return (adapter, context) -> {
                // Services point at the broker whose extension is starting right now (this one).
                hivemqMetrics = com.hivemq.extension.sdk.api.services.Services.metricRegistry();
                PahoLinkTransport transport = new PahoLinkTransport();
                ClusterLink link = ClusterLink.builder()
                        .config(config)
                        .broker(RecordingBroker.wrapping(adapter)
                                .keepDeliveries(false)
                                .onDeliver(m -> delivered.merge(utf8(m.payload()), 1, Integer::sum)))
                        .transport(transport)
                        .nodeName("node-" + name)
                        .ticker(clock.ticker())
                        .scheduler(clock.scheduler())
                        .incarnationStore(store)
                        .build();
                link.start();
                engine = link;
                started.accept(link);
                return () -> {
                    try {
                        link.close();
                    } finally {
                        transport.close();
                    }
                };
            };
        }
    }

    final Side a;
    final Side b;
    final FaultProxy proxyToA;
    final FaultProxy proxyToB;

    LinkedPair() throws IOException {
        int[] p = FreePorts.pick(4);
        a = new Side(A, B, p[0], p[1]);
        b = new Side(B, A, p[2], p[3]);
        proxyToA = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.linkPort));
        proxyToB = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.linkPort));
    }

    FaultProxy proxyTo(String cluster) {
        return cluster.equals(A) ? proxyToA : proxyToB;
    }

    void startBoth() {
        a.start();
        b.start();
    }

    /** Both links' connections: cut now. */
    void cutAll() {
        proxyToA.cutAll();
        proxyToB.cutAll();
    }

    void refuse(boolean on) {
        proxyToA.refuseNewConnections(on);
        proxyToB.refuseNewConnections(on);
    }

    void heal() {
        proxyToA.heal();
        proxyToB.heal();
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(proxyToA, proxyToB, a::stop, b::stop, a.clock, b.clock)) {
            try {
                c.close();
            } catch (Exception e) {
                // Cleanup must not hide a test failure.
            }
        }
    }

    /** Both sides' route views, link status and metrics, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Side s : List.of(a, b)) {
            ClusterLink e = s.engine;
            sb.append(s.name).append(": ");
            if (e == null) {
                sb.append("not running; ");
                continue;
            }
            sb.append("routes of ")
                    .append(s.peer)
                    .append('=')
                    .append(s.peerRoutes())
                    .append(" status=")
                    .append(s.status())
                    .append(" metrics=")
                    .append(s.metrics())
                    .append("; ");
        }
        return sb.toString();
    }

    static boolean soak() {
        return Boolean.getBoolean("clink.soak");
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        await(what, timeoutMs, condition, null);
    }

    /** As {@link #await(String, long, BooleanSupplier)}; a timeout also describes {@code pair}'s state. */
    static void await(String what, long timeoutMs, BooleanSupplier condition, @Nullable LinkedPair current)
            throws InterruptedException {
        Await.until(what, Duration.ofMillis(timeoutMs), condition, () -> current == null ? "" : current.describe());
    }

    /** An in-memory incarnation store that outlives broker restarts and records every incarnation it issued. */
    static final class RecordingIncarnationStore implements IncarnationStore {
        private final Map<String, Long> last = new HashMap<>();
        private final List<Long> issued = new ArrayList<>();
        private boolean forgetful;

        @Override
        public synchronized OptionalLong load(String actorKey) {
            Long v = forgetful ? null : last.get(actorKey);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public synchronized void store(String actorKey, long incarnation) {
            last.put(actorKey, incarnation);
            issued.add(incarnation);
        }

        @Override
        public synchronized long next(String actorKey, long nowMillis) {
            return IncarnationStore.super.next(actorKey, nowMillis);
        }

        /** A store that loses its memory on the next load, as a fresh temporary data directory would. */
        synchronized void forget(boolean on) {
            forgetful = on;
        }

        synchronized List<Long> issued() {
            return List.copyOf(issued);
        }
    }

    private static String utf8(ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
