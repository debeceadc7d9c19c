package io.clink.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route churn: one operation adds a route and removes another, on an index holding {@code routes} stable routes.
 *
 * <p>The churning routes are the next {@value #POOL} routes of the same {@link RouteWorkload} (whole new sites, so
 * adds build trie paths and removes prune them). Half of the pool is in the index at any time: operation {@code i}
 * adds pool route {@code i} and removes pool route {@code i + POOL/2}, both modulo the pool, so every add finds its
 * route absent and every remove finds it present, however long the run.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class RouteChurnBenchmark {

    /** Churning routes; a power of two. */
    static final int POOL = 1 << 14;

    /** The implementation under test. */
    @Param({"clink", "naive", "moquette", "hivemq"})
    public String impl;

    /** Stable routes in the index. */
    @Param({"1000", "100000", "1000000"})
    public int routes;

    private RouteTable table;
    private RouteWorkload.Route[] pool;
    private int next;

    /**
     * Builds the index with the stable routes and the upper half of the pool.
     *
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() {
        List<RouteWorkload.Route> all = new RouteWorkload(42).routes(routes + POOL);
        table = RouteTable.create(impl);
        for (int i = 0; i < routes; i++) {
            table.add(all.get(i));
        }
        pool = all.subList(routes, routes + POOL).toArray(new RouteWorkload.Route[0]);
        for (int i = POOL / 2; i < POOL; i++) {
            table.add(pool[i]);
        }
    }

    /**
     * Adds one pool route and removes another.
     *
     * @since 0.1.0
     */
    @Benchmark
    public void addAndRemove() {
        int i = next++;
        table.remove(pool[(i + POOL / 2) & (POOL - 1)]);
        table.add(pool[i & (POOL - 1)]);
    }
}
