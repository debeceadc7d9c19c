package io.clink.core.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clink.core.LinkRate;
import io.clink.testkit.ManualTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchedRatesTest {

    private static final Duration TICK = Duration.ofSeconds(LinkRate.SAMPLING_SECONDS);

    private final ManualTime time = ManualTime.create();
    private final Map<String, Long> matched = new HashMap<>();
    private final Set<String> links = new LinkedHashSet<>(Set.of("b"));
    private final MatchedRates rates = new MatchedRates(time.scheduler(), () -> Set.copyOf(links), matched::get);

    @Test
    void rate_beforeFirstSample_isZero() {
        matched.put("b", 500L);
        rates.start();
        time.advance(TICK.minusSeconds(1));

        assertThat(rates.rate("b")).isEqualTo(LinkRate.ZERO);
    }

    @Test
    void rate_afterSamples_currentIsLastIntervalMaxIsHighestLast5mIsMeanSoFar() {
        rates.start();
        matched.put("b", 100L); // 10/s over the first interval
        time.advance(TICK);
        matched.put("b", 400L); // 30/s
        time.advance(TICK);
        matched.put("b", 450L); // 5/s
        time.advance(TICK);

        LinkRate r = rates.rate("b");
        assertThat(r.current()).isEqualTo(5.0);
        assertThat(r.max()).isEqualTo(30.0);
        assertThat(r.last5m()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void rate_afterMoreThanFiveMinutes_last5mAveragesOnlyTheLastThirtySamples() {
        rates.start();
        long value = 0;
        // 30 samples at 100/s, then 30 at 10/s: the first window is entirely pushed out.
        for (int i = 0; i < 2 * RateWindow.SAMPLES_5M; i++) {
            value += (i < RateWindow.SAMPLES_5M ? 100 : 10) * LinkRate.SAMPLING_SECONDS;
            matched.put("b", value);
            time.advance(TICK);
        }
        LinkRate r = rates.rate("b");
        assertThat(r.current()).isEqualTo(10.0);
        assertThat(r.max()).isEqualTo(100.0);
        assertThat(r.last5m()).isCloseTo(10.0, within(1e-9));

        // One more fast sample: the mean moves by (100 - 10) / 30.
        matched.put("b", value + 100 * LinkRate.SAMPLING_SECONDS);
        time.advance(TICK);
        assertThat(rates.rate("b").last5m()).isCloseTo(13.0, within(1e-9));
    }

    @Test
    void reset_thenCounterFromZero_measuresFromZeroAndForgetsMax() {
        rates.start();
        matched.put("b", 1000L);
        time.advance(TICK);
        matched.put("b", 0L);
        rates.reset("b");
        matched.put("b", 20L);
        time.advance(TICK);

        assertThat(rates.rate("b")).isEqualTo(new LinkRate(2.0, 2.0, 2.0));
    }

    @Test
    void tick_linkRemovedFromConfiguration_forgetsItsWindow() {
        rates.start();
        matched.put("b", 100L);
        time.advance(TICK);
        links.clear();
        time.advance(TICK);

        assertThat(rates.rate("b")).isEqualTo(LinkRate.ZERO);
    }

    @Test
    void stop_cancelsTheTimer() {
        rates.start();
        rates.stop();
        matched.put("b", 100L);
        time.advance(TICK.multipliedBy(3));

        assertThat(rates.rate("b")).isEqualTo(LinkRate.ZERO);
        assertThat(time.pendingTimers()).isZero();
    }
}
