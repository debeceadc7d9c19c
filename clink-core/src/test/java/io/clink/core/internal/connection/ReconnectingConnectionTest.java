package io.clink.core.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.config.ReconnectBackoff;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClientOptions;
import io.clink.core.internal.testing.FakeTransport;
import io.clink.core.internal.testing.FakeTransport.FakeClient;
import io.clink.testkit.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReconnectingConnectionTest {

    private static final ReconnectBackoff FULL_JITTER = ReconnectBackoff.DEFAULT.withJitter(1);

    private final ManualTime time = ManualTime.startingAt(0, java.time.Instant.ofEpochMilli(1_722_945_600_000L));
    private final FailingScheduler scheduler = new FailingScheduler(time.scheduler());
    private final GuardedScheduler timers = new GuardedScheduler("test", scheduler, time.scheduler(), time.executor());
    private double random = 0.5;
    private int attempts;

    private ReconnectingConnection connection(ReconnectBackoff backoff, Duration cap) {
        return new ReconnectingConnection(backoff, cap, timers, () -> random);
    }

    @Test
    void retry_thousandConsecutiveFailuresWithFullJitter_noDelayExceedsTheCap() {
        ReconnectingConnection c = connection(FULL_JITTER, FULL_JITTER.maxDelay());
        double[] randoms = {0.999_999_999, 0.0, 0.9, 0.5, 0.75};
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 1000; i++) {
            random = randoms[i % randoms.length];
            c.nextGeneration(); // a connect attempt
            c.nextGeneration(); // and its failure
            Duration d = c.retry(() -> attempts++);
            assertThat(d).as("failure %d", i + 1).isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(time.nextTimerDelay().orElseThrow()).isEqualTo(d);
            longest = d.compareTo(longest) > 0 ? d : longest;
            time.advance(d);
            assertThat(attempts).isEqualTo(i + 1);
        }
        assertThat(longest).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.attempt()).isEqualTo(62);
    }

    @Test
    void retry_capBelowTheBackoffsMax_clampsEveryDelay() {
        ReconnectingConnection c = connection(FULL_JITTER, Duration.ofSeconds(3));
        random = 0.999_999_999;
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            millis.add(c.retry(() -> {}).toMillis());
        }
        assertThat(millis).containsExactly(1999L, 3000L, 3000L, 3000L, 3000L, 3000L);
    }

    @Test
    void retry_randomOutsideTheUnitInterval_meansNoJitterInsteadOfThrowing() {
        ReconnectingConnection c = connection(FULL_JITTER, FULL_JITTER.maxDelay());
        random = 1.0;
        assertThat(c.retry(() -> {})).isEqualTo(Duration.ofSeconds(1));
        random = Double.NaN;
        assertThat(c.retry(() -> {})).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retry_generationMovedOn_pendingRetryDropsItself() {
        ReconnectingConnection c = connection(ReconnectBackoff.DEFAULT, Duration.ofSeconds(10));
        c.retry(() -> attempts++);
        c.nextGeneration();

        time.advance(Duration.ofMinutes(1));

        assertThat(attempts).isZero();
    }

    @Test
    void schedule_boundToTheGenerationItWasMadeIn() {
        ReconnectingConnection c = connection(ReconnectBackoff.DEFAULT, Duration.ofSeconds(10));
        c.schedule(Duration.ofSeconds(5), () -> attempts++);
        c.nextGeneration();
        c.schedule(Duration.ofSeconds(5), () -> attempts += 10);

        time.advance(Duration.ofSeconds(5));

        assertThat(attempts).isEqualTo(10);
        assertThat(c.isCurrent(c.generation())).isTrue();
        assertThat(c.isCurrent(c.generation() - 1)).isFalse();
    }

    @Test
    void retry_schedulerThrowsOnce_theRetryStillComes() {
        ReconnectingConnection c = connection(ReconnectBackoff.DEFAULT.withJitter(0), Duration.ofSeconds(10));
        scheduler.failNext(1);

        Duration d = c.retry(() -> attempts++);
        time.advance(d);

        assertThat(scheduler.refused()).isEqualTo(1);
        assertThat(attempts).isEqualTo(1);
    }

    @Test
    void resetBackoff_nextRetryStartsFromTheInitialDelay() {
        ReconnectingConnection c = connection(ReconnectBackoff.DEFAULT.withJitter(0), Duration.ofSeconds(10));
        c.retry(() -> {});
        c.retry(() -> {});
        assertThat(c.retry(() -> {})).isEqualTo(Duration.ofSeconds(4));

        c.resetBackoff();

        assertThat(c.retry(() -> {})).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void poolCap_isMaxDelayButAtMostHalfTheRequestTtlAndAtLeastTheInitialDelay() {
        ReconnectBackoff b = ReconnectBackoff.DEFAULT; // 1 s .. 10 s
        assertThat(ReconnectingConnection.poolCap(b, Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(10));
        assertThat(ReconnectingConnection.poolCap(b, Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(3));
        assertThat(ReconnectingConnection.poolCap(b, Duration.ofMillis(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void constructor_negativeCap_failsNamingIt() {
        assertThatThrownBy(() -> connection(ReconnectBackoff.DEFAULT, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cap must not be negative: PT-1S");
    }

    @Test
    void call_outcomeOfAnEarlierGeneration_isDroppedAndTheCurrentOneDelivered() {
        ReconnectingConnection c = connection(FULL_JITTER, FULL_JITTER.maxDelay());
        CompletableFuture<String> stale = new CompletableFuture<>();
        CompletableFuture<String> current = new CompletableFuture<>();
        List<String> seen = new ArrayList<>();
        c.call(() -> stale, (r, e) -> seen.add("stale " + r));
        c.nextGeneration();
        c.call(() -> current, (r, e) -> seen.add("current " + r));

        stale.complete("a");
        current.complete("b");
        assertThat(seen).as("outcomes wait for the serial executor").isEmpty();
        time.runUntilIdle();

        assertThat(seen).containsExactly("current b");
    }

    @Test
    void call_operationThatThrows_reachesTheOwnerAsAFailedOutcome() {
        ReconnectingConnection c = connection(FULL_JITTER, FULL_JITTER.maxDelay());
        List<Throwable> errors = new ArrayList<>();
        c.<String>call(
                () -> {
                    throw new IllegalStateException("boom");
                },
                (r, e) -> errors.add(e));
        time.runUntilIdle();

        assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void connect_lossReportedAfterANewGeneration_isDropped() {
        ReconnectingConnection c = connection(FULL_JITTER, FULL_JITTER.maxDelay());
        FakeTransport transport = new FakeTransport();
        FakeClient client = (FakeClient) transport.createClient(LinkClientOptions.builder()
                .host("127.0.0.1")
                .port(1883)
                .clientId("test")
                .build());
        List<String> seen = new ArrayList<>();
        c.connect(client, reason -> seen.add("lost"), (r, e) -> seen.add(e == null ? "up" : "failed"));
        client.accept();
        time.runUntilIdle();
        assertThat(seen).containsExactly("up");

        c.nextGeneration(); // the owner tore this connection down
        client.drop(new DisconnectReason(DisconnectReason.Cause.SOCKET_ERROR, DisconnectReason.NO_REASON_CODE, "x"));
        time.runUntilIdle();

        assertThat(seen).containsExactly("up");
    }
}
