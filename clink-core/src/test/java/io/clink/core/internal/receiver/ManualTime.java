package io.clink.core.internal.receiver;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Test time: a ticker that moves only when told, a scheduler whose timers fire as the clock passes them, and an
 * executor that queues tasks until drained. All on the test thread, so runs are deterministic.
 */
final class ManualTime implements Ticker, Scheduler, Executor {

    /** Bound on tasks run by one drain, so a runaway reschedule loop fails the test instead of hanging it. */
    private static final int MAX_TASKS_PER_DRAIN = 100_000;

    private record Timer(long due, long seq, Runnable task) {}

    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong(Timer::due).thenComparingLong(Timer::seq));
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    // A non-zero origin, so nothing relies on the clock starting at 0.
    private long nanos = 7_000_000_000L;
    private long seq;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallClockMillis() {
        return 1_722_945_600_000L + nanos / 1_000_000;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Timer t = new Timer(nanos + Math.max(0, delay.toNanos()), seq++, task);
        timers.add(t);
        return () -> timers.remove(t);
    }

    @Override
    public void execute(Runnable command) {
        queue.add(command);
    }

    /** Runs queued executor tasks (and those they queue) until none is left. */
    void drain() {
        int ran = 0;
        Runnable r;
        while ((r = queue.poll()) != null) {
            if (++ran > MAX_TASKS_PER_DRAIN) {
                throw new AssertionError("executor did not go idle after " + MAX_TASKS_PER_DRAIN + " tasks");
            }
            r.run();
        }
    }

    /** Moves the clock forward, firing every timer due on the way at its own instant, draining after each. */
    void advance(Duration d) {
        long target = nanos + d.toNanos();
        drain();
        int fired = 0;
        while (!timers.isEmpty() && timers.peek().due() <= target) {
            if (++fired > MAX_TASKS_PER_DRAIN) {
                throw new AssertionError("too many timers fired in one advance");
            }
            Timer t = timers.poll();
            nanos = t.due();
            t.task().run();
            drain();
        }
        nanos = target;
    }

    /** Moves the clock forward firing due timers, but leaves what they queue on the executor. */
    void advanceWithoutDraining(Duration d) {
        long target = nanos + d.toNanos();
        while (!timers.isEmpty() && timers.peek().due() <= target) {
            Timer t = timers.poll();
            nanos = t.due();
            t.task().run();
        }
        nanos = target;
    }

    int queuedTasks() {
        return queue.size();
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    int pendingTimers() {
        return timers.size();
    }
}
