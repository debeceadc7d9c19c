package io.clink.benchmarks;

import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.receiver.RouteIndexFeed;
import io.clink.core.internal.route.RouteIndex;
import io.clink.core.internal.store.InProcessRouteStore;
import io.clink.hazelcast.HazelcastRouteStore;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route churn as the receiver applies it: one route batch of a delete and an add, on a region holding {@code routes}
 * stable routes, through a route store whose events a node's {@link RouteIndex} follows, against writing the index
 * directly (what the receiver did before the store existed). The churning routes work as in {@link
 * RouteChurnBenchmark}: every add finds its route absent and every delete finds it present.
 *
 * <p>{@code store}: {@code index} writes the index directly; {@code in-process} goes through {@link
 * InProcessRouteStore} and its subscription, the single-node default; {@code hazelcast} goes through a {@link
 * HazelcastRouteStore} on the first of two members in this JVM (loopback; about half the route entries live on the
 * other member), and the index follows the first member's subscription.
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
public class StoreChurnBenchmark {

    static final int POOL = 1 << 14;
    static final String CLUSTER = "remote";

    /** Where the batch goes. */
    @Param({"index", "in-process", "hazelcast"})
    public String store;

    /** Stable routes. */
    @Param({"1000", "100000"})
    public int routes;

    private final ActorKey actor = new ActorKey(CLUSTER, "node-1");
    private RouteIndex index;
    private RouteStore routeStore;
    private RouteStore other;
    private RouteStore.Subscription subscription;
    private RouteKey[] pool;
    private List<List<RouteOp>> batches;
    private int next;

    /**
     * Fills the region with the stable routes and the upper half of the pool.
     *
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() {
        List<RouteWorkload.Route> all = new RouteWorkload(42).routes(routes + POOL);
        List<RouteKey> keys = new ArrayList<>(all.size());
        for (RouteWorkload.Route r : all) {
            // One remote cluster here: the workload's cluster goes into the id, so its routes stay distinct.
            byte[] id = (r.cluster() + "/" + r.routeId()).getBytes(StandardCharsets.UTF_8);
            keys.add(new RouteKey(CLUSTER, r.filter(), id));
        }
        index = new RouteIndex();
        if (!store.equals("index")) {
            routeStore = newStore(store);
            subscription = routeStore.subscribe(new RouteIndexFeed(index));
            routeStore.initActor(actor, 1, 0, Long.MAX_VALUE / 4);
        }
        pool = keys.subList(routes, routes + POOL).toArray(new RouteKey[0]);
        List<RouteKey> initial = new ArrayList<>(keys.subList(0, routes));
        for (int i = POOL / 2; i < POOL; i++) {
            initial.add(pool[i]);
        }
        for (int from = 0; from < initial.size(); from += 4_000) {
            List<RouteOp> ops = new ArrayList<>();
            for (RouteKey k : initial.subList(from, Math.min(initial.size(), from + 4_000))) {
                ops.add(new RouteOp(k, true));
            }
            apply(ops);
        }
        batches = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            batches.add(List.of(
                    new RouteOp(pool[(i + POOL / 2) & (POOL - 1)], false), new RouteOp(pool[i & (POOL - 1)], true)));
        }
    }

    private RouteStore newStore(String name) {
        if (name.equals("in-process")) {
            return new InProcessRouteStore();
        }
        if (name.equals("hazelcast")) {
            int[] ports = FreePorts.pick(2);
            List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
            other = HazelcastRouteStore.builder()
                    .clusterName("clink-bench")
                    .bind("127.0.0.1", ports[1])
                    .members(members)
                    .build();
            return HazelcastRouteStore.builder()
                    .clusterName("clink-bench")
                    .bind("127.0.0.1", ports[0])
                    .members(members)
                    .build();
        }
        throw new IllegalArgumentException("unknown store " + name);
    }

    private void apply(List<RouteOp> ops) {
        if (routeStore == null) {
            for (RouteOp op : ops) {
                RouteKey k = op.route();
                if (op.add()) {
                    index.add(k.filter(), k.cluster(), k.routeId(), 0);
                } else {
                    index.delete(k.filter(), k.cluster(), k.routeId(), 0);
                }
            }
        } else if (!routeStore.applyRoutes(actor, 1, ops)) {
            throw new IllegalStateException("the store fenced the benchmark's actor");
        }
    }

    /**
     * Deletes one pool route and adds another, in one batch.
     *
     * @since 0.1.0
     */
    @Benchmark
    public void deleteAndAdd() {
        apply(batches.get(next++ & (POOL - 1)));
    }

    /** Checks the index followed the store (a distributed store's events arrive a little later), and releases it. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        int expected = routes + POOL / 2;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (index.routeCount(CLUSTER) != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (index.routeCount(CLUSTER) != expected) {
            throw new IllegalStateException(
                    "the index holds " + index.routeCount(CLUSTER) + " routes, expected " + expected);
        }
        if (subscription != null) {
            subscription.close();
            routeStore.close();
        }
        if (other != null) {
            other.close();
        }
    }
}
