package io.clink.benchmarks;

import com.hazelcast.map.LocalMapStats;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.hazelcast.HazelcastRouteStore;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a region's Hazelcast route store holds per route: two members in this JVM (backup count 1), {@code routes}
 * routes of {@link RouteWorkload} advertised by one actor, then each member's owned and backup entry memory cost of the
 * route map (Hazelcast's own accounting of the stored binary keys and values, {@code LocalMapStats}), per route, and
 * the time the writes took in batches of 4,000 (EMQX's route batch size).
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks.jar io.clink.benchmarks.StoreFootprint [routes...]} (default 100000
 * 1000000). Prints one line per count.
 *
 * @since 0.1.0
 */
public final class StoreFootprint {

    private StoreFootprint() {}

    /**
     * Measures and prints.
     *
     * @param args route counts
     * @throws InterruptedException if interrupted while waiting for the backups
     * @since 0.1.0
     */
    public static void main(String[] args) throws InterruptedException {
        int[] counts = args.length == 0
                ? new int[] {100_000, 1_000_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : counts) {
            measure(n);
        }
    }

    private static void measure(int n) throws InterruptedException {
        int[] ports = FreePorts.pick(2);
        List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
        try (HazelcastRouteStore first = HazelcastRouteStore.builder()
                        .clusterName("clink-footprint-" + n)
                        .bind("127.0.0.1", ports[0])
                        .members(members)
                        .build();
                HazelcastRouteStore second = HazelcastRouteStore.builder()
                        .clusterName("clink-footprint-" + n)
                        .bind("127.0.0.1", ports[1])
                        .members(members)
                        .build()) {
            ActorKey actor = new ActorKey("remote", "node-1");
            first.initActor(actor, 1, 0, Long.MAX_VALUE / 4);
            List<RouteWorkload.Route> all = new RouteWorkload(42).routes(n);
            long start = System.nanoTime();
            for (int from = 0; from < n; from += 4_000) {
                List<RouteOp> ops = new ArrayList<>();
                for (RouteWorkload.Route r : all.subList(from, Math.min(n, from + 4_000))) {
                    byte[] id = (r.cluster() + "/" + r.routeId()).getBytes(StandardCharsets.UTF_8);
                    ops.add(new RouteOp(new RouteKey("remote", r.filter(), id), true));
                }
                first.applyRoutes(actor, 1, ops);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            StringBuilder line = new StringBuilder();
            line.append(String.format("routes=%d write=%.1fs (%.0f routes/s)", n, seconds, n / seconds));
            for (HazelcastRouteStore s : List.of(first, second)) {
                LocalMapStats st = s.instance().getMap("clink.routes").getLocalMapStats();
                long bytes = st.getOwnedEntryMemoryCost() + st.getBackupEntryMemoryCost();
                line.append(String.format(
                        " | member %s: %d owned + %d backup entries, %.0f B per route held (owned+backup)",
                        s.instance().getName(),
                        st.getOwnedEntryCount(),
                        st.getBackupEntryCount(),
                        bytes / (double) (st.getOwnedEntryCount() + st.getBackupEntryCount())));
            }
            System.out.println(line);
        }
    }
}
