package io.clink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyPercentilesTest {

    @Test
    void percentile_hundredSamples_nearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 10L;
        }

        assertThat(LatencyPercentiles.percentile(sorted, 0.50)).isEqualTo(500);
        assertThat(LatencyPercentiles.percentile(sorted, 0.99)).isEqualTo(990);
        assertThat(LatencyPercentiles.percentile(sorted, 0.999)).isEqualTo(1000);
        assertThat(LatencyPercentiles.percentile(sorted, 1.0)).isEqualTo(1000);
    }

    @Test
    void percentile_singleSample_thatSampleAtEveryLevel() {
        assertThat(LatencyPercentiles.percentile(new long[] {7}, 0.01)).isEqualTo(7);
        assertThat(LatencyPercentiles.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    }

    @Test
    void percentile_noSamplesOrBadLevel_rejected() {
        assertThatThrownBy(() -> LatencyPercentiles.percentile(new long[0], 0.5))
                .hasMessageContaining("no samples");
        assertThatThrownBy(() -> LatencyPercentiles.percentile(new long[] {1}, 0))
                .hasMessageContaining("level must be in (0, 1], got 0.0");
    }

    @Test
    void line_unsortedNanos_sortsAndPrintsMicros() {
        long[] samples = {4_000, 1_000, 3_000, 2_000};

        String line = LatencyPercentiles.line("x", samples);

        assertThat(line).isEqualTo("x: n=4 p50=2.0 p90=4.0 p99=4.0 p99.9=4.0 max=4.0 us");
        assertThat(samples).containsExactly(4_000, 1_000, 3_000, 2_000);
    }
}
