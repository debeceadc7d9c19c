package io.clink.benchmarks;

import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.common.MqttMessage;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * End-to-end delivery through two linked clink-brokers on loopback ({@link LinkedBrokers}), QoS 1, 100-byte
 * payloads, real Paho MQTT 5 clients: a publisher on cluster A and one subscriber, on cluster B ({@code path =
 * forwarded}: the message crosses the link) or on A itself ({@code path = local}: ordinary delivery by one broker,
 * with the same two linked brokers running). Forwarded throughput divided by local throughput is the link's
 * efficiency.
 *
 * <ul>
 *   <li>{@link #throughput}: one operation publishes one message. At most {@code window} messages are in flight
 *       end to end (published, not yet received by the subscriber), so in steady state the publish rate is the
 *       delivery rate and no queue grows without bound. Each message carries its publish time; the trial prints the
 *       percentiles of publish-to-delivery latency under this load, over the measurement iterations ({@code
 *       loaded latency} lines).
 *   <li>{@link #latency}: one operation publishes one message and waits until the subscriber has it (nothing else
 *       in flight): unloaded latency, as JMH sample-time percentiles.
 * </ul>
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class E2eForwardBenchmark extends E2eBenchmark {

    /** Payload size in bytes. */
    static final int PAYLOAD_BYTES = 100;

    private static final int LATENCY_SLOTS = 1 << 21;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** {@code forwarded}: subscriber on cluster B; {@code local}: subscriber on cluster A, beside the publisher. */
    @Param({"local", "forwarded"})
    public String path;

    /** Most messages in flight end to end during {@link #throughput}. */
    @Param({"100"})
    public int window;

    /**
     * Publishing clients on A, used in turn by {@link #throughput} ({@link #latency} uses the first). Each has its
     * own in-flight limit (the broker's Receive Maximum) and, on the forwarded path, its own forwarding connection
     * of the pool when their client ids hash apart (dispatch {@code per_clientid}).
     */
    @Param({"1"})
    public int publishers;

    private LinkedBrokers brokers;
    private MqttTestClient publisher;
    private MqttTestClient[] all;
    private String topic;
    private final Semaphore inFlight = new Semaphore(0);
    private volatile boolean probeArrived;
    private volatile long delivered;
    private long published;
    private volatile Thread waiter;
    // Written by Paho's callback thread only; read after the iteration, once nothing is in flight.
    private final long[] latencies = new long[LATENCY_SLOTS];
    private int latencyCount;
    private long[] measured = new long[0];

    /**
     * Starts the brokers, connects the clients and waits until a message gets through.
     *
     * @throws Exception if a broker or client does not start
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean forwarded = switch (path) {
            case "forwarded" -> true;
            case "local" -> false;
            default -> throw new IllegalArgumentException("path must be local or forwarded, got '" + path + "'");
        };
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        inFlight.release(window);
        brokers = new LinkedBrokers(true);
        String prefix = forwarded ? "fwd" : "loc";
        topic = prefix + "/bench/1";
        MqttTestClient subscriber = brokers.client(forwarded ? brokers.uriB() : brokers.uriA(), "bench-sub");
        subscriber.onMessage(r -> arrived(r.topic(), r.message()));
        subscriber.subscribe(prefix + "/#", 1);
        if (publishers < 1) {
            throw new IllegalArgumentException("publishers must be at least 1, got " + publishers);
        }
        all = new MqttTestClient[publishers];
        for (int i = 0; i < publishers; i++) {
            all[i] = brokers.client(brokers.uriA(), "bench-pub-" + i);
        }
        publisher = all[0];
        if (forwarded) {
            LinkedBrokers.await("A holds B's route", () -> brokers.routesOfBOnA() >= 1, 30_000);
        }
        // The first messages may race the route or the forwarding pool; probe until one arrives. Probes have their
        // own topic, so a late one does not count as a benchmark message.
        String probe = prefix + "/probe";
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!probeArrived) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no message reached the subscriber on path " + path);
            }
            publisher.publishAsync(probe, payload(), 1);
            LockSupport.parkNanos(50_000_000);
        }
    }

    /**
     * Waits until nothing is in flight and starts recording latencies afresh.
     *
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    @Setup(Level.Iteration)
    public void startIteration() throws InterruptedException {
        drain();
        latencyCount = 0;
    }

    /**
     * Waits until nothing is in flight and keeps the iteration's latencies if it was a measurement iteration.
     *
     * @param iteration the iteration that ended
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) throws InterruptedException {
        drain();
        if (iteration.getType() == IterationType.MEASUREMENT) {
            int n = Math.min(latencyCount, LATENCY_SLOTS);
            long[] all = Arrays.copyOf(measured, measured.length + n);
            System.arraycopy(latencies, 0, all, measured.length, n);
            measured = all;
        }
    }

    /**
     * Prints the loaded latency percentiles (after {@link #throughput}) and stops everything.
     *
     * @param benchmark which benchmark ran
     * @since 0.1.0
     */
    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams benchmark) {
        // Under latency() only one message is ever in flight: the unloaded case, which JMH reports itself.
        if (benchmark.getBenchmark().endsWith(".throughput")
                && measured.length > 0
                && inFlight.availablePermits() == window) {
            System.out.println();
            System.out.println(LatencyPercentiles.line(
                    "loaded latency " + path + " window " + window + " publishers " + publishers, measured));
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    /**
     * Publishes one QoS 1 message once fewer than {@code window} are in flight.
     *
     * @throws Exception if the publish fails or nothing is delivered for 30 s
     * @since 0.1.0
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughput() throws Exception {
        if (!inFlight.tryAcquire(WAIT_NANOS, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("no message delivered on path " + path + " for 30 s");
        }
        all[(int) (published++ % publishers)].publishAsync(topic, payload(), 1);
    }

    /**
     * Publishes one QoS 1 message and waits until the subscriber received it.
     *
     * @throws Exception if the publish fails or the message is not delivered within 30 s
     * @since 0.1.0
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void latency() throws Exception {
        inFlight.acquire();
        long target = ++published;
        publisher.publishAsync(topic, payload(), 1);
        awaitDelivered(target);
    }

    private void arrived(String t, MqttMessage message) {
        if (!t.equals(topic)) {
            probeArrived = true;
            return;
        }
        byte[] p = message.getPayload();
        if (p.length >= Long.BYTES) {
            long sent = ByteBuffer.wrap(p).getLong();
            int i = latencyCount++;
            if (i < LATENCY_SLOTS) {
                latencies[i] = System.nanoTime() - sent;
            }
        }
        delivered = delivered + 1; // one writer: Paho's callback thread
        inFlight.release();
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void awaitDelivered(long target) {
        if (delivered >= target) {
            return;
        }
        waiter = Thread.currentThread();
        try {
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (delivered < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "message %d not delivered on path %s within 30 s (%d delivered)",
                            target,
                            path,
                            delivered));
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            waiter = null;
        }
    }

    private void drain() throws InterruptedException {
        if (!inFlight.tryAcquire(window, WAIT_NANOS, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(
                    (window - inFlight.availablePermits()) + " messages still undelivered after 30 s on path " + path);
        }
        inFlight.release(window);
    }

    private static byte[] payload() {
        byte[] p = new byte[PAYLOAD_BYTES];
        ByteBuffer.wrap(p).putLong(System.nanoTime());
        return p;
    }
}
