package io.clink.benchmarks;

import io.clink.testkit.mqtt.MqttTestClient;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route propagation through two linked clink-brokers on loopback ({@link LinkedBrokers}): how long from a client's
 * SUBSCRIBE on cluster B to the first message it gets from cluster A, while a publisher on A publishes to that topic
 * all the time. The time covers B's broker granting the subscription, clink on B sending the route op, A applying
 * it, A's next publish being matched and forwarded, and B delivering it.
 *
 * <p>Each operation uses a fresh topic: before it, the previous topic is unsubscribed, A is seen to have dropped
 * that route, and the publisher switches to the new topic. The publisher sends one QoS 1 message at a time,
 * waiting for its PUBACK and then {@value #PUBLISH_INTERVAL_MICROS} µs, so it never builds a backlog; that interval
 * plus one publish bounds the resolution of the measurement. JMH reports the sample-time percentiles.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class E2eRoutePropagationBenchmark extends E2eBenchmark {

    /** The publisher's pause between two publishes. */
    static final long PUBLISH_INTERVAL_MICROS = 200;

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private LinkedBrokers brokers;
    private MqttTestClient subscriber;
    private Thread publisherThread;
    private volatile boolean running = true;
    private volatile String currentTopic = "prop/0";
    private volatile String arrivedTopic = "";
    private volatile Thread waiter;
    private volatile Throwable publisherFailure;
    private int next;

    /**
     * Starts the brokers, the subscriber on B and the publisher on A.
     *
     * @throws Exception if a broker or client does not start
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        brokers = new LinkedBrokers(true);
        subscriber = brokers.client(brokers.uriB(), "prop-sub");
        subscriber.onMessage(r -> arrived(r.topic(), r.message()));
        MqttTestClient publisher = brokers.client(brokers.uriA(), "prop-pub");
        byte[] payload = new byte[E2eForwardBenchmark.PAYLOAD_BYTES];
        publisherThread = new Thread(
                () -> {
                    try {
                        while (running) {
                            // One QoS 1 publish at a time: a publisher that outran the broker would queue messages for
                            // old topics in front of the new one and measure its own backlog.
                            publisher.publish(currentTopic, payload, 1, null);
                            LockSupport.parkNanos(PUBLISH_INTERVAL_MICROS * 1_000);
                        }
                    } catch (Exception | Error e) {
                        publisherFailure = e;
                    }
                },
                "prop-publisher");
        publisherThread.setDaemon(true);
        publisherThread.start();
    }

    /**
     * Unsubscribes the previous topic, waits until A dropped its route, and moves the publisher to a fresh topic.
     *
     * @throws Exception if the unsubscribe fails or A keeps the route for 30 s
     * @since 0.1.0
     */
    @Setup(Level.Invocation)
    public void nextTopic() throws Exception {
        if (next > 0) {
            subscriber.unsubscribe(currentTopic);
            LinkedBrokers.await("A drops B's route " + currentTopic, () -> brokers.routesOfBOnA() == 0, 30_000);
        }
        currentTopic = "prop/" + (++next);
    }

    /**
     * Stops the publisher and the brokers.
     *
     * @throws InterruptedException if interrupted
     * @since 0.1.0
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        if (publisherThread != null) {
            publisherThread.join(10_000);
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    /**
     * Subscribes on B to the publisher's current topic and returns when the first message on it arrives.
     *
     * @throws Exception if the subscribe fails or nothing arrives within 30 s
     * @since 0.1.0
     */
    @Benchmark
    public void subscribeToFirstMessage() throws Exception {
        String topic = currentTopic;
        waiter = Thread.currentThread();
        try {
            subscriber.subscribeAsync(topic, 0);
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!topic.equals(arrivedTopic)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || publisherFailure != null) {
                    throw new IllegalStateException("no message on " + topic + " within 30 s of subscribing"
                            + (publisherFailure == null ? "" : "; the publisher failed: " + publisherFailure));
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            waiter = null;
        }
    }

    private void arrived(String topic, MqttMessage message) {
        if (!topic.equals(arrivedTopic)) {
            arrivedTopic = topic;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }
}
