package io.clink.core.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.time.Cancellable;
import io.clink.testkit.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardedSchedulerTest {

    private final ManualTime time = ManualTime.startingAt(0, java.time.Instant.ofEpochMilli(1_722_945_600_000L));
    private final FailingScheduler primary = new FailingScheduler(time.scheduler());
    private final ManualTime fallbackTime =
            ManualTime.startingAt(0, java.time.Instant.ofEpochMilli(1_722_945_600_000L));
    private final FailingScheduler fallback = new FailingScheduler(fallbackTime.scheduler());
    private final GuardedScheduler timers = new GuardedScheduler("test", primary, fallback, time.executor());
    private int runs;

    @Test
    void schedule_healthyScheduler_runsOnTheSerialExecutorAfterTheDelay() {
        timers.schedule(Duration.ofSeconds(2), () -> runs++);

        time.advance(Duration.ofMillis(1999));
        assertThat(runs).isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(runs).isEqualTo(1);
        time.advance(Duration.ofMinutes(1));
        assertThat(runs).isEqualTo(1);
    }

    @Test
    void schedule_schedulerThrowsOnce_armedAgainOnTheNextTurnWithTheSameDelay() {
        primary.failNext(1);

        timers.schedule(Duration.ofSeconds(2), () -> runs++);
        time.runUntilIdle();

        assertThat(primary.refused()).isEqualTo(1);
        assertThat(time.pendingTimers()).isEqualTo(1);
        time.advance(Duration.ofMillis(1999));
        assertThat(runs).isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(runs).isEqualTo(1);
        assertThat(fallbackTime.pendingTimers()).isZero();
    }

    @Test
    void schedule_schedulerThrowsTwice_usesTheFallbackScheduler() {
        primary.failNext(2);

        timers.schedule(Duration.ofSeconds(2), () -> runs++);
        time.runUntilIdle();

        assertThat(time.pendingTimers()).isZero();
        assertThat(fallbackTime.pendingTimers()).isEqualTo(1);
        fallbackTime.advance(Duration.ofSeconds(2)); // the fallback's thread hands the task to the serial executor
        assertThat(runs).isZero();
        time.runUntilIdle();
        assertThat(runs).isEqualTo(1);
    }

    @Test
    void schedule_everySchedulerThrows_runsTheTaskAtOnceRatherThanNever() {
        primary.failNext(2);
        fallback.failNext(1);

        timers.schedule(Duration.ofSeconds(2), () -> runs++);
        time.runUntilIdle();

        assertThat(runs).isEqualTo(1);
    }

    @Test
    void cancel_beforeTheRetriedArm_preventsTheTask() {
        primary.failNext(1);

        Cancellable c = timers.schedule(Duration.ofSeconds(2), () -> runs++);
        assertThat(c.cancel()).isTrue();
        time.advance(Duration.ofMinutes(1));

        assertThat(runs).isZero();
        assertThat(time.pendingTimers()).isZero();
        assertThat(c.cancel()).isFalse();
    }

    @Test
    void cancel_afterTheTaskRan_returnsFalse() {
        Cancellable c = timers.schedule(Duration.ofSeconds(1), () -> runs++);
        time.advance(Duration.ofSeconds(1));

        assertThat(c.cancel()).isFalse();
        assertThat(runs).isEqualTo(1);
    }

    @Test
    void cancel_afterTheFallbackFiredButBeforeTheSerialTurn_preventsTheTask() {
        primary.failNext(2);
        Cancellable c = timers.schedule(Duration.ofSeconds(1), () -> runs++);
        time.runUntilIdle(); // second arm: refused again, so armed on the fallback
        fallbackTime.advance(Duration.ofSeconds(1)); // fired: the task now waits for the serial executor

        assertThat(c.cancel()).isTrue();
        time.runUntilIdle();

        assertThat(runs).isZero();
    }
}
