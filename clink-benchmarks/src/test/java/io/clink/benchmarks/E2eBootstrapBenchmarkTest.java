package io.clink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.topic.Subscription;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class E2eBootstrapBenchmarkTest {

    @Test
    void filter_hundredThousand_allDistinctAndValidPlainFilters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String f = E2eBootstrapBenchmark.filter(i);
            assertThat(seen.add(f)).as("filter %d (%s) is new", i, f).isTrue();
            assertThat(Subscription.parse(f).toString()).isEqualTo(f);
        }

        assertThat(seen).hasSize(100_000);
        assertThat(seen)
                .contains(
                        "site/0/device/0/+",
                        "site/0/device/1/telemetry/temp",
                        "site/0/zone/2/+/alarm/#",
                        "fleet/99/999/status");
    }
}
