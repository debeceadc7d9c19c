package io.clink.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code run.sh}'s results into the README's markdown tables: for the route suites, each implementation's
 * throughput and allocation per operation, and clink's throughput as a ratio to the best other implementation of the
 * same row (naive included); for the heap table, clink's bytes per route against the smallest other; the codec suite
 * as plain figures (it has no peer).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.clink.benchmarks.Summary target/results quick}.
 *
 * @since 0.1.0
 */
public final class Summary {

    private static final Pattern HEAP_ROW =
            Pattern.compile("\\|\\s*(\\w+)\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d.]+)\\s*\\|\\s*([\\d.]+)\\s*\\|");

    private Summary() {}

    /**
     * Prints the tables.
     *
     * @param args the results directory and the mode ({@code quick} or {@code full})
     * @throws IOException if a result file cannot be read
     * @since 0.1.0
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: Summary <results dir> <quick|full>, got " + args.length + " arguments");
        }
        render(Path.of(args[0]), args[1], System.out);
    }

    /**
     * Writes the tables of every suite that has results in {@code dir}.
     *
     * @param dir the results directory
     * @param mode {@code quick} or {@code full}
     * @param out where to write the markdown
     * @throws IOException if a result file cannot be read
     * @since 0.1.0
     */
    public static void render(Path dir, String mode, PrintStream out) throws IOException {
        routeTable(dir.resolve("match-" + mode + ".json"), "Route matching (RouteMatchBenchmark.match)", out);
        routeTable(
                dir.resolve("churn-" + mode + ".json"),
                "Route churn: one add and one remove per op " + "(RouteChurnBenchmark.addAndRemove)",
                out);
        heapTable(dir.resolve("heap-" + mode + ".txt"), out);
        codecTable(dir.resolve("codec-" + mode + ".json"), out);
        endToEndTable(
                dir.resolve("forward-" + mode + ".json"),
                dir.resolve("propagation-" + mode + ".json"),
                dir.resolve("bootstrap-" + mode + ".json"),
                out);
    }

    private static List<? extends Config> results(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        // Typesafe Config reads JSON, but only with an object at the root.
        return ConfigFactory.parseString("{\"results\":" + json + "}").getConfigList("results");
    }

    private static void routeTable(Path file, String title, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        // routes -> impl -> result
        Map<String, Map<String, Config>> rows = new LinkedHashMap<>();
        for (Config r : results(file)) {
            rows.computeIfAbsent(r.getString("params.routes"), k -> new LinkedHashMap<>())
                    .put(r.getString("params.impl"), r);
        }
        out.printf(Locale.ROOT, "%n#### %s%n%n", title);
        out.println("| routes | impl | ops/s | ± (99.9%) | B/op | clink ÷ best other |");
        out.println("|---:|---|---:|---:|---:|---:|");
        for (Map.Entry<String, Map<String, Config>> row : rows.entrySet()) {
            double best = 0;
            String bestImpl = "-";
            for (Map.Entry<String, Config> e : row.getValue().entrySet()) {
                double score = e.getValue().getDouble("primaryMetric.score");
                if (!e.getKey().equals("clink") && score > best) {
                    best = score;
                    bestImpl = e.getKey();
                }
            }
            for (Map.Entry<String, Config> e : row.getValue().entrySet()) {
                Config r = e.getValue();
                double score = r.getDouble("primaryMetric.score");
                String ratio = e.getKey().equals("clink") && best > 0
                        ? String.format(Locale.ROOT, "**%.1f×** (vs %s)", score / best, bestImpl)
                        : "";
                out.printf(
                        Locale.ROOT,
                        "| %,d | %s | %,.0f | %,.0f | %s | %s |%n",
                        Integer.parseInt(row.getKey()),
                        e.getKey(),
                        score,
                        error(r),
                        allocation(r),
                        ratio);
            }
        }
    }

