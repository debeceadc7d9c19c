package io.clink.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Publish-time matching: "which destinations want this topic?", one topic per operation, single-threaded.
 *
 * <p>Every implementation holds the same {@link RouteWorkload} routes and sees the same skewed topic stream,
 * precomputed in a power-of-two array walked with a mask so the loop itself costs nothing. Each answers with its
 * native result: clink delivers distinct clusters into a reused sink; Moquette and HiveMQ build their subscriber
 * list or set (and do not reduce it to distinct clusters, which would only add to their cost); the naive scan marks
 * clusters in a reused bit set. Run with {@code -prof gc} for bytes per operation.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
public class RouteMatchBenchmark extends RouteTableBenchmark {

    /** Topics in the stream; a power of two. */
    static final int TOPICS = 1 << 14;

    private RouteTable table;
    private String[] topics;
    private int next;

    /**
     * Builds the index and the topic stream.
     *
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() {
        RouteWorkload workload = new RouteWorkload(42);
        table = RouteTable.create(impl);
        workload.generate(routes, table::add);
        topics = workload.topics(routes, TOPICS);
    }

    /**
     * Matches the next topic of the stream.
     *
     * @return the implementation's result
     * @since 0.1.0
     */
    @Benchmark
    public Object match() {
        return table.match(topics[next++ & (TOPICS - 1)]);
    }
}
