package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ResourceOptions, TcpOptions, TcpKeepalive, DispatchStrategy, ReconnectBackoff and ConfigOption. */
class OptionsTest {

    // ---- resource_opts --------------------------------------------------------------------------------------------

    @Test
    void resourceOptions_defaults_matchEmqxTable52() {
        ResourceOptions r = ResourceOptions.DEFAULT;
        assertThat(r.dispatchStrategy()).isEqualTo(DispatchStrategy.PER_CLIENTID);
        assertThat(r.requestTtl()).isEqualTo(Duration.ofSeconds(45));
        assertThat(r.inflightWindow()).isEqualTo(100);
        assertThat(r.maxBufferBytes()).isEqualTo(268_435_456L);
    }

    @Test
    void resourceOptions_ranges_areChecked() {
        assertThatThrownBy(() -> ResourceOptions.builder().requestTtl(Duration.ofMinutes(61)))
                .hasMessage("resource_opts.request_ttl: must be between 1ms and 1h, got 61m");
        assertThatThrownBy(() -> ResourceOptions.builder().inflightWindow(0))
                .hasMessage("resource_opts.inflight_window: must be in 1..65535, got 0");
        assertThatThrownBy(() -> ResourceOptions.builder().maxBufferBytes(0))
                .hasMessage("resource_opts.max_buffer_bytes: must be in 1..1099511627776, got 0");
    }

    @Test
    void resourceOptions_setValues_areKeptAndCompared() {
        ResourceOptions r = ResourceOptions.builder()
                .dispatchStrategy(DispatchStrategy.RANDOM)
                .requestTtl(Duration.ofSeconds(9))
                .inflightWindow(7)
                .maxBufferBytes(1000)
                .build();
        assertThat(r.dispatchStrategy()).isEqualTo(DispatchStrategy.RANDOM);
        assertThat(r.inflightWindow()).isEqualTo(7);
        assertThat(r).isNotEqualTo(ResourceOptions.DEFAULT);
        assertThat(ResourceOptions.builder().build())
                .isEqualTo(ResourceOptions.DEFAULT)
                .hasSameHashCodeAs(ResourceOptions.DEFAULT);
        assertThat(r.toString()).contains("dispatch_strategy=random").contains("request_ttl=9s");
    }

