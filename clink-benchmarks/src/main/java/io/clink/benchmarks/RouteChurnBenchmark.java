package io.clink.benchmarks;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

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
public class RouteChurnBenchmark extends RouteTableBenchmark {

    /** Churning routes; a power of two. */
    static final int POOL = 1 << 14;

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
