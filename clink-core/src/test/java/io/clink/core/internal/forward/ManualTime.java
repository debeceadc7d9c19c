package io.clink.core.internal.forward;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Deterministic time and execution for unit tests: a ticker that moves only when told, a scheduler whose timers fire
 * when the clock passes them, and an executor that queues tasks until {@link #runUntilIdle()}. Single-threaded.
 * Public for the tests of {@code internal.connection}.
 */
public final class ManualTime implements Ticker, Scheduler, Executor {
    /** 2024-08-06T12:00:00Z, the timestamp base of the protocol vectors. */
    static final long EPOCH_MILLIS = 1_722_945_600_000L;
    private static final int MAX_TASKS_PER_RUN = 1_000_000;

    private static final class Timer {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }
    }

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong((Timer t) -> t.due).thenComparingLong(t -> t.seq));
    private long nanos;
    private long wallOffsetMillis;
    private long seq;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallClockMillis() {
        return EPOCH_MILLIS + wallOffsetMillis + nanos / 1_000_000;
    }

    /** Moves the wall clock alone (NTP step), leaving the monotonic clock. */
    public void stepWallClock(Duration by) {
        wallOffsetMillis += by.toMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Timer t = new Timer(nanos + Math.max(0, delay.toNanos()), seq++, task);
        timers.add(t);
        return () -> {
            boolean was = !t.cancelled && timers.remove(t);
            t.cancelled = true;
            return was;
        };
    }

    @Override
    public void execute(Runnable command) {
        tasks.add(command);
    }

    /** Runs queued tasks, including the ones they queue, until none is left. */
    public int runUntilIdle() {
        int n = 0;
        for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
            if (++n > MAX_TASKS_PER_RUN) {
                throw new AssertionError("more than " + MAX_TASKS_PER_RUN + " tasks: a loop?");
            }
            r.run();
        }
        return n;
    }

    /** Runs what is queued, then moves the clock forward firing due timers in order, running tasks after each. */
    public void advance(Duration by) {
        long target = nanos + by.toNanos();
        runUntilIdle();
        for (Timer t = timers.peek(); t != null && t.due <= target; t = timers.peek()) {
            timers.poll();
            nanos = Math.max(nanos, t.due);
            t.task.run();
            runUntilIdle();
        }
        nanos = target;
        runUntilIdle();
    }

    public int pendingTimers() {
        return timers.size();
    }

    /** Delay until the next timer, or null if none. */
    public Duration nextTimerIn() {
        Timer t = timers.peek();
        return t == null ? null : Duration.ofNanos(t.due - nanos);
    }
}
