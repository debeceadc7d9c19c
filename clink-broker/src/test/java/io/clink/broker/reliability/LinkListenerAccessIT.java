package io.clink.broker.reliability;

import static io.clink.broker.reliability.GuardedClusters.AP;
import static io.clink.broker.reliability.GuardedClusters.AP_PASSWORD;
import static io.clink.broker.reliability.GuardedClusters.AP_USER;
import static io.clink.broker.reliability.GuardedClusters.EU;
import static io.clink.broker.reliability.GuardedClusters.EU_PASSWORD;
import static io.clink.broker.reliability.GuardedClusters.EU_USER;
import static io.clink.broker.reliability.GuardedClusters.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.RemoteRoute;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, scenario 7: clients without the right credentials. With {@code authentication} configured on the link
 * listener, a client without a known user and password is refused at CONNECT; {@code $LINK/...} is refused for
 * publish and subscribe on the default listener, whatever credentials the client presents; and a link user may not
 * publish to another cluster's {@code $LINK/cluster/<kind>/<cluster>} topics (DISCONNECT 0x87, nothing reaches the
 * engine). Throughout, the legitimate link with {@code cluster-eu-west} keeps its routes and carries messages.
 *
 * <p>Short form: {@value #SHORT_REFUSED} refused CONNECTs; {@code -Psoak}: {@value #SOAK_REFUSED}.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class LinkListenerAccessIT {

    static final int SHORT_REFUSED = 1_000;
    static final int SOAK_REFUSED = 10_000;
    static final int WARMUP_REFUSED = 200;
    static final long WAIT_MS = 10_000;
    static final int WORKERS = 8;

    private static final boolean SOAK = Boolean.getBoolean("clink.soak");

    private static GuardedClusters clusters;
    private static MqttTestClient usSub;
    private static MqttTestClient usPub;
    private static MqttTestClient euSub;
    private static Set<RemoteRoute> euRoutes;

    @BeforeAll
    static void start() throws Exception {
        clusters = GuardedClusters.start();
        usSub = GuardedClusters.connect(clusters.usMqttUri(), "us-sub", null, null);
        usPub = GuardedClusters.connect(clusters.usMqttUri(), "us-pub", null, null);
        euSub = GuardedClusters.connect(clusters.euMqttUri(), "eu-sub", null, null);
        assertThat(usSub.trySubscribe("#", 1)).isEqualTo(1);
        assertThat(euSub.trySubscribe("linked/#", 1)).isEqualTo(1);
        await(
                "us-east learns eu-west's route linked/#",
                () -> clusters.usLink.remoteRoutes(EU).stream()
                        .anyMatch(r -> r.filter().equals("linked/#")));
        euRoutes = Set.copyOf(clusters.usLink.remoteRoutes(EU));
    }

    @AfterAll
    static void stop() {
        for (MqttTestClient c : new MqttTestClient[] {usSub, usPub, euSub}) {
            if (c != null) {
                c.closeQuietly();
            }
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void linkListener_missingOrWrongCredentials_refusedAtConnectAndHeapReturns() throws Exception {
        int count = Integer.getInteger("clink.refused.connections", SOAK ? SOAK_REFUSED : SHORT_REFUSED);
        Map<String, Integer> seen = new TreeMap<>();
        refuse(WARMUP_REFUSED, seen);
        long before = Heap.usedAfterGc();
        long t0 = System.nanoTime();
        refuse(count, seen);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long after = Heap.usedAfterGc();

        String figures = String.format(
                "scenario 7 (%s): %d warm-up + %d refused CONNECTs in %d ms, CONNACK codes %s; "
                        + "heap after GC %.1f MiB before, %.1f MiB after (%+.1f%%)",
                SOAK ? "soak" : "short",
                WARMUP_REFUSED,
                count,
                ms,
                seen,
                before / 1048576.0,
                after / 1048576.0,
                100.0 * (after - before) / before);
        System.out.println(figures);
        assertThat(seen.keySet()).as(figures).containsOnly("0x86");
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(WARMUP_REFUSED + count);
        assertLinkIntact("after refused CONNECTs");
        assertThat(after).as(figures).isLessThanOrEqualTo(before + before / 10);
    }

    @Test
    void defaultListener_linkTopics_refusedForPublishAndSubscribeWhateverTheCredentials() throws Exception {
        for (boolean withLinkCredentials : new boolean[] {false, true}) {
            try (MqttTestClient c = GuardedClusters.connect(
                    clusters.usMqttUri(),
                    "plain-" + withLinkCredentials,
                    withLinkCredentials ? EU_USER : null,
                    withLinkCredentials ? EU_PASSWORD : null)) {
                for (String topic : List.of(
                        "$LINK/cluster/route/" + EU,
                        "$LINK/cluster/msg/" + EU,
                        "$LINK/cluster/resp/" + EU + "/actor",
                        "$LINK/anything")) {
                    byte[] payload = topic.contains("/msg/")
                            ? HostilePayloads.message("linked/forged", new byte[] {1})
                            : HostilePayloads.actorInit("intruder", 1, US);
                    assertThat(c.tryPublish(topic, payload, 1, handshakeProperties()))
                            .as("PUBACK for %s (link credentials: %s)", topic, withLinkCredentials)
                            .isEqualTo(0x87);
                }
                for (String filter : List.of(
                        "$LINK/#",
                        "$LINK/cluster/route/+",
                        "$LINK/cluster/msg/" + EU,
                        "$LINK/cluster/resp/" + EU + "/#")) {
                    assertThat(c.trySubscribe(filter, 1))
                            .as("SUBACK for %s (link credentials: %s)", filter, withLinkCredentials)
                            .isEqualTo(0x87);
                }
                assertThat(c.isConnected())
                        .as("an ordinary client is refused, not thrown out")
                        .isTrue();
            }
        }
        assertLinkIntact("after $LINK publishes on the default listener");
        assertThat(usSub.received())
                .as("what a '#' subscriber on us-east saw")
                .noneMatch(r -> r.topic().startsWith("$") || r.topic().equals("linked/forged"));
    }

    @Test
    void linkUser_anotherClustersLinkTopics_refusedWithDisconnect0x87() throws Exception {
        for (String topic : List.of(
                "$LINK/cluster/route/" + EU,
                "$LINK/cluster/msg/" + EU,
                "$LINK/cluster/route/" + US,
                "$LINK/cluster/msg/cluster-unknown")) {
            try (MqttTestClient c =
                    GuardedClusters.connect(clusters.usLinkUri(), "ap-impostor", AP_USER, AP_PASSWORD)) {
                byte[] payload = topic.contains("/msg/")
                        ? HostilePayloads.message("linked/forged", new byte[] {1})
                        : HostilePayloads.routeAdd("clink@eu", 1, "stolen/#");
                if (topic.contains("/route/")) {
                    // A well-formed handshake first, so a missing DISCONNECT could not hide behind a decode error.
                    payload = HostilePayloads.actorInit("clink@eu", Long.MAX_VALUE / 2, US);
                }
                int ack = c.tryPublish(topic, payload, 1, handshakeProperties());

                assertThat(c.awaitServerDisconnect())
                        .as("DISCONNECT after publishing to %s", topic)
                        .isEqualTo(0x87);
                // The DISCONNECT may overtake the PUBACK; Paho then fails the publish with its own code (>= 32000).
                assertThat(ack)
                        .as("PUBACK (or failure) of the publish to %s", topic)
                        .satisfiesAnyOf(
                                a -> assertThat(a).isEqualTo(0x87),
                                a -> assertThat(a).isGreaterThan(32_000));
            }
        }
        try (MqttTestClient c = GuardedClusters.connect(clusters.usLinkUri(), "ap-snoop", AP_USER, AP_PASSWORD)) {
            assertThat(c.trySubscribe("$LINK/cluster/resp/" + EU + "/#", 1))
                    .as("SUBACK for eu-west's answers")
                    .isEqualTo(0x87);
        }
        assertLinkIntact("after a wrong-cluster credential tried eu-west's topics");
        assertThat(clusters.usLink.remoteRoutes(AP)).isEmpty();
        assertThat(usSub.received()).noneMatch(r -> r.topic().equals("linked/forged"));
    }

    // ---- helpers ----

    /** {@code count} CONNECTs on the link listener without valid credentials, four kinds in turn, on 8 threads. */
    private static void refuse(int count, Map<String, Integer> seen) throws Exception {
        java.util.concurrent.ConcurrentMap<String, Integer> codes = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(WORKERS);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                done.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        codes.merge(refusedConnect(i), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            long limitMinutes = SOAK ? 45 : 8;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(limitMinutes);
            while (done.stream().anyMatch(f -> !f.isDone())) {
                assertThat(System.nanoTime())
                        .as("refused CONNECTs still running after %d minutes", limitMinutes)
                        .isLessThan(deadline);
                assertLinkIntact("during refused CONNECTs (" + next.get() + ")");
                Thread.sleep(500);
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        codes.forEach((code, n) -> seen.merge(code, n, Integer::sum));
    }

    private static String refusedConnect(int i) throws InterruptedException {
        String user;
        byte[] password;
        switch (i % 4) {
            case 0 -> {
                user = null;
                password = null;
            }
            case 1 -> {
                user = AP_USER;
                password = HostilePayloads.utf8("guess-" + i);
            }
            case 2 -> {
                user = "nobody-" + i;
                password = AP_PASSWORD;
            }
            default -> {
                // A real user with another real user's password.
                user = AP_USER;
                password = EU_PASSWORD;
            }
        }
        try {
            MqttTestClient c = GuardedClusters.connect(clusters.usLinkUri(), "anon-" + i, user, password);
            c.closeQuietly();
            return "accepted";
        } catch (MqttException e) {
            return String.format("0x%02X", e.getReasonCode());
        }
    }

    /** eu-west's routes on us-east are those it had, and a publish on us-east reaches eu-west's subscriber. */
    private static void assertLinkIntact(String when) throws Exception {
        assertThat(clusters.usLink.remoteRoutes(EU))
                .as("eu-west's routes on us-east " + when)
                .isEqualTo(euRoutes);
        String topic = "linked/probe-" + System.nanoTime();
        usPub.tryPublish(topic, HostilePayloads.utf8("probe"), 1, null);
        euSub.awaitMessageOn(topic);
    }

    private static MqttProperties handshakeProperties() {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("$LINK/cluster/resp/" + AP + "/intruder");
        p.setCorrelationData(new byte[] {9});
        return p;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition);
    }
}
