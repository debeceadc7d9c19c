package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clink.api.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualTimeTest {

    private final ManualTime time = ManualTime.create();
    private final List<String> log = new ArrayList<>();

    @Test
    void schedule_anyDelay_neverRunsOnCallerStack() {
        time.scheduler().schedule(() -> log.add("zero"), Duration.ZERO);
        time.scheduler().schedule(() -> log.add("negative"), Duration.ofSeconds(-1));
        time.executor().execute(() -> log.add("task"));

        assertEquals(List.of(), log);
        time.runUntilIdle();
        assertEquals(List.of("task", "zero", "negative"), log);
    }

    @Test
    void advance_timersDue_runInDeadlineOrderAtTheirDeadline() {
        long start = time.nanoTime();
        time.scheduler().schedule(() -> log.add("c@" + (time.nanoTime() - start)), Duration.ofMillis(30));
        time.scheduler().schedule(() -> log.add("a@" + (time.nanoTime() - start)), Duration.ofMillis(10));
        time.scheduler().schedule(() -> log.add("b@" + (time.nanoTime() - start)), Duration.ofMillis(20));
        time.scheduler().schedule(() -> log.add("d"), Duration.ofMillis(40));

        time.advance(Duration.ofMillis(35));

        assertEquals(List.of("a@10000000", "b@20000000", "c@30000000"), log);
        assertEquals(start + 35_000_000L, time.nanoTime());
        assertEquals(1, time.pendingTimers());
        assertEquals(Optional.of(Duration.ofMillis(5)), time.nextTimerDelay());
    }

    @Test
    void advance_sameDeadline_runsInScheduleOrder() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            time.scheduler().schedule(() -> log.add("t" + n), Duration.ofSeconds(1));
        }
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), log);
    }

    @Test
    void advance_timerSubmitsTasks_drainsExecutorBeforeNextTimer() {
        time.scheduler().schedule(() -> time.executor().execute(() -> log.add("task-of-1")), Duration.ofSeconds(1));
        time.scheduler().schedule(() -> log.add("timer-2"), Duration.ofSeconds(2));

        time.advance(Duration.ofSeconds(3));

        assertEquals(List.of("task-of-1", "timer-2"), log);
    }

    @Test
    void advance_timerSchedulesTimerWithinWindow_firesInSameAdvance() {
        AtomicInteger ticks = new AtomicInteger();
        Runnable[] heartbeat = new Runnable[1];
        heartbeat[0] = () -> {
            ticks.incrementAndGet();
            time.scheduler().schedule(heartbeat[0], Duration.ofSeconds(10));
        };
        time.scheduler().schedule(heartbeat[0], Duration.ofSeconds(10));

        time.advance(Duration.ofSeconds(35));

        assertEquals(3, ticks.get());
        assertEquals(Optional.of(Duration.ofSeconds(5)), time.nextTimerDelay());
    }

    @Test
    void cancel_beforeDue_preventsRunAndReportsTrueOnce() {
        Cancellable c = time.scheduler().schedule(() -> log.add("x"), Duration.ofSeconds(1));

        assertTrue(c.cancel());
        assertFalse(c.cancel());
        time.advance(Duration.ofSeconds(2));

        assertEquals(List.of(), log);
        assertEquals(0, time.pendingTimers());
    }

    @Test
    void cancel_afterRun_returnsFalse() {
        Cancellable c = time.scheduler().schedule(() -> log.add("x"), Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));

        assertFalse(c.cancel());
        assertEquals(List.of("x"), log);
    }

    @Test
    void cancel_byEarlierTimerAtSameDeadline_preventsLaterOne() {
        Cancellable[] later = new Cancellable[1];
        time.scheduler().schedule(() -> later[0].cancel(), Duration.ofSeconds(1));
        later[0] = time.scheduler().schedule(() -> log.add("later"), Duration.ofSeconds(1));

        time.advance(Duration.ofSeconds(1));

        assertEquals(List.of(), log);
    }

    @Test
    void runUntilIdle_selfResubmittingTask_failsAfterTaskLimit() {
        time.taskLimit(50);
        AtomicInteger runs = new AtomicInteger();
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            runs.incrementAndGet();
            time.executor().execute(loop[0]);
        };
        time.executor().execute(loop[0]);

        IllegalStateException e = assertThrows(IllegalStateException.class, time::runUntilIdle);

        assertTrue(e.getMessage().contains("50 tasks without going idle"), e.getMessage());
        assertEquals(50, runs.get());
    }

    @Test
    void runUntilIdle_zeroDelayTimerLoop_failsAfterTaskLimit() {
        time.taskLimit(20);
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> time.scheduler().schedule(loop[0], Duration.ZERO);
        time.scheduler().schedule(loop[0], Duration.ZERO);

        assertThrows(IllegalStateException.class, time::runUntilIdle);
    }

    @Test
    void runUntilIdle_calledFromTask_fails() {
        time.rethrowTaskFailures(false);
        time.executor().execute(time::runUntilIdle);

        time.runUntilIdle();

        assertEquals(1, time.taskFailures().size());
        assertTrue(time.taskFailures().get(0) instanceof IllegalStateException);
    }

    @Test
    void runUntilIdle_taskThrows_laterTasksRunThenDrainFails() {
        time.executor().execute(() -> {
            throw new IllegalArgumentException("boom");
        });
        time.executor().execute(() -> log.add("after"));

        AssertionError e = assertThrows(AssertionError.class, time::runUntilIdle);

        assertEquals(List.of("after"), log);
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertEquals(1, time.taskFailures().size());
    }

    @Test
    void runUntilIdle_taskThrowsWithRethrowOff_onlyRecords() {
        time.rethrowTaskFailures(false);
        time.executor().execute(() -> {
            throw new IllegalStateException("recorded");
        });

        assertEquals(1, time.runUntilIdle());
        assertEquals("recorded", time.taskFailures().get(0).getMessage());
    }

    @Test
    void advance_negative_isRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> time.advance(Duration.ofNanos(-1)));
        assertTrue(e.getMessage().contains("PT-0.000000001S"), e.getMessage());
    }

    @Test
    void advanceTo_backwards_isRejected() {
        long now = time.nanoTime();
        assertThrows(IllegalArgumentException.class, () -> time.advanceTo(now - 1));
        assertEquals(now, time.nanoTime());
    }

    @Test
    void wallClock_jumpsBackwards_monotonicUnaffectedAndTimersStay() {
        long nanos = time.nanoTime();
        time.scheduler().schedule(() -> log.add("x"), Duration.ofSeconds(1));

        time.jumpWallClock(Duration.ofHours(-1));

        assertEquals(
                ManualTime.DEFAULT_WALL_CLOCK_START.minusSeconds(3600).toEpochMilli(),
                time.ticker().wallClockMillis());
        assertEquals(nanos, time.ticker().nanoTime());
        assertEquals(List.of(), log);
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of("x"), log);
    }

    @Test
    void wallClock_advancesWithMonotonicIncludingSubMillisecondSteps() {
        ManualTime t = ManualTime.startingAt(-5, Instant.ofEpochMilli(1_000));
        for (int i = 0; i < 4; i++) {
            t.advance(Duration.ofNanos(250_000));
        }
        assertEquals(1_001, t.ticker().wallClockMillis());
        assertEquals(999_995, t.nanoTime());

        t.setWallClockMillis(42);
        t.advance(Duration.ofMillis(8));
        assertEquals(50, t.wallClockMillis());
    }

    @Test
    void advance_hugeDuration_saturatesInsteadOfOverflowing() {
        time.scheduler().schedule(() -> log.add("far"), Duration.ofDays(365L * 1000));
        time.advance(Duration.ofSeconds(Long.MAX_VALUE / 2));
        assertEquals(Long.MAX_VALUE, time.nanoTime());
        assertEquals(List.of("far"), log);
    }

    @Test
    void advanceHoldingTasks_timerSubmitsTask_timerFiresTaskStaysQueued() {
        time.executor().execute(() -> log.add("queued-before"));
        time.scheduler()
                .schedule(
                        () -> {
                            log.add("timer@" + time.nanoTime());
                            time.executor().execute(() -> log.add("from-timer"));
                        },
                        Duration.ofSeconds(1));
        long start = time.nanoTime();

        time.advanceHoldingTasks(Duration.ofSeconds(2));
        assertEquals(List.of("timer@" + (start + 1_000_000_000L)), log);
        assertEquals(2, time.pendingTasks());
        assertEquals(start + 2_000_000_000L, time.nanoTime());

        time.runUntilIdle();
        assertEquals(List.of("timer@" + (start + 1_000_000_000L), "queued-before", "from-timer"), log);
    }
}