    private static void heapTable(Path file, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = HEAP_ROW.matcher(line);
            if (m.matches()) {
                rows.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
            }
        }
        double best = Double.MAX_VALUE;
        String bestImpl = "-";
        for (String[] r : rows) {
            double perRoute = Double.parseDouble(r[3]);
            if (!r[0].equals("clink") && perRoute < best) {
                best = perRoute;
                bestImpl = r[0];
            }
        }
        out.printf(Locale.ROOT, "%n#### Heap per route after GC (HeapPerRoute)%n%n");
        out.println("| impl | routes | heap (MiB) | bytes/route | clink ÷ smallest other |");
        out.println("|---|---:|---:|---:|---:|");
        for (String[] r : rows) {
            String ratio = r[0].equals("clink") && best < Double.MAX_VALUE
                    ? String.format(Locale.ROOT, "**%.2f×** (vs %s)", Double.parseDouble(r[3]) / best, bestImpl)
                    : "";
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r[0], r[1], r[2], r[3], ratio);
        }
    }

    private static void codecTable(Path file, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        out.printf(Locale.ROOT, "%n#### Codec (CodecBenchmark)%n%n");
        out.println("| operation | payload | compressed | ops/s | ± (99.9%) | B/op |");
        out.println("|---|---:|---|---:|---:|---:|");
        for (Config r : results(file)) {
            String name = r.getString("benchmark");
            name = name.substring(name.lastIndexOf('.') + 1);
            String payload = r.hasPath("params.payload") ? r.getString("params.payload") + " B" : "4000 ops";
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %,.0f | %,.0f | %s |%n",
                    name,
                    payload,
                    r.getString("params.compressed"),
                    r.getDouble("primaryMetric.score"),
                    error(r),
                    allocation(r));
        }
    }

    /**
     * The end-to-end suites against issue 7's targets: link efficiency (forwarded ÷ local throughput), latency
     * percentiles, route propagation percentiles, bootstrap time.
     */
    private static void endToEndTable(Path forward, Path propagation, Path bootstrap, PrintStream out)
            throws IOException {
        if (!Files.exists(forward) && !Files.exists(propagation) && !Files.exists(bootstrap)) {
            return;
        }
        out.printf(Locale.ROOT, "%n#### End to end through two linked brokers on loopback%n%n");
        out.println("| measure | local (one broker) | forwarded (A to B) | result | target |");
        out.println("|---|---:|---:|---:|---|");
        if (Files.exists(forward)) {
            // method -> path -> result
            Map<String, Map<String, Config>> byMethod = new LinkedHashMap<>();
            for (Config r : results(forward)) {
                String name = r.getString("benchmark");
                byMethod.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new LinkedHashMap<>())
                        .put(r.getString("params.path"), r);
            }
            Map<String, Config> tp = byMethod.getOrDefault("throughput", Map.of());
            if (tp.containsKey("local") && tp.containsKey("forwarded")) {
                double local = tp.get("local").getDouble("primaryMetric.score");
                double fwd = tp.get("forwarded").getDouble("primaryMetric.score");
                out.printf(
                        Locale.ROOT,
                        "| QoS 1 throughput, 100 B, window %s (msg/s) | %,.0f ± %,.0f | %,.0f ± %,.0f "
                                + "| efficiency **%.2f** | ≥ 0.8 |%n",
                        tp.get("forwarded").getString("params.window"),
                        local,
                        error(tp.get("local")),
                        fwd,
                        error(tp.get("forwarded")),
                        fwd / local);
            }
            Map<String, Config> lat = byMethod.getOrDefault("latency", Map.of());
            if (lat.containsKey("local") && lat.containsKey("forwarded")) {
                for (String p : new String[] {"50.0", "99.0"}) {
                    double local = percentile(lat.get("local"), p);
                    double fwd = percentile(lat.get("forwarded"), p);
                    out.printf(
                            Locale.ROOT,
                            "| QoS 1 latency, one message at a time, p%s (%s) | %,.2f | %,.2f " + "| +%,.2f | |%n",
                            p.replace(".0", ""),
                            lat.get("local").getString("primaryMetric.scoreUnit"),
                            local,
                            fwd,
                            fwd - local);
                }
            }
        }
        if (Files.exists(propagation)) {
            for (Config r : results(propagation)) {
                double p50 = percentile(r, "50.0");
                double p99 = percentile(r, "99.0");
                String unit = r.getString("primaryMetric.scoreUnit");
                out.printf(
                        Locale.ROOT,
                        "| route propagation, SUBSCRIBE on B to first message from A (%s) | | "
                                + "p50 %,.2f, p99 %,.2f (n = %d) | p99 **%,.2f** | p99 ≤ 20 ms |%n",
                        unit,
                        p50,
                        p99,
                        sampleCount(r),
                        p99);
            }
        }
        if (Files.exists(bootstrap)) {
            for (Config r : results(bootstrap)) {
                out.printf(
                        Locale.ROOT,
                        "| bootstrap of %,d routes from B to A (%s, mean of %d single shots) | | "
                                + "%,.0f ± %,.0f | **%,.0f** | ≤ 2000 ms |%n",
                        r.getInt("params.routes"),
                        r.getString("primaryMetric.scoreUnit"),
                        sampleCount(r),
                        r.getDouble("primaryMetric.score"),
                        error(r),
                        r.getDouble("primaryMetric.score"));
            }
        }
    }

    private static double percentile(Config r, String level) {
        return r.getDouble("primaryMetric.scorePercentiles.\"" + level + "\"");
    }

    /** Samples behind a result: single-shot iterations, or sample-time samples (rawDataHistogram counts). */
    private static long sampleCount(Config r) {
        if (r.hasPath("primaryMetric.rawDataHistogram")) {
            long n = 0;
            for (Object fork : r.getList("primaryMetric.rawDataHistogram").unwrapped()) {
                for (Object iteration : (List<?>) fork) {
                    for (Object bucket : (List<?>) iteration) {
                        n += ((Number) ((List<?>) bucket).get(1)).longValue();
                    }
                }
            }
            return n;
        }
        long n = 0;
        for (Object fork : r.getList("primaryMetric.rawData").unwrapped()) {
            n += ((List<?>) fork).size();
        }
        return n;
    }

    private static double error(Config r) {
        // JMH writes "NaN" when a single iteration gives no interval.
        String e = r.getString("primaryMetric.scoreError");
        return e.equals("NaN") ? Double.NaN : Double.parseDouble(e);
    }

    private static String allocation(Config r) {
        String path = "secondaryMetrics.\"gc.alloc.rate.norm\".score";
        return r.hasPath(path) ? String.format(Locale.ROOT, "%,.0f", r.getDouble(path)) : "n/a";
    }
}
