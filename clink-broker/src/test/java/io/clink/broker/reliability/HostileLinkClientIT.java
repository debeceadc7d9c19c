package io.clink.broker.reliability;

import static io.clink.broker.reliability.GuardedClusters.AP;
import static io.clink.broker.reliability.GuardedClusters.AP_PASSWORD;
import static io.clink.broker.reliability.GuardedClusters.AP_USER;
import static io.clink.broker.reliability.GuardedClusters.EU;
import static io.clink.broker.reliability.GuardedClusters.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.RemoteRoute;
import io.clink.broker.EmbeddedClusterBroker;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, scenario 6: hostile peers on the link listener. Each attacker holds a valid credential (user {@code
 * ap-south}, allowed to speak for {@code cluster-ap-south}, a configured and enabled link), connects to {@code
 * cluster-us-east}'s link listener with a plain Paho client, and sends one kind of bad input. Every attack must end
 * in a DISCONNECT from the broker with 0x83 (protocol error) or 0x87 (speaking for another cluster), or, for a bad
 * forwarded message on its own cluster's message topic, in a PUBACK 0x83 with the connection kept (a disconnect
 * would make EMQX resend the same message in a loop), while an
 * ordinary publisher/subscriber pair on the default listener and the legitimate link with {@code cluster-eu-west}
 * keep working, and the heap after GC returns to within 10% of its level before the attacks.
 *
 * <p>Short form: {@value #SHORT_CONNECTIONS} attack connections after a warm-up of {@value #SHORT_WARMUP};
 * {@code -Psoak} ({@code clink.soak=true}): {@value #SOAK_CONNECTIONS} after {@value #SOAK_WARMUP}. The system
 * property {@code clink.hostile.connections} overrides the count.
 */
@Timeout(value = 120, unit = TimeUnit.MINUTES)
class HostileLinkClientIT {

    /**
     * 10,000 attacks take about 8 minutes on the shared 2-core CI machine (a CONNECT alone costs 100-400 ms there),
     * so the short form runs 2,000 and the soak form 20,000.
     */
    static final int SHORT_CONNECTIONS = 2_000;

    static final int SOAK_CONNECTIONS = 20_000;
    static final int SHORT_WARMUP = 500;
    static final int SOAK_WARMUP = 2_000;
    /** Threads the JVM may have gained over the attacks (pools growing on demand), not one per attacker. */
    static final int THREAD_SLACK = 16;
    /**
     * Payloads above clink's decode limit cost 16 MiB each on the wire: a fixed few of them, and as many PUBLISHes
     * declaring more than the broker's maximum packet size, not kinds in the mix.
     */
    static final int SHORT_OVERSIZED = 3;

    static final int SOAK_OVERSIZED = 30;
    static final int WORKERS = 8;
    static final long WAIT_MS = 10_000;

    private static final boolean SOAK = Boolean.getBoolean("clink.soak");
    /** An attack phase that takes longer than this fails the test (the class timeout covers the rest). */
    static final long PHASE_LIMIT_MS = TimeUnit.MINUTES.toMillis(SOAK ? 90 : 12);

    private static final String ACTOR = "hostile-actor";
    private static final String ROUTE_TOPIC = "$LINK/cluster/route/" + AP;
    private static final String MSG_TOPIC = "$LINK/cluster/msg/" + AP;

    /**
     * The outcome of an attack whose bad payload went to the attacker's own message topic: PUBACK 0x83, and no
     * DISCONNECT within {@link #KEPT_CHECK_MS}. Outside the 0-255 range of reason codes, so it cannot be confused.
     */
    static final int PUBACK_0X83_KEPT = 0x1083;
    /** How long an attacker refused with a PUBACK waits to be sure no DISCONNECT follows. */
    static final long KEPT_CHECK_MS = 100;

    /**
     * One kind of hostile input and the outcome the broker must answer it with: a DISCONNECT reason, or {@link
     * #PUBACK_0X83_KEPT} when the bad payload goes to the message topic (kinds that pick the topic at random accept
     * both).
     */
    enum Kind {
        RANDOM_BYTES_ROUTE(0x83),
        RANDOM_BYTES_MSG(PUBACK_0X83_KEPT),
        TRUNCATED_ACTOR_INIT(0x83),
        TRUNCATED_MESSAGE(PUBACK_0X83_KEPT),
        ZIP_BOMB_HUGE_HEADER(0x83, PUBACK_0X83_KEPT),
        ZIP_BOMB_LYING_HEADER(0x83, PUBACK_0X83_KEPT),
        ZIP_BOMB_AT_LIMIT(0x83, PUBACK_0X83_KEPT),
        DEEPLY_NESTED(0x83, PUBACK_0X83_KEPT),
        WRONG_TYPES_ACTOR_INIT(0x83),
        WRONG_TYPES_ROUTE(0x83),
        ROUTE_BEFORE_HANDSHAKE(0x83),
        ACTOR_INIT_TWICE(0x83),
        UNKNOWN_OPERATION(0x83),
        BAD_MESSAGE_RECORD(PUBACK_0X83_KEPT),
        OTHER_CLUSTER_ROUTE_TOPIC(0x87),
        OTHER_CLUSTER_MSG_TOPIC(0x87),
        NOT_A_CLIENT_LINK_TOPIC(0x87),
        OVERSIZED(0x83, PUBACK_0X83_KEPT),
        BEYOND_BROKER_LIMIT(0x95);

        final Set<Integer> expected;

        Kind(Integer... expected) {
            this.expected = Set.of(expected);
        }
    }

    /** One publish of an attack. */
    record Step(String topic, byte[] payload, MqttProperties properties) {
        Step(String topic, byte[] payload) {
            this(topic, payload, null);
        }
    }

    private final Map<Kind, ConcurrentMap<Integer, LongAdder>> outcomes = new EnumMap<>(Kind.class);
    private final Map<Kind, LongAdder> nanos = new EnumMap<>(Kind.class);
    private final LongAdder connectNanos = new LongAdder();
    private final AtomicInteger clientIds = new AtomicInteger();
    private GuardedClusters clusters;
    private MqttTestClient ordinarySub;
    private MqttTestClient ordinaryPub;
    private MqttTestClient euSub;

    @BeforeEach
    void start() throws Exception {
        for (Kind k : Kind.values()) {
            outcomes.put(k, new ConcurrentHashMap<>());
            nanos.put(k, new LongAdder());
        }
        clusters = GuardedClusters.start();
        ordinarySub = GuardedClusters.connect(clusters.usMqttUri(), "ordinary-sub", null, null);
        ordinaryPub = GuardedClusters.connect(clusters.usMqttUri(), "ordinary-pub", null, null);
        euSub = GuardedClusters.connect(clusters.euMqttUri(), "eu-sub", null, null);
        assertThat(ordinarySub.trySubscribe("ordinary/#", 1)).isEqualTo(1);
        assertThat(euSub.trySubscribe("linked/#", 1)).isEqualTo(1);
        await(
                "us-east learns eu-west's route linked/#",
                () -> clusters.usLink.remoteRoutes(EU).stream()
                        .anyMatch(r -> r.filter().equals("linked/#")));
    }

    @AfterEach
    void stop() {
        restoreLogs();
        for (MqttTestClient c : new MqttTestClient[] {ordinarySub, ordinaryPub, euSub}) {
            if (c != null) {
                c.closeQuietly();
            }
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    /**
     * Every refused attacker is logged (a WARN from the receiver, an INFO from the adapter); tens of thousands of
     * them would only slow the run and bury a real failure, so those loggers are raised to ERROR while attacking.
     */
    private static final String[] CHATTY_LOGGERS = {
        "io.clink.core.internal.receiver", "io.clink.core.internal.forward", "io.clink.hivemq"
    };

    private final Map<String, ch.qos.logback.classic.Level> levelsBefore = new java.util.HashMap<>();

    private void quietAttackLogs() {
        for (String name : CHATTY_LOGGERS) {
            ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name);
            levelsBefore.put(name, l.getLevel());
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private void restoreLogs() {
        levelsBefore.forEach((name, level) ->
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).setLevel(level));
        levelsBefore.clear();
    }

    @Test
    void hostileLinkClients_manyConnections_eachDisconnectedBrokerServesOthersHeapReturns() throws Exception {
        int connections = Integer.getInteger("clink.hostile.connections", SOAK ? SOAK_CONNECTIONS : SHORT_CONNECTIONS);
        int oversized = SOAK ? SOAK_OVERSIZED : SHORT_OVERSIZED;
        Set<RemoteRoute> euRoutes = Set.copyOf(clusters.usLink.remoteRoutes(EU));
        probe(0);

        int warmup = Math.min(SOAK ? SOAK_WARMUP : SHORT_WARMUP, connections);
        quietAttackLogs();
        long t0 = System.nanoTime();
        attack(warmup, 1);
        long baseline = Heap.usedAfterGc();
        int threadsBefore = settledThreadCount(Integer.MAX_VALUE);
        long t1 = System.nanoTime();
        AtomicLong probes = new AtomicLong();
        attackWhileProbing(connections, oversized, probes);
        long t2 = System.nanoTime();
        long after = Heap.usedAfterGc();
        int threadsAfter = settledThreadCount(threadsBefore + THREAD_SLACK);

        String figures = figures(warmup, connections, oversized, baseline, after, probes.get(), t0, t1, t2)
                + String.format("  live threads %d before, %d after%n", threadsBefore, threadsAfter);
        System.out.println(figures);
        for (Kind k : Kind.values()) {
            assertThat(outcomes.get(k).keySet())
                    .as("outcomes seen for %s\n%s", k, figures)
                    .isSubsetOf(k.expected)
                    .isNotEmpty();
        }
        assertThat(total()).as("attacks run").isEqualTo(warmup + connections + 2 * oversized + 2);
        assertThat(clusters.usLink.remoteRoutes(EU))
                .as("eu-west's routes on us-east")
                .isEqualTo(euRoutes);
        assertThat(clusters.usLink.remoteRoutes(AP))
                .as("routes the attackers managed to add")
                .isEmpty();
        probe(probes.incrementAndGet());
        assertThat(after)
                .as("heap after GC, before %d and after %d attacks (bytes)\n%s", baseline, connections, figures)
                .isLessThanOrEqualTo(baseline + baseline / 10);
        assertThat(threadsAfter).as("live threads\n%s", figures).isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
    }

    // ---- attacks ----

    /** Runs {@code count} attacks of the rotating kinds (and {@code oversized} OVERSIZED ones) on the workers. */
    private void attack(int count, int oversized) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger nextOversized = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PHASE_LIMIT_MS);
            List<Future<?>> done = new ArrayList<>();
            Kind[] mix = java.util.Arrays.stream(Kind.values())
                    .filter(k -> k != Kind.OVERSIZED && k != Kind.BEYOND_BROKER_LIMIT)
                    .toArray(Kind[]::new);
            for (int w = 0; w < WORKERS; w++) {
                int seed = w;
                done.add(workers.submit(() -> {
                    Random random = new Random(seed * 7919L + clientIds.get());
                    while (System.nanoTime() < deadline) {
                        Kind kind;
                        int o = nextOversized.getAndIncrement();
                        if (o < 2 * oversized) {
                            kind = o % 2 == 0 ? Kind.OVERSIZED : Kind.BEYOND_BROKER_LIMIT;
                        } else {
                            int i = next.getAndIncrement();
                            if (i >= count) {
                                return null;
                            }
                            kind = mix[i % mix.length];
                        }
                        runAttack(kind, random);
                    }
                    throw new AssertionError("attack phase took longer than " + PHASE_LIMIT_MS + " ms");
                }));
            }
            for (Future<?> f : done) {
                f.get(PHASE_LIMIT_MS + WAIT_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private void attackWhileProbing(int count, int oversized, AtomicLong probes) throws Exception {
        ExecutorService attacker = Executors.newSingleThreadExecutor();
        try {
            Future<?> attack = attacker.submit(() -> {
                attack(count, oversized);
                return null;
            });
            while (!attack.isDone()) {
                probe(probes.incrementAndGet());
                Thread.sleep(200);
            }
            attack.get();
        } finally {
            attacker.shutdownNow();
        }
    }

    private void runAttack(Kind kind, Random random) throws Exception {
        long start = System.nanoTime();
        if (kind == Kind.BEYOND_BROKER_LIMIT) {
            int reason = new RawSocketPeer(
                            "127.0.0.1",
                            clusters.us.config().link().port(),
                            "hostile-" + clientIds.incrementAndGet(),
                            AP_USER,
                            AP_PASSWORD,
                            (int) WAIT_MS)
                    .publishDeclaring(ROUTE_TOPIC, EmbeddedClusterBroker.MAX_PACKET_SIZE + 1);
            outcomes.get(kind).computeIfAbsent(reason, r -> new LongAdder()).increment();
            nanos.get(kind).add(System.nanoTime() - start);
            return;
        }
        MqttTestClient c;
        try {
            c = GuardedClusters.connect(
                    clusters.usLinkUri(), "hostile-" + clientIds.incrementAndGet(), AP_USER, AP_PASSWORD);
        } catch (MqttException e) {
            throw new AssertionError("the attacker's CONNECT was refused (" + e.getReasonCode() + ")", e);
        }
        connectNanos.add(System.nanoTime() - start);
        try {
            List<Step> steps = steps(kind, random);
            int ack = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                ack = c.tryPublish(s.topic(), s.payload(), 1, s.properties());
                if (i < steps.size() - 1) {
                    // The set-up steps of an attack are legal and must be accepted as such.
                    assertThat(ack)
                            .as("PUBACK of set-up step %d of %s", i, kind)
                            .isEqualTo(0x10);
                }
            }
            int reason;
            if (steps.get(steps.size() - 1).topic().equals(MSG_TOPIC)) {
                reason = ack == 0x83
                                && c.awaitServerDisconnect(Duration.ofMillis(KEPT_CHECK_MS))
                                        == MqttTestClient.NO_DISCONNECT
                                && c.isConnected()
                        ? PUBACK_0X83_KEPT
                        : c.awaitServerDisconnect();
            } else {
                reason = c.awaitServerDisconnect();
            }
            outcomes.get(kind).computeIfAbsent(reason, r -> new LongAdder()).increment();
        } finally {
            c.closeQuietly();
            nanos.get(kind).add(System.nanoTime() - start);
        }
    }

    private static List<Step> steps(Kind kind, Random random) {
        switch (kind) {
            case RANDOM_BYTES_ROUTE:
                return List.of(new Step(ROUTE_TOPIC, HostilePayloads.randomBytes(random, 512)));
            case RANDOM_BYTES_MSG:
                return List.of(new Step(MSG_TOPIC, HostilePayloads.randomBytes(random, 512)));
            case TRUNCATED_ACTOR_INIT:
                return List.of(new Step(
                        ROUTE_TOPIC, HostilePayloads.truncated(random, HostilePayloads.actorInit(ACTOR, 1, US))));
            case TRUNCATED_MESSAGE:
                return List.of(new Step(
                        MSG_TOPIC,
                        HostilePayloads.truncated(random, HostilePayloads.message("hostile/t", new byte[100]))));
            case ZIP_BOMB_HUGE_HEADER:
                return List.of(
                        new Step(random.nextBoolean() ? ROUTE_TOPIC : MSG_TOPIC, HostilePayloads.bombDeclaringHuge()));
            case ZIP_BOMB_LYING_HEADER:
                return List.of(new Step(
                        random.nextBoolean() ? ROUTE_TOPIC : MSG_TOPIC, HostilePayloads.bombLyingAboutItsSize()));
            case ZIP_BOMB_AT_LIMIT:
                return List.of(
                        new Step(random.nextBoolean() ? ROUTE_TOPIC : MSG_TOPIC, HostilePayloads.bombAtTheLimit()));
            case DEEPLY_NESTED:
                return List.of(new Step(
                        random.nextBoolean() ? ROUTE_TOPIC : MSG_TOPIC,
                        HostilePayloads.deeplyNested(65 + random.nextInt(100_000))));
            case WRONG_TYPES_ACTOR_INIT:
                return List.of(new Step(ROUTE_TOPIC, HostilePayloads.actorInitWrongTypes(US), handshakeProperties()));
            case WRONG_TYPES_ROUTE:
                return List.of(actorInitStep(), new Step(ROUTE_TOPIC, HostilePayloads.routeWrongTypes(ACTOR)));
            case ROUTE_BEFORE_HANDSHAKE:
                return List.of(new Step(ROUTE_TOPIC, HostilePayloads.routeAdd(ACTOR, 1, "hostile/#")));
            case ACTOR_INIT_TWICE:
                return List.of(actorInitStep(), actorInitStep());
            case UNKNOWN_OPERATION:
                return List.of(actorInitStep(), new Step(ROUTE_TOPIC, HostilePayloads.unknownOperation(ACTOR)));
            case BAD_MESSAGE_RECORD:
                return List.of(new Step(MSG_TOPIC, HostilePayloads.badMessageRecord(random.nextInt(5))));
            case OTHER_CLUSTER_ROUTE_TOPIC:
                return List.of(new Step(
                        "$LINK/cluster/route/" + EU, HostilePayloads.actorInit(ACTOR, 1, US), handshakeProperties()));
            case OTHER_CLUSTER_MSG_TOPIC:
                return List.of(
                        new Step("$LINK/cluster/msg/" + EU, HostilePayloads.message("linked/forged", new byte[] {1})));
            case NOT_A_CLIENT_LINK_TOPIC:
                return List.of(new Step(
                        random.nextBoolean()
                                ? "$LINK/cluster/resp/" + AP + "/" + ACTOR
                                : "$LINK/cluster/route/" + AP + "/extra",
                        HostilePayloads.actorInit(ACTOR, 1, US)));
            case OVERSIZED:
                return List.of(new Step(random.nextBoolean() ? ROUTE_TOPIC : MSG_TOPIC, HostilePayloads.oversized()));
            default:
                throw new IllegalArgumentException("no steps for " + kind);
        }
    }

    private static Step actorInitStep() {
        return new Step(ROUTE_TOPIC, HostilePayloads.actorInit(ACTOR, 1, US), handshakeProperties());
    }

    private static MqttProperties handshakeProperties() {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("$LINK/cluster/resp/" + AP + "/" + ACTOR);
        p.setCorrelationData(new byte[] {1, 2, 3, 4});
        return p;
    }

    // ---- the broker's other clients ----

    /** An ordinary publish on us-east reaches its subscriber, and a linked one reaches eu-west's subscriber. */
    private void probe(long n) throws Exception {
        String ordinary = "ordinary/" + n;
        ordinaryPub.tryPublish(ordinary, HostilePayloads.utf8("p" + n), 1, null);
        awaitMessage(ordinarySub, ordinary);
        String linked = "linked/" + n;
        ordinaryPub.tryPublish(linked, HostilePayloads.utf8("l" + n), 1, null);
        awaitMessage(euSub, linked);
    }

    private static void awaitMessage(MqttTestClient sub, String topic) throws InterruptedException {
        sub.awaitMessageOn(topic);
    }

    // ---- measuring ----

    /**
     * The JVM's live thread count once the closed attackers' Paho threads have ended: waits up to 10 s for it to
     * drop to {@code target}, then returns it as it is.
     */
    private static int settledThreadCount(int target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n = ManagementFactory.getThreadMXBean().getThreadCount();
        int last = -1;
        while (System.nanoTime() < deadline && (n > target || n != last)) {
            Thread.sleep(500);
            last = n;
            n = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return n;
    }

    private long total() {
        long n = 0;
        for (Map<Integer, LongAdder> m : outcomes.values()) {
            for (LongAdder a : m.values()) {
                n += a.sum();
            }
        }
        return n;
    }

    private String figures(
            int warmup,
            int connections,
            int oversized,
            long baseline,
            long after,
            long probes,
            long t0,
            long t1,
            long t2) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "mean CONNECT+CONNACK %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(connectNanos.sum() / Math.max(1, total()))));
        b.append(String.format(
                "scenario 6 (%s): %d warm-up + %d attack connections + 2 x %d oversized, %d workers; "
                        + "warm-up %d ms, attacks %d ms; %d probe rounds passed; heap after GC %.1f MiB before, "
                        + "%.1f MiB after (%+.1f%%)%n",
                SOAK ? "soak" : "short",
                warmup,
                connections,
                oversized,
                WORKERS,
                TimeUnit.NANOSECONDS.toMillis(t1 - t0),
                TimeUnit.NANOSECONDS.toMillis(t2 - t1),
                probes,
                baseline / 1048576.0,
                after / 1048576.0,
                100.0 * (after - baseline) / baseline));
        for (Kind k : Kind.values()) {
            Map<String, Long> seen = new TreeMap<>();
            outcomes.get(k)
                    .forEach((code, n) -> seen.put(
                            code == MqttTestClient.NO_DISCONNECT
                                    ? "none"
                                    : code == PUBACK_0X83_KEPT
                                            ? "puback 0x83, kept"
                                            : code == RawSocketPeer.CLOSED ? "closed" : String.format("0x%02X", code),
                            n.sum()));
            long n = seen.values().stream().mapToLong(Long::longValue).sum();
            b.append(String.format(
                    "  %-26s %s  mean %d ms%n",
                    k,
                    seen,
                    n == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos.get(k).sum() / n)));
        }
        return b.toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition);
    }
}
