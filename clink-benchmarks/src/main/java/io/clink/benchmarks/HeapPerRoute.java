package io.clink.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap retained per route: builds each implementation's index from {@link RouteWorkload} routes and compares the
 * used heap after full GCs before and after. The routes are generated on the fly and dropped once added, so only what
 * the index keeps is counted (filters, route ids, nodes, subscriber references); the few shared cluster and subscriber
 * strings are counted for nobody.
 *
 * <p>Usage: {@code java -XX:+UseSerialGC -Xmx8g -cp benchmarks.jar io.clink.benchmarks.HeapPerRoute [routes] [impl...]}
 * (default 1,000,000 routes and every implementation). Run one implementation per JVM for the cleanest figure:
 * {@code run.sh} does. Prints one table row per implementation. With {@code -Dheap.hold=<seconds>} it then keeps the
 * last index alive that long, for {@code jmap -histo:live <pid>} to show where the bytes are.
 *
 * @since 0.1.0
 */
public final class HeapPerRoute {

    private HeapPerRoute() {}

    /**
     * Measures and prints.
     *
     * @param args the route count, then implementation names
     * @since 0.1.0
     */
    public static void main(String[] args) {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String[] impls =
                args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : RouteTable.IMPLEMENTATIONS;
        if (System.getProperty("heap.header") != null) {
            System.out.printf(
                    Locale.ROOT, "| %-9s | %10s | %12s | %14s |%n", "impl", "routes", "heap (MiB)", "bytes/route");
            System.out.printf(
                    Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(11), "-".repeat(12), "-".repeat(14), "-".repeat(16));
        }
        for (String impl : impls) {
            RouteWorkload workload = new RouteWorkload(42);
            // Load the classes and warm the generator so neither lands in the difference.
            RouteTable warm = RouteTable.create(impl);
            workload.generate(1000, warm::add);
            warm = null;

            long before = usedAfterGc();
            RouteTable table = RouteTable.create(impl);
            workload.generate(routes, table::add);
            long after = usedAfterGc();
            if (table.clusters("site/s-000000/device/d-0000/alarm").isEmpty()) {
                throw new IllegalStateException(impl + " lost its routes: site/+/device/+/alarm matches nothing");
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %-9s | %,10d | %12.1f | %14.1f |%n",
                    impl,
                    routes,
                    (after - before) / 1048576.0,
                    (after - before) / (double) routes);
            long hold = Long.getLong("heap.hold", 0L);
            if (hold > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "holding the %s index for %d s (pid %d)%n",
                        impl,
                        hold,
                        ProcessHandle.current().pid());
                try {
                    Thread.sleep(hold * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // Keep the index reachable until after the measurement (and the hold).
            java.lang.ref.Reference.reachabilityFence(table);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several rounds: finalizers and reference processing can free more on the next one.
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
