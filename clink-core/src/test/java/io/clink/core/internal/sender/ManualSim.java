package io.clink.core.internal.sender;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Manual time and execution for unit tests: a ticker that moves only when told, a scheduler whose timers fire as
 * the ticker passes them, and an executor whose tasks run only when drained. Single-threaded; everything runs on
 * the test's thread.
 */
final class ManualSim implements Ticker, Scheduler, Executor {

    /** Wall-clock origin: 2024-08-06T12:00:00Z, as in the protocol's sample encodings. */
    static final long WALL_ORIGIN_MILLIS = 1_722_945_600_000L;
    private static final int MAX_TASKS_PER_DRAIN = 1_000_000;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong((Timer t) -> t.due).thenComparingLong(t -> t.seq));
    private long nanos;
    private long seq;

    private static final class Timer implements Cancellable {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean ran;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || ran) {
                return false;
            }
            cancelled = true;
            return true;
        }
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallClockMillis() {
        return WALL_ORIGIN_MILLIS + nanos / 1_000_000;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Timer t = new Timer(nanos + Math.max(0, delay.toNanos()), seq++, task);
        timers.add(t);
        return t;
    }

    @Override
    public void execute(Runnable command) {
        tasks.add(Objects.requireNonNull(command, "command"));
    }

    /** Runs queued tasks, including those they queue, until none is left. */
    void drain() {
        for (int i = 0; i < MAX_TASKS_PER_DRAIN; i++) {
            Runnable r = tasks.poll();
            if (r == null) {
                return;
            }
            r.run();
        }
        throw new AssertionError("executor still busy after " + MAX_TASKS_PER_DRAIN + " tasks");
    }

    /** Moves time forward, firing due timers in order and draining the executor after each. */
    void advance(Duration d) {
        long target = nanos + d.toNanos();
        drain();
        while (true) {
            Timer next = timers.peek();
            if (next == null || next.due > target) {
                break;
            }
            timers.poll();
            nanos = Math.max(nanos, next.due);
            if (!next.cancelled) {
                next.ran = true;
                next.task.run();
            }
            drain();
        }
        nanos = target;
        drain();
    }

    /** Live (not cancelled, not run) timers. */
    int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled && !t.ran).count();
    }
}
