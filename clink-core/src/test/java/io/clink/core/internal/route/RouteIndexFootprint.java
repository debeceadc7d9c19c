package io.clink.core.internal.route;

import java.util.Locale;

/**
 * Rough heap cost per route, for the README and the benchmark issue; a main, not a test (it measures, it does not
 * judge). IoT-shaped routes: per site {@code site/<s>/#}, per device {@code site/<s>/device/<d>/+}, each filter with
 * three route ids (the plain subscription and two shared groups).
 *
 * <p>Run after {@code mvn -pl clink-core test-compile}:
 * {@code java -Xmx3g -XX:+UseSerialGC -cp clink-core/target/classes:clink-core/target/test-classes
 * io.clink.core.internal.route.RouteIndexFootprint 200000}
 */
public final class RouteIndexFootprint {

    private RouteIndexFootprint() {}

    public static void main(String[] args) throws java.io.IOException {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int sites = Math.max(1, target / 1000);
        int devicesPerSite = Math.max(1, target / (sites * 3));
        String[] groups = {"", "$s/g1/", "$s/g2/"};

        long before = usedAfterGc();
        RouteIndex index = new RouteIndex();
        for (int s = 0; s < sites; s++) {
            String site = String.format(Locale.ROOT, "site/site-%05d", s);
            for (String g : groups) {
                index.add(site + "/#", "cluster-eu", g + site + "/#", 0);
            }
            for (int d = 0; d < devicesPerSite; d++) {
                String filter = String.format(Locale.ROOT, "%s/device/dev-%06d/+", site, d);
                for (String g : groups) {
                    index.add(filter, "cluster-eu", g + filter, 0);
                }
            }
        }
        long after = usedAfterGc();
        int routes = index.routeCount();
        System.out.printf(
                Locale.ROOT,
                "routes=%d sites=%d devices/site=%d heap=%.1f MiB bytes/route=%.1f%n",
                routes,
                sites,
                devicesPerSite,
                (after - before) / 1048576.0,
                (after - before) / (double) routes);
        if (!index.match("site/site-00000/device/dev-000000/temp").contains("cluster-eu")) {
            throw new AssertionError("index lost its routes");
        }
        // Rough single-thread match cost on the same index (no JMH, so only an order of magnitude).
        String[] topics = new String[1024];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = String.format(
                    Locale.ROOT,
                    "site/site-%05d/device/dev-%06d/temp",
                    (i * 7919) % sites,
                    (i * 104729) % devicesPerSite);
        }
        int[] hits = new int[1];
        MatchSink sink = new MatchSink() {
            @Override
            protected void accept(String cluster) {
                hits[0]++;
            }
        };
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            hits[0] = 0;
            // CPU time of this thread, not wall time: the build machine is shared.
            long start = cpu.getCurrentThreadCpuTime();
            int calls = 2_000_000;
            for (int i = 0; i < calls; i++) {
                index.match(topics[i & (topics.length - 1)], sink);
            }
            long elapsed = cpu.getCurrentThreadCpuTime() - start;
            System.out.printf(
                    Locale.ROOT,
                    "match: %.0f ns/call of thread CPU time (%d hits)%n",
                    elapsed / (double) calls,
                    hits[0]);
        }
        if (args.length > 1 && args[1].equals("hold")) {
            // Keeps the index alive for `jcmd <pid> GC.class_histogram`; press enter to end.
            System.in.read();
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
