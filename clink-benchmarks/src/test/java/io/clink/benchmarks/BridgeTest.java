package io.clink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeTest {

    @TempDir
    Path dir;

    @Test
    void stamp_threeLines_numberedWithAscendingMicrosAndTheFirstInTheStartFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path start = dir.resolve("x.start");

        Bridge.stamp(3, out, start);

        String[] lines = out.toString(StandardCharsets.US_ASCII).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("1 ");
        assertThat(lines[2]).startsWith("3 ");
        long first = Long.parseLong(lines[0].split(" ")[1]);
        assertThat(Long.parseLong(lines[2].split(" ")[1])).isGreaterThanOrEqualTo(first);
        assertThat(Double.parseDouble(Files.readString(start).trim()))
                .isEqualTo(first / 1e6, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void row_duplicatesProbesAndOutOfRange_countedOnceOrIgnored() {
        // arrival 100.5 s; stamps 100.0 s and 100.4 s (microseconds)
        List<String> lines = List.of(
                "100.500000000 1 100000000",
                "100.500000000 1 100000000",
                "100.400000000 probe",
                "100.500000000 9 100000000",
                "101.000000000 2 100400000");

        Bridge.Row r = Bridge.row(lines, 100.0, 4);

        assertThat(r.delivered()).isEqualTo(2);
        assertThat(r.published()).isEqualTo(4);
        assertThat(r.msgPerSecond()).isEqualTo(2.0);
        assertThat(r.p50Ms()).isEqualTo(500.0);
        assertThat(r.p99Ms()).isEqualTo(600.0);
    }

    @Test
    void report_bothBrokers_ratioOfClinkToMosquittoInRowOrder() throws Exception {
        Files.writeString(
                dir.resolve("mosquitto-local-qos1.txt"), "101.000000000 1 100000000\n101.000000000 2 100000000\n");
        Files.writeString(dir.resolve("mosquitto-local-qos1.start"), "100.0\n");
        Files.writeString(
                dir.resolve("clink-local-qos1.txt"), "102.000000000 1 100000000\n102.000000000 2 100000000\n");
        Files.writeString(dir.resolve("clink-local-qos1.start"), "100.0\n");
        Files.writeString(dir.resolve("clink-link-qos1.txt"), "102.000000000 1 100000000\n");
        Files.writeString(dir.resolve("clink-link-qos1.start"), "100.0\n");

        String table = Bridge.report(dir, 2);

        List<String> rows = table.lines().skip(2).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .startsWith("| local-qos1 | 2 | 2/2 | 1000.0 / 1000.0 | 1 | 2/2 | 2000.0 / 2000.0 | 0.50 |");
        assertThat(rows.get(1))
                .startsWith("| link-qos1 | - | - | - | 1 | 1/2 |")
                .endsWith("| - |");
    }
}
