package io.clink.benchmarks;

import io.clink.api.link.ActorState;
import io.clink.testkit.mqtt.MqttTestClient;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route bootstrap through two linked clink-brokers on loopback ({@link LinkedBrokers}): cluster B holds {@code
 * routes} distinct subscriptions (from {@value #CLIENTS} MQTT clients, {@value #FILTERS_PER_SUBSCRIBE} filters per
 * SUBSCRIBE packet), then B's link to A is switched on, and the operation ends when A holds all of them. The time
 * covers B's route actor connecting, the handshake, the snapshot sent in batches of 4000 and A applying every
 * batch.
 *
 * <p>Before each operation B's link is switched off and A's link to B off and on again, which drops everything B
 * had replicated to A; the operation starts from A holding none of B's routes and B's actor stopped. One operation
 * per iteration (single-shot).
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class E2eBootstrapBenchmark extends E2eBenchmark {

    /** Subscribing clients on B. */
    static final int CLIENTS = 10;
    /** Filters per SUBSCRIBE packet. */
    static final int FILTERS_PER_SUBSCRIBE = 1000;

    private static final long TIMEOUT_MS = 60_000;

    /** Distinct subscriptions on B, a multiple of {@value #CLIENTS} x {@value #FILTERS_PER_SUBSCRIBE}. */
    @Param({"100000"})
    public int routes;

    private LinkedBrokers brokers;
    private String breakdown;

    /**
     * Starts the brokers with B's link off and subscribes B's clients.
     *
     * @throws Exception if a broker or client does not start
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (routes <= 0 || routes % (CLIENTS * FILTERS_PER_SUBSCRIBE) != 0) {
            throw new IllegalArgumentException(
                    "routes must be a positive multiple of " + CLIENTS * FILTERS_PER_SUBSCRIBE + ", got " + routes);
        }
        brokers = new LinkedBrokers(false);
        int perClient = routes / CLIENTS;
        int n = 0;
        for (int c = 0; c < CLIENTS; c++) {
            MqttTestClient client = brokers.client(brokers.uriB(), "bootstrap-sub-" + c);
            for (int start = 0; start < perClient; start += FILTERS_PER_SUBSCRIBE) {
                String[] filters = new String[FILTERS_PER_SUBSCRIBE];
                for (int i = 0; i < filters.length; i++) {
                    filters[i] = filter(n++);
                }
                client.subscribe(filters, 1);
            }
        }
    }

    /**
     * Switches B's link off and A's link to B off and on, so that A holds none of B's routes.
     *
     * @since 0.1.0
     */
    @Setup(Level.Iteration)
    public void reset() {
        brokers.setBLink(false);
        brokers.setALink(false);
        LinkedBrokers.await("A drops B's routes", () -> brokers.routesOfBOnA() == 0, TIMEOUT_MS);
        brokers.setALink(true);
    }

    /**
     * Stops the brokers.
     *
     * @since 0.1.0
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (brokers != null) {
            brokers.close();
        }
    }

    /**
     * Switches B's link on and returns when A holds all {@code routes} of B's routes.
     *
     * @return how many routes A holds
     * @since 0.1.0
     */
    @Benchmark
    public long bootstrap() {
        long start = System.nanoTime();
        brokers.setBLink(true);
        // Where the time goes, printed after the iteration: B's actor connected and handshaken (BOOTSTRAPPING), the
        // first batch applied on A, the last one.
        long bootstrapping = -1;
        long first = -1;
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        long held;
        while ((held = brokers.routesOfBOnA()) < routes) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new IllegalStateException(
                        "A holds " + held + " of B's " + routes + " routes after " + TIMEOUT_MS + " ms");
            }
            if (bootstrapping < 0
                    && brokers.linkB()
                            .status(LinkedBrokers.A)
                            .map(st -> st.actors().stream()
                                    .anyMatch(a ->
                                            a.state() == ActorState.BOOTSTRAPPING || a.state() == ActorState.ONLINE))
                            .orElse(false)) {
                bootstrapping = now;
            }
            if (first < 0 && held > 0) {
                first = now;
            }
            LockSupport.parkNanos(500_000);
        }
        long end = System.nanoTime();
        breakdown = String.format(
                Locale.ROOT,
                "bootstrap breakdown: B's actor bootstrapping after %s ms, first "
                        + "routes on A after %s ms, all %d after %.1f ms",
                since(start, bootstrapping),
                since(start, first),
                held,
                (end - start) / 1e6);
        return held;
    }

    /**
     * Prints where the last operation's time went.
     *
     * @since 0.1.0
     */
    @TearDown(Level.Iteration)
    public void printBreakdown() {
        if (breakdown != null) {
            System.out.println(breakdown);
            breakdown = null;
        }
    }

    private static String since(long start, long at) {
        return at < 0 ? "?" : String.format(Locale.ROOT, "%.1f", (at - start) / 1e6);
    }

    /**
     * Subscription number {@code i}: IoT-like filters of 4 to 6 levels, exact and with {@code +} or {@code #}, all
     * distinct.
     */
    static String filter(int i) {
        int site = i / 1000;
        int device = i % 1000;
        return switch (i % 4) {
            case 0 -> String.format(Locale.ROOT, "site/%d/device/%d/+", site, device);
            case 1 -> String.format(Locale.ROOT, "site/%d/device/%d/telemetry/temp", site, device);
            case 2 -> String.format(Locale.ROOT, "site/%d/zone/%d/+/alarm/#", site, device);
            default -> String.format(Locale.ROOT, "fleet/%d/%d/status", site, device);
        };
    }
}
