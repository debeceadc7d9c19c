package io.clink.benchmarks;

import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.store.InProcessRouteStore;
import io.clink.hazelcast.HazelcastRouteStore;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * Route propagation across the nodes of one region through its route store: the time from a receiver writing a route
 * op on node 1 to node 2's subscription (what feeds node 2's route index) seeing it. {@code hazelcast}: two members in
 * this JVM on loopback; {@code in-process}: one store, the write and the subscription in one process (the single-node
 * baseline, where "node 2" is the same node). JMH reports sample-time percentiles; p99 is the propagation bound
 * docs/MULTI-NODE.md quotes.
 *
 * <p>{@link Bootstrap} is the other figure: 100,000 routes written on node 1 in batches of 4,000 (EMQX's), until node
 * 2's subscription has seen every one, single shot.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class StorePropagationBenchmark {

    static final String CLUSTER = "remote";
    static final ActorKey ACTOR = new ActorKey(CLUSTER, "node-1");

    /** Which store. */
    @Param({"in-process", "hazelcast"})
    public String store;

    private Region region;
    private int next;

    /** Two nodes of a region over one store, the second subscribed. */
    static final class Region implements AutoCloseable {
        final RouteStore first;
        final RouteStore second;
        final AtomicInteger seen = new AtomicInteger();
        final RouteStore.Subscription subscription;
        volatile Thread waiter;

        Region(String store) {
            if (store.equals("hazelcast")) {
                int[] ports = FreePorts.pick(2);
                List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
                first = HazelcastRouteStore.builder()
                        .clusterName("clink-propagation")
                        .bind("127.0.0.1", ports[0])
                        .members(members)
                        .build();
                second = HazelcastRouteStore.builder()
                        .clusterName("clink-propagation")
                        .bind("127.0.0.1", ports[1])
                        .members(members)
                        .build();
            } else {
                first = new InProcessRouteStore();
                second = first;
            }
            first.initActor(ACTOR, 1, 0, Long.MAX_VALUE / 4);
            subscription = second.subscribe(new RouteStore.Listener() {
                @Override
                public void onEvent(RouteEvent event) {
                    seen.incrementAndGet();
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }

                @Override
                public void onSnapshotComplete() {}
            });
        }

        void awaitSeen(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            waiter = Thread.currentThread();
            try {
                while (seen.get() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("node 2 saw " + seen.get() + " of " + count + " events");
                    }
                    LockSupport.parkNanos(100_000);
                }
            } finally {
                waiter = null;
            }
        }

        @Override
        public void close() {
            subscription.close();
            first.close();
            if (second != first) {
                second.close();
            }
        }
    }

    private static RouteOp op(String filter, boolean add) {
        return new RouteOp(new RouteKey(CLUSTER, filter, filter.getBytes(StandardCharsets.UTF_8)), add);
    }

    /**
     * Starts the region.
     *
     * @since 0.1.0
     */
    @Setup(Level.Trial)
    public void setUp() {
        region = new Region(store);
    }

    /**
     * Stops the region.
     *
     * @since 0.1.0
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        region.close();
    }

    /**
     * One route op on node 1, until node 2 has seen it: adds and deletes alternate on one route, so every op is a
     * change.
     *
     * @since 0.1.0
     */
    @Benchmark
    public void propagate() {
        int i = next++;
        int before = region.seen.get();
        region.first.applyRoutes(ACTOR, 1, List.of(op("prop/#", (i & 1) == 0)));
        region.awaitSeen(before + 1);
    }

    /**
     * 100,000 routes into a two-node region, single shot per fresh region.
     *
     * @since 0.1.0
     */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public static class Bootstrap {

        /** Which store. */
        @Param({"in-process", "hazelcast"})
        public String store;

        static final int ROUTES = 100_000;

        private Region region;
        private List<List<RouteOp>> batches;

        /**
         * A fresh region for every shot.
         *
         * @since 0.1.0
         */
        @Setup(Level.Iteration)
        public void setUp() {
            region = new Region(store);
            List<RouteWorkload.Route> all = new RouteWorkload(42).routes(ROUTES);
            batches = new ArrayList<>();
            for (int from = 0; from < ROUTES; from += 4_000) {
                List<RouteOp> ops = new ArrayList<>();
                for (RouteWorkload.Route r : all.subList(from, Math.min(ROUTES, from + 4_000))) {
                    byte[] id = (r.cluster() + "/" + r.routeId()).getBytes(StandardCharsets.UTF_8);
                    ops.add(new RouteOp(new RouteKey(CLUSTER, r.filter(), id), true));
                }
                batches.add(ops);
            }
        }

        /**
         * Stops the region.
         *
         * @since 0.1.0
         */
        @TearDown(Level.Iteration)
        public void tearDown() {
            region.close();
        }

        /**
         * Writes every batch on node 1, then waits for node 2 to have seen every route.
         *
         * @since 0.1.0
         */
        @Benchmark
        public void bootstrap100k() {
            for (List<RouteOp> b : batches) {
                region.first.applyRoutes(ACTOR, 1, b);
            }
            region.awaitSeen(ROUTES);
        }
    }
}
