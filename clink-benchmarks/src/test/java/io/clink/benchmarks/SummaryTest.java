package io.clink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {

    @TempDir
    Path dir;

    private static String result(String impl, String routes, double score, double bytes) {
        return "{\"benchmark\":\"io.clink.benchmarks.RouteMatchBenchmark.match\",\"params\":{\"impl\":\"" + impl
                + "\",\"routes\":\"" + routes + "\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":\"NaN\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + "}}}";
    }

    private String render() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.render(dir, "quick", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void render_matchResults_clinkRatioToFastestOtherOfSameRouteCount() throws IOException {
        Files.writeString(
                dir.resolve("match-quick.json"),
                "["
                        + String.join(
                                ",",
                                result("clink", "1000", 900.0, 0.01),
                                result("naive", "1000", 100.0, 1.0),
                                result("hivemq", "1000", 300.0, 1500.0),
                                result("clink", "100000", 500.0, 0.0),
                                result("moquette", "100000", 1000.0, 7000.0))
                        + "]");

        String md = render();

        assertThat(md).contains("| 1,000 | clink | 900 | NaN | 0 | **3.0×** (vs hivemq) |");
        assertThat(md).contains("| 100,000 | clink | 500 | NaN | 0 | **0.5×** (vs moquette) |");
        assertThat(md).contains("| 1,000 | hivemq | 300 | NaN | 1,500 |  |");
    }

    @Test
    void render_heapRows_clinkRatioToSmallestOther() throws IOException {
        Files.writeString(
                dir.resolve("heap-quick.txt"),
                String.join(
                        "\n",
                        "| impl      |     routes |   heap (MiB) |    bytes/route |",
                        "|-----------|------------|--------------|----------------|",
                        "| clink     |  1,000,000 |        117.9 |          120.0 |",
                        "| naive     |  1,000,000 |         94.9 |          100.0 |",
                        "| hivemq    |  1,000,000 |        192.2 |          200.0 |"));

        String md = render();

        assertThat(md).contains("| clink | 1,000,000 | 117.9 | 120.0 | **1.20×** (vs naive) |");
        assertThat(md).doesNotContain("Route matching");
    }

    private static String forward(String method, String path, double score, String percentiles) {
        return "{\"benchmark\":\"io.clink.benchmarks.E2eForwardBenchmark." + method + "\",\"params\":{\"path\":\""
                + path + "\",\"window\":\"100\",\"publishers\":\"1\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"" + (method.equals("latency") ? "us/op" : "ops/s")
                + "\"" + percentiles + "}}";
    }

    @Test
    void render_endToEndResults_efficiencyPercentilesAndBootstrap() throws IOException {
        Files.writeString(
                dir.resolve("forward-quick.json"),
                "["
                        + String.join(
                                ",",
                                forward("throughput", "local", 2000.0, ""),
                                forward("throughput", "forwarded", 1700.0, ""),
                                forward(
                                        "latency",
                                        "local",
                                        900.0,
                                        ",\"scorePercentiles\":{\"50.0\":500.0,\"99.0\":2000.0}"),
                                forward(
                                        "latency",
                                        "forwarded",
                                        1500.0,
                                        ",\"scorePercentiles\":{\"50.0\":800.0,\"99.0\":3500.5}"))
                        + "]");
        Files.writeString(
                dir.resolve("propagation-quick.json"),
                "[{\"benchmark\":\"io.clink.benchmarks."
                        + "E2eRoutePropagationBenchmark.subscribeToFirstMessage\",\"params\":{},\"primaryMetric\":{"
                        + "\"score\":7.0,\"scoreError\":1.0,\"scoreUnit\":\"ms/op\",\"scorePercentiles\":{\"50.0\":6.0,"
                        + "\"99.0\":18.5},\"rawDataHistogram\":[[[[5.0,2],[6.0,3]],[[18.5,1]]]]}}]");
        Files.writeString(
                dir.resolve("bootstrap-quick.json"),
                "[{\"benchmark\":\"io.clink.benchmarks."
                        + "E2eBootstrapBenchmark.bootstrap\",\"params\":{\"routes\":\"100000\"},\"primaryMetric\":{"
                        + "\"score\":1250.4,\"scoreError\":344.8,\"scoreUnit\":\"ms/op\","
                        + "\"rawData\":[[1186.9,1235.4,1340.6,1144.9,1342.8]]}}]");

        String md = render();

        assertThat(md)
                .contains("| QoS 1 throughput, 100 B, window 100 (msg/s) | 2,000 ± NaN | 1,700 ± NaN "
                        + "| efficiency **0.85** | ≥ 0.8 |");
        assertThat(md)
                .contains("| QoS 1 latency, one message at a time, p99 (us/op) | 2,000.00 | 3,500.50 "
                        + "| +1,500.50 | |");
        assertThat(md).contains("| p50 6.00, p99 18.50 (n = 6) | p99 **18.50** | p99 ≤ 20 ms |");
        assertThat(md)
                .contains("| bootstrap of 100,000 routes from B to A (ms/op, mean of 5 single shots) | | "
                        + "1,250 ± 345 | **1,250** | ≤ 2000 ms |");
    }
}
