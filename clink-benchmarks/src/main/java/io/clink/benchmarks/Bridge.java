package io.clink.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The two Java halves of the {@code bridge} suite ({@code bridge.sh}), which runs {@code mosquitto_pub -l} and {@code
 * mosquitto_sub} against a clink-broker pair and a Mosquitto bridge pair.
 *
 * <ul>
 *   <li>{@code stamp N START}: writes {@code "<i> <epoch microseconds>"} for i = 1..N to standard output, one line
 *       per write, each stamped just before it is written: the payloads {@code mosquitto_pub -l} publishes; the
 *       first stamp also goes to the file START (epoch seconds), so JVM start-up is not counted.
 *   <li>{@code report DIR N}: reads every {@code <broker>-<row>.txt} in DIR ({@code mosquitto_sub -F '%U %p'} output:
 *       arrival time, then the payload) with its {@code .start} file (epoch seconds when the publisher started) and
 *       prints the markdown table: per row msg/s, delivered/published, p50/p99 latency, and clink's msg/s as a ratio
 *       to Mosquitto's.
 * </ul>
 *
 * <p>msg/s is distinct messages delivered divided by the time from the publisher's start to the last arrival.
 * Latency is arrival minus the stamp, so it includes the time a line waits in the pipe to {@code mosquitto_pub}
 * while the publisher is held back by its broker's PUBACKs: what an application feeding the publisher would see.
 *
 * @since 0.1.0
 */
public final class Bridge {

    private static final Pattern FILE = Pattern.compile("(clink|mosquitto)-(.+)\\.txt");
    private static final Pattern LINE = Pattern.compile("(\\d+)\\.(\\d{1,9}) (\\d+) (\\d+)");

    private Bridge() {}

    /**
     * Runs {@code stamp} or {@code report}.
     *
     * @param args {@code stamp N START} or {@code report DIR N}
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("stamp")) {
            stamp(Integer.parseInt(args[1]), System.out, Path.of(args[2]));
        } else if (args.length == 3 && args[0].equals("report")) {
            System.out.print(report(Path.of(args[1]), Integer.parseInt(args[2])));
        } else {
            System.err.println("usage: Bridge stamp N START | Bridge report DIR N");
            System.exit(2);
        }
    }

    static void stamp(int n, OutputStream out, Path start) throws IOException {
        BufferedOutputStream b = new BufferedOutputStream(out, 64);
        for (int i = 1; i <= n; i++) {
            Instant now = Instant.now();
            long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            if (i == 1) {
                Files.writeString(start, String.format(Locale.ROOT, "%.6f%n", micros / 1e6));
            }
            b.write((i + " " + micros + "\n").getBytes(StandardCharsets.US_ASCII));
            // One line per write: the stamp is taken when mosquitto_pub can have the line, not a pipe-full later.
            b.flush();
        }
    }

    /** One row's figures. */
    record Row(int delivered, int published, double msgPerSecond, double p50Ms, double p99Ms) {}

    static Row row(List<String> lines, double startEpochSeconds, int published) {
        BitSet seen = new BitSet(published + 1);
        long[] latencyMicros = new long[lines.size()];
        int delivered = 0;
        long lastArrivalMicros = 0;
        for (String l : lines) {
            Matcher m = LINE.matcher(l.trim());
            if (!m.matches()) {
                continue;
            }
            int i = Integer.parseInt(m.group(3));
            if (i < 1 || i > published || seen.get(i)) {
                continue;
            }
            seen.set(i);
            String frac = (m.group(2) + "000000000").substring(0, 6);
            long arrival = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(frac);
            latencyMicros[delivered++] = arrival - Long.parseLong(m.group(4));
            lastArrivalMicros = Math.max(lastArrivalMicros, arrival);
        }
        if (delivered == 0) {
            return new Row(0, published, 0, Double.NaN, Double.NaN);
        }
        long[] sorted = Arrays.copyOf(latencyMicros, delivered);
        Arrays.sort(sorted);
        double seconds = lastArrivalMicros / 1e6 - startEpochSeconds;
        return new Row(
                delivered,
                published,
                delivered / seconds,
                LatencyPercentiles.percentile(sorted, 0.50) / 1e3,
                LatencyPercentiles.percentile(sorted, 0.99) / 1e3);
    }

    static String report(Path dir, int published) throws IOException {
        Map<String, Map<String, Row>> rows = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            Matcher m = FILE.matcher(f.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Path start = dir.resolve(m.group(1) + "-" + m.group(2) + ".start");
            if (!Files.exists(start)) {
                continue;
            }
            double t0 = Double.parseDouble(Files.readString(start).trim());
            rows.computeIfAbsent(m.group(2), k -> new LinkedHashMap<>())
                    .put(m.group(1), row(Files.readAllLines(f), t0, published));
        }
        StringBuilder out = new StringBuilder();
        out.append("| row | Mosquitto msg/s | delivered | p50 / p99 ms | clink msg/s | delivered | p50 / p99 ms ")
                .append("| clink / Mosquitto |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        List<String> order = new ArrayList<>(rows.keySet());
        // local before link, QoS 1 before QoS 0, pinned rows last
        order.sort(java.util.Comparator.comparing((String r) -> r.endsWith("-pinned"))
                .thenComparing(r -> r.startsWith("link"))
                .thenComparing(r -> r.contains("qos0"))
                .thenComparing(r -> r));
        for (String name : order) {
            Row mq = rows.get(name).get("mosquitto");
            Row cl = rows.get(name).get("clink");
            out.append("| ").append(name).append(' ');
            cells(out, mq);
            cells(out, cl);
            out.append("| ")
                    .append(
                            mq == null || cl == null || mq.msgPerSecond() == 0
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", cl.msgPerSecond() / mq.msgPerSecond()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static void cells(StringBuilder out, Row r) {
        if (r == null) {
            out.append("| - | - | - ");
            return;
        }
        out.append(String.format(
                Locale.ROOT,
                "| %,.0f | %,d/%,d | %.1f / %.1f ",
                r.msgPerSecond(),
                r.delivered(),
                r.published(),
                r.p50Ms(),
                r.p99Ms()));
    }
}