    @Test
    void resourceOptions_setTwice_failsAtBuild() {
        assertThatThrownBy(() -> ResourceOptions.builder()
                        .inflightWindow(1)
                        .inflightWindow(2)
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("resource_opts.inflight_window: set more than once");
    }

    @ParameterizedTest
    @CsvSource({"per_clientid, PER_CLIENTID", "random, RANDOM", "RANDOM, RANDOM"})
    void dispatchStrategy_parse_acceptsConfigValues(String text, DispatchStrategy expected) {
        assertThat(DispatchStrategy.parse(text)).isEqualTo(expected);
        assertThat(expected.configValue()).isEqualTo(expected.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void dispatchStrategy_parse_unknown_failsWithValue() {
        assertThatThrownBy(() -> DispatchStrategy.parse("per_topic"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("resource_opts.dispatch_strategy: must be per_clientid or random, got 'per_topic'");
    }

    // ---- tcp_opts ---------------------------------------------------------------------------------------------------

    @Test
    void tcpOptions_default_leavesEverythingUnset() {
        TcpOptions t = TcpOptions.DEFAULT;
        assertThat(t.nodelay()).isEmpty();
        assertThat(t.sndbuf()).isEmpty();
        assertThat(t.recbuf()).isEmpty();
        assertThat(t.keepalive()).isEmpty();
    }

    @Test
    void tcpOptions_allSet_keepsValues() {
        TcpOptions t = TcpOptions.builder()
                .nodelay(true)
                .sndbuf(65536)
                .recbuf(32768)
                .keepalive("240,30,5")
                .build();
        assertThat(t.nodelay()).contains(true);
        assertThat(t.sndbuf()).hasValue(65536);
        assertThat(t.recbuf()).hasValue(32768);
        assertThat(t.keepalive()).contains(new TcpKeepalive(240, 30, 5));
        assertThat(t).isNotEqualTo(TcpOptions.DEFAULT);
        assertThat(t.toString()).contains("keepalive=240,30,5").contains("sndbuf=65536");
    }

    @Test
    void tcpOptions_badSizes_failWithValue() {
        assertThatThrownBy(() -> TcpOptions.builder().sndbuf(0))
                .hasMessage("tcp_opts.sndbuf: must be in 1..2147483647, got 0");
    }

    @Test
    void tcpKeepalive_none_meansUnset() {
        assertThat(TcpOptions.builder().keepalive("none").build().keepalive()).isEmpty();
        assertThat(TcpOptions.builder().keepalive(" NONE ").build().keepalive()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "240,30 | must be \"Idle,Interval,Probes\" or \"none\", got '240,30'",
                "a,b,c | three integers, got 'a,b,c'",
                "0,30,5 | tcp_opts.keepalive.idle: must be in 1..7200, got 0",
                "240,30,200 | tcp_opts.keepalive.probes: must be in 1..127, got 200",
                "240,,5 | three integers",
            })
    void tcpKeepalive_invalid_failsWithValue(String spec, String expected) {
        assertThatThrownBy(() -> TcpOptions.builder().keepalive(spec))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void tcpKeepalive_toString_roundTrips() {
        TcpKeepalive k = TcpKeepalive.parse("240, 30, 5");
        assertThat(k.toString()).isEqualTo("240,30,5");
        assertThat(TcpKeepalive.parse(k.toString())).isEqualTo(k);
    }

    // ---- reconnect
    // ----------------------------------------------------------------------------------------------------

    @Test
    void backoff_default_isOneSecondToTenWithQuarterJitter() {
        assertThat(ReconnectBackoff.DEFAULT)
                .isEqualTo(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.25));
    }

    @Test
    void delay_midRandom_doublesUntilCap() {
        ReconnectBackoff b = ReconnectBackoff.DEFAULT.withMaxDelay(Duration.ofSeconds(20));
        long[] expectedSeconds = {1, 2, 4, 8, 16, 20, 20};
        for (int attempt = 0; attempt < expectedSeconds.length; attempt++) {
            assertThat(b.delay(attempt, 0.5))
                    .as("attempt %d", attempt)
                    .isEqualTo(Duration.ofSeconds(expectedSeconds[attempt]));
        }
        assertThat(b.delay(1_000_000, 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.delay(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void delay_extremeRandom_staysWithinJitterAndCap() {
        ReconnectBackoff b = ReconnectBackoff.DEFAULT;
        assertThat(b.delay(2, 0.0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delay(2, 0.999_999_999)).isBetween(Duration.ofMillis(4999), Duration.ofSeconds(5));
        assertThat(b.delay(3, 0.999_999_999)).isBetween(Duration.ofMillis(9999), Duration.ofSeconds(10));
        assertThat(b.delay(10, 0.999_999_999)).isEqualTo(Duration.ofSeconds(10));
        ReconnectBackoff noJitter = b.withJitter(0);
        assertThat(noJitter.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(noJitter.delay(3, 0.9)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void delay_thousandConsecutiveFailuresWithFullJitter_neverExceedsTheCap() {
        ReconnectBackoff b = ReconnectBackoff.DEFAULT.withJitter(1);
        double[] randoms = {0.0, 0.5, 0.75, 0.999_999_999};
        for (int attempt = 0; attempt < 1000; attempt++) {
            for (double r : randoms) {
                assertThat(b.delay(attempt, r))
                        .as("attempt %d, random %s", attempt, r)
                        .isLessThanOrEqualTo(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void delay_badArguments_fail() {
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.delay(-1, 0.5))
                .hasMessage("attempt must not be negative: -1");
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.delay(0, 1.0)).hasMessage("random must be in [0, 1): 1.0");
    }

    @Test
    void backoff_invalid_failsNamingOption() {
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.withMaxDelay(Duration.ofMillis(500)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("reconnect.max_delay: must be at least initial_delay (1s), got 500ms");
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.withJitter(1.5))
                .hasMessage("reconnect.jitter: must be in 0..1, got 1.5");
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.withJitter(Double.NaN))
                .hasMessageContaining("got NaN");
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.withInitialDelay(Duration.ZERO))
                .hasMessage("reconnect.initial_delay: must be between 1ms and 20s, got 0s");
    }

    @Test
    void backoff_maxDelayAboveTheActorTtlBound_failsNamingTheValue() {
        assertThatThrownBy(() -> ReconnectBackoff.DEFAULT.withMaxDelay(Duration.ofSeconds(60)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("reconnect.max_delay: must be at most 20s (the peer collects a route actor 30s after its "
                        + "last heartbeat), got 1m");
        assertThat(ReconnectBackoff.DEFAULT.withMaxDelay(Duration.ofSeconds(20)).maxDelay())
                .isEqualTo(ReconnectBackoff.MAX_DELAY_LIMIT);
    }

    // ---- ConfigOption
    // -------------------------------------------------------------------------------------------------

    @Test
    void configOption_kinds_describeThemselves() {
        assertThat(LinkConfig.NAME.toString()).isEqualTo("name (required)");
        assertThat(LinkConfig.POOL_SIZE.toString()).isEqualTo("pool_size (default 8)");
        assertThat(LinkConfig.USERNAME.toString()).isEqualTo("username (optional)");
        assertThat(LinkConfig.POOL_SIZE.defaultOrThrow()).isEqualTo(8);
        assertThatThrownBy(LinkConfig.NAME::defaultOrThrow)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("option name has no default");
    }
}
