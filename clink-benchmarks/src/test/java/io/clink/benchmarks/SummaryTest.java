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
        Files.writeString(dir.resolve("match-quick.json"), "[" + String.join(",",
                result("clink", "1000", 900.0, 0.01),
                result("naive", "1000", 100.0, 1.0),
                result("hivemq", "1000", 300.0, 1500.0),
                result("clink", "100000", 500.0, 0.0),
                result("moquette", "100000", 1000.0, 7000.0)) + "]");

        String md = render();

        assertThat(md).contains("| 1,000 | clink | 900 | NaN | 0 | **3.0×** (vs hivemq) |");
        assertThat(md).contains("| 100,000 | clink | 500 | NaN | 0 | **0.5×** (vs moquette) |");
        assertThat(md).contains("| 1,000 | hivemq | 300 | NaN | 1,500 |  |");
    }

    @Test
    void render_heapRows_clinkRatioToSmallestOther() throws IOException {
        Files.writeString(dir.resolve("heap-quick.txt"), String.join("\n",
                "| impl      |     routes |   heap (MiB) |    bytes/route |",
                "|-----------|------------|--------------|----------------|",
                "| clink     |  1,000,000 |        117.9 |          120.0 |",
                "| naive     |  1,000,000 |         94.9 |          100.0 |",
                "| hivemq    |  1,000,000 |        192.2 |          200.0 |"));

        String md = render();

        assertThat(md).contains("| clink | 1,000,000 | 117.9 | 120.0 | **1.20×** (vs naive) |");
        assertThat(md).doesNotContain("Route matching");
    }
}
