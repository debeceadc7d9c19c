package io.clink.testkit;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Time that moves only when a test moves it: a {@link Ticker}, a {@link Scheduler} and an {@link Executor} that
 * all run on the thread calling {@link #advance}, {@link #advanceTo} or {@link #runUntilIdle}.
 *
 * <p>Model and invariants. There are two queues: timers (ordered by deadline on the monotonic clock, ties by the
 * order they were scheduled) and executor tasks (FIFO). Nothing runs when it is submitted or scheduled: a task runs
 * only inside a drain, so every callback is asynchronous to its caller yet happens at a reproducible point. A drain
 * repeatedly runs every executor task, then the earliest timer that is due, until neither is left; advancing first
 * moves the clocks to each due timer's deadline in turn, so a timer always sees {@code nanoTime()} equal to its
 * deadline, and timers scheduled by other timers fire in the same advance if they fall due within it. The monotonic
 * clock never goes backwards; the wall clock moves with it during an advance and may also be set freely (forwards or
 * backwards) without firing anything, as NTP would.
 *
 * <p>Concurrency: submitting, scheduling, cancelling and reading the clocks are thread-safe. Running is
 * single-threaded: one drain at a time, and a drain started from inside a task fails (a test that does it has a
 * bug). A drain that never goes idle (a task loop that resubmits itself forever) fails with a clear message after
 * {@link #taskLimit()} tasks instead of hanging the build.
 *
 * <p>Failures: a task that throws does not stop the others (the {@link Scheduler} contract); the failures are kept
 * and, by default, the drain that ran them ends with an {@link AssertionError} carrying the first as its cause, so a
 * bug inside a callback cannot pass unnoticed. {@link #rethrowTaskFailures(boolean)} turns that off for tests that
 * provoke failures on purpose; {@link #taskFailures()} lists them either way.
 *
 * @since 0.1.0
 */
public final class ManualTime {

    /** The wall-clock time a new instance starts at unless told otherwise: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_WALL_CLOCK_START = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * The monotonic reading a new instance starts at unless told otherwise. Not zero on purpose: code that mistakes
     * {@code nanoTime()} for an elapsed time, or uses 0 as "never", shows up in tests.
     */
    public static final long DEFAULT_NANO_START = 1_000_000_000_000L;

    /** The default bound on the tasks one drain may run before it is considered a runaway loop. */
    public static final int DEFAULT_TASK_LIMIT = 100_000;

    private final Object lock = new Object();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final Ticker ticker = new ManualTicker();
    private final Scheduler scheduler = this::schedule;
    private final Executor executor = this::execute;
    private long nanoTime;
    // The wall clock is an anchor plus the monotonic time elapsed since, so sub-millisecond steps add up exactly.
    private long wallAnchorMillis;
    private long wallAnchorNanos;
    private long sequence;
    private int taskLimit = DEFAULT_TASK_LIMIT;
    private boolean rethrow = true;
    private boolean draining;

    private ManualTime(long nanoTime, long wallClockMillis) {
        this.nanoTime = nanoTime;
        this.wallAnchorMillis = wallClockMillis;
        this.wallAnchorNanos = nanoTime;
    }

    /**
     * A manual time at {@link #DEFAULT_NANO_START} and {@link #DEFAULT_WALL_CLOCK_START}.
     *
     * @return a new instance with no tasks
     * @since 0.1.0
     */
    public static ManualTime create() {
        return new ManualTime(DEFAULT_NANO_START, DEFAULT_WALL_CLOCK_START.toEpochMilli());
    }

    /**
     * A manual time starting at the given clock readings.
     *
     * @param nanoTime the first monotonic reading, any value
     * @param wallClock the first wall-clock reading, not null
     * @return a new instance with no tasks
     * @since 0.1.0
     */
    public static ManualTime startingAt(long nanoTime, Instant wallClock) {
        return new ManualTime(nanoTime, wallClock.toEpochMilli());
    }

    /**
     * The ticker reading this instance's clocks. Thread: any.
     *
     * @return the ticker, the same object on every call
     * @since 0.1.0
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The scheduler whose timers fire only while this instance is advanced or drained. A zero or negative delay
     * makes the task due now: it runs at the next drain, never on the caller's stack. Thread: any.
     *
     * @return the scheduler, the same object on every call
     * @since 0.1.0
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The executor whose tasks run, in submission order, only during a drain. Thread: any.
     *
     * @return the executor, the same object on every call
     * @since 0.1.0
     */
    public Executor executor() {
        return executor;
    }

    /**
     * The monotonic clock now.
     *
     * @return the current {@link Ticker#nanoTime()}
     * @since 0.1.0
     */
    public long nanoTime() {
        synchronized (lock) {
            return nanoTime;
        }
    }

    /**
     * The wall clock now.
     *
     * @return the current {@link Ticker#wallClockMillis()}
     * @since 0.1.0
     */
    public long wallClockMillis() {
        synchronized (lock) {
            return wallAnchorMillis + Math.floorDiv(nanoTime - wallAnchorNanos, 1_000_000L);
        }
    }

    /**
     * Sets the wall clock, forwards or backwards, leaving the monotonic clock and every timer alone (timers follow
     * the monotonic clock). Nothing runs.
     *
     * @param millis milliseconds since the Unix epoch
     * @since 0.1.0
     */
    public void setWallClockMillis(long millis) {
        synchronized (lock) {
            wallAnchorMillis = millis;
            wallAnchorNanos = nanoTime;
        }
    }

    /**
     * Moves the wall clock by {@code delta}, which may be negative. Nothing runs.
     *
     * @param delta how far to jump, not null
     * @since 0.1.0
     */
    public void jumpWallClock(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        synchronized (lock) {
            wallAnchorMillis += delta.toMillis();
        }
    }

    /**
     * Moves both clocks forward by {@code duration}, firing every timer that falls due on the way at its own
     * deadline, in deadline order, and draining the executor after each; then drains once more at the end.
     *
     * @param duration how far to move, zero or positive, not null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called from inside a task, or if the drain exceeded {@link #taskLimit()}
     * @throws AssertionError if a task threw and {@link #rethrowTaskFailures(boolean)} is on
     * @since 0.1.0
     */
    public void advance(Duration duration) {
        advanceTo(targetAfter(duration, "advance"));
    }

    /**
     * Moves the monotonic clock to {@code targetNanoTime} (the wall clock moves by the same amount), firing due timers
     * as {@link #advance} does.
     *
     * @param targetNanoTime the new {@link Ticker#nanoTime()} reading, not before the current one
     * @throws IllegalArgumentException if {@code targetNanoTime} is before the current reading (the monotonic clock
     *     never goes backwards)
     * @throws IllegalStateException if called from inside a task, or if the drain exceeded {@link #taskLimit()}
     * @throws AssertionError if a task threw and {@link #rethrowTaskFailures(boolean)} is on
     * @since 0.1.0
     */
    public void advanceTo(long targetNanoTime) {
        synchronized (lock) {
            if (targetNanoTime < nanoTime) {
                throw new IllegalArgumentException("the monotonic clock never goes backwards: advanceTo("
                        + targetNanoTime + ") but nanoTime is " + nanoTime);
            }
        }
        drain(targetNanoTime, true);
    }

    /**
     * Moves both clocks forward by {@code duration} as {@link #advance} does, firing every timer that falls due on the
     * way, but runs no executor task: what the timers submit stays queued ({@link #pendingTasks()}). For tests of
     * what happens between a timer and the work it hands to the executor.
     *
     * @param duration how far to move, zero or positive, not null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called from inside a task, or if more than {@link #taskLimit()} timers fired
     * @throws AssertionError if a timer threw and {@link #rethrowTaskFailures(boolean)} is on
     * @since 0.1.0
     */
    public void advanceHoldingTasks(Duration duration) {
        drain(targetAfter(duration, "advanceHoldingTasks"), false);
    }

    /** The monotonic reading {@code duration} from now; {@code method} names the caller in the error. */
    private long targetAfter(Duration duration, String method) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time cannot move backwards: " + method + "(" + duration + ")");
        }
        synchronized (lock) {
            return saturatedAdd(nanoTime, duration);
        }
    }

    /**
     * Runs every executor task and every timer that is due now, without moving the clocks, until none is left.
     *
     * @return how many tasks and timers ran
     * @throws IllegalStateException if called from inside a task, or if the drain exceeded {@link #taskLimit()}
     * @throws AssertionError if a task threw and {@link #rethrowTaskFailures(boolean)} is on
     * @since 0.1.0
     */
    public int runUntilIdle() {
        return drain(nanoTime(), true);
    }

    /**
     * The number of executor tasks waiting to run.
     *
     * @return zero or more
     * @since 0.1.0
     */
    public int pendingTasks() {
        synchronized (lock) {
            return tasks.size();
        }
    }

    /**
     * The number of timers scheduled and neither fired nor cancelled.
     *
     * @return zero or more
     * @since 0.1.0
     */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /**
     * How long until the earliest pending timer is due.
     *
     * @return the delay (zero if one is due now), or empty when no timer is pending
     * @since 0.1.0
     */
    public Optional<Duration> nextTimerDelay() {
        synchronized (lock) {
            Timer next = timers.peek();
            return next == null
                    ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, next.deadline - nanoTime)));
        }
    }

    /**
     * The bound on the tasks one drain may run.
     *
     * @return the limit
     * @since 0.1.0
     */
    public int taskLimit() {
        synchronized (lock) {
            return taskLimit;
        }
    }

    /**
     * Sets the bound on the tasks (executor tasks plus timers) one drain may run before it fails as a runaway loop.
     *
     * @param limit at least 1
     * @return this instance
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @since 0.1.0
     */
    public ManualTime taskLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("taskLimit must be at least 1: " + limit);
        }
        synchronized (lock) {
            taskLimit = limit;
        }
        return this;
    }

    /**
     * Whether a drain during which a task threw ends by throwing an {@link AssertionError} (the default), or only
     * records the failure in {@link #taskFailures()}.
     *
     * @param rethrow {@code true} to fail the drain
     * @return this instance
     * @since 0.1.0
     */
    public ManualTime rethrowTaskFailures(boolean rethrow) {
        synchronized (lock) {
            this.rethrow = rethrow;
        }
        return this;
    }

    /**
     * Every exception thrown by a task or timer so far, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<Throwable> taskFailures() {
        synchronized (lock) {
            return List.copyOf(failures);
        }
    }

    private Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(delay, "delay");
        synchronized (lock) {
            long deadline = delay.isNegative() ? nanoTime : saturatedAdd(nanoTime, delay);
            Timer timer = new Timer(task, deadline, sequence++);
            timers.add(timer);
            return timer;
        }
    }

    private void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            tasks.addLast(task);
        }
    }

    /*
     * One drain: tasks first, then the earliest timer due at or before target (moving the clocks to its deadline),
     * until neither is left; finally the clocks move to target. The lock is never held while a task runs, so tasks
     * may schedule, submit and cancel freely. Without runTasks only timers run and executor tasks stay queued.
     */
    private int drain(long target, boolean runTasks) {
        int ran = 0;
        int failuresBefore;
        int limit;
        synchronized (lock) {
            if (draining) {
                throw new IllegalStateException(
                        "ManualTime is already running tasks: advance/runUntilIdle must not be called from a task");
            }
            draining = true;
            failuresBefore = failures.size();
            limit = taskLimit;
        }
        try {
            while (true) {
                Runnable next;
                synchronized (lock) {
                    next = runTasks ? tasks.pollFirst() : null;
                    if (next == null) {
                        Timer due = timers.peek();
                        if (due != null && due.deadline <= target) {
                            timers.poll();
                            nanoTime = Math.max(nanoTime, due.deadline);
                            due.started = true;
                            next = due.task;
                        }
                    }
                    if (next == null) {
                        nanoTime = Math.max(nanoTime, target);
                        break;
                    }
                }
                if (++ran > limit) {
                    throw new IllegalStateException("ManualTime ran " + limit + " tasks without going idle: a task"
                            + " or timer keeps resubmitting itself (last one: " + next + "); raise taskLimit() if the"
                            + " test really needs more");
                }
                try {
                    next.run();
                } catch (RuntimeException | Error e) {
                    synchronized (lock) {
                        failures.add(e);
                    }
                }
            }
        } finally {
            synchronized (lock) {
                draining = false;
            }
        }
        synchronized (lock) {
            if (rethrow && failures.size() > failuresBefore) {
                AssertionError error = new AssertionError(
                        (failures.size() - failuresBefore) + " task(s) threw while ManualTime was running them; first: "
                                + failures.get(failuresBefore),
                        failures.get(failuresBefore));
                for (Throwable t : failures.subList(failuresBefore + 1, failures.size())) {
                    error.addSuppressed(t);
                }
                throw error;
            }
        }
        return ran;
    }

    private static long saturatedAdd(long base, Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long sum = base + nanos;
        return ((base ^ sum) & (nanos ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ManualTime{nanoTime=" + nanoTime + ", wallClock="
                    + Instant.ofEpochMilli(wallAnchorMillis + Math.floorDiv(nanoTime - wallAnchorNanos, 1_000_000L))
                    + ", tasks=" + tasks.size() + ", timers=" + timers.size() + '}';
        }
    }

    private final class ManualTicker implements Ticker {
        @Override
        public long nanoTime() {
            return ManualTime.this.nanoTime();
        }

        @Override
        public long wallClockMillis() {
            return ManualTime.this.wallClockMillis();
        }

        @Override
        public String toString() {
            return "ManualTime.ticker()";
        }
    }

    private final class Timer implements Cancellable, Comparable<Timer> {
        final Runnable task;
        final long deadline;
        final long seq;
        boolean started;
        boolean cancelled;

        Timer(Runnable task, long deadline, long seq) {
            this.task = task;
            this.deadline = deadline;
            this.seq = seq;
        }

        @Override
        public boolean cancel() {
            synchronized (lock) {
                if (started || cancelled) {
                    return false;
                }
                cancelled = true;
                timers.remove(this);
                return true;
            }
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public String toString() {
            return "timer{deadline=" + deadline + ", task=" + task + '}';
        }
    }
}
