package io.clink.core.internal.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @ParameterizedTest
    @CsvSource({"0, 1000", "1, 2000", "2, 4000", "5, 32000", "6, 60000", "7, 60000", "63, 60000", "1000, 60000"})
    void delay_noJitter_doublesUpToMax(int attempt, long expectedMillis) {
        Backoff backoff = new Backoff(SECOND, MINUTE, 0, () -> 0.5);

        assertThat(backoff.delay(attempt)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void delay_jitterExtremes_spreadAroundBase() {
        assertThat(new Backoff(SECOND, MINUTE, 0.25, () -> 0.0).delay(1)).isEqualTo(Duration.ofMillis(1500));
        assertThat(new Backoff(SECOND, MINUTE, 0.25, () -> 0.999_999_999).delay(1).toMillis()).isEqualTo(2499);
    }

    @Test
    void delay_jitterAtCap_neverExceedsMax() {
        Backoff backoff = new Backoff(SECOND, MINUTE, 0.5, () -> 0.999);

        assertThat(backoff.delay(20)).isLessThanOrEqualTo(MINUTE);
    }

    @Test
    void constructor_badValues_rejectedNamingValue() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MINUTE, 0, () -> 0))
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new Backoff(MINUTE, SECOND, 0, () -> 0)).hasMessageContaining("PT1S");
        assertThatThrownBy(() -> new Backoff(SECOND, MINUTE, 1.0, () -> 0)).hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Backoff(SECOND, MINUTE, 0, () -> 0).delay(-1)).hasMessageContaining("-1");
    }
}
