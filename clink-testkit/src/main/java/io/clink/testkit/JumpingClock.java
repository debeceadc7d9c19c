package io.clink.testkit;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Model. Real time plus two offsets: monotonic = System.nanoTime() + monoOffset, wall = System.currentTimeMillis() +
 * wallOffset. monoOffset only grows (jumpForward), so the Ticker contract "nanoTime never goes backwards" holds; the
 * wall offset may be set anywhere (NTP stepping the clock, an administrator, a restored VM).
 *
 * Timers are kept by deadline on the jumping monotonic clock (ties in scheduling order) and run by one daemon thread
 * that sleeps on the monitor until the earliest deadline; a jump notifies it, so every timer the jump made due fires
 * at once, in deadline order, as if the time had really passed. Tasks run on that thread, guarded: one that throws
 * is counted and does not stop the others (the Scheduler contract). close() ends the thread and drops pending timers.
 */

/**
 * A real-time clock for integration tests that can jump: a {@link Ticker} and a {@link Scheduler} that follow the
 * system clocks plus offsets. {@link #jumpForward} moves both clocks ahead and fires every timer that falls due;
 * {@link #setWallOffset} moves the wall clock alone, forwards or backwards, without firing anything.
 *
 * <p>Use it where an engine runs against real sockets but a test must not wait out a TTL: give the engine {@link
 * #ticker()} and {@link #scheduler()}, then jump. (For unit tests, {@link ManualTime} moves time only on command.)
 *
 * <p>Thread-safety: every method may be called from any thread. Scheduled tasks run on one daemon thread named
 * {@code jumping-clock}, started by the constructor and ended by {@link #close()}.
 *
 * @since 0.1.0
 */
public final class JumpingClock implements AutoCloseable {

    private record Timer(long deadline, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Object monitor = new Object();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private final Ticker ticker = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime() + monoOffsetNanos;
        }

        @Override
        public long wallClockMillis() {
            return System.currentTimeMillis() + wallOffsetMillis;
        }
    };
    private final Scheduler scheduler = this::schedule;

    private volatile long monoOffsetNanos;
    private volatile long wallOffsetMillis;
    // Guarded by monitor.
    private long seq;
    private boolean closed;

    /**
     * Creates a clock with both offsets zero and starts its timer thread.
     *
     * @since 0.1.0
     */
    public JumpingClock() {
        thread = new Thread(this::runTimers, "jumping-clock");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The ticker: system time plus the offsets.
     *
     * @return the ticker, the same instance on every call
     * @since 0.1.0
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The scheduler: deadlines on {@link #ticker()}'s monotonic clock.
     *
     * @return the scheduler, the same instance on every call
     * @since 0.1.0
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Moves the monotonic clock and the wall clock ahead by {@code by}, and fires (on the timer thread, at once)
     * every timer that falls due.
     *
     * @param by how far; not negative
     * @throws IllegalArgumentException if {@code by} is negative (a monotonic clock cannot go back)
     * @since 0.1.0
     */
    public void jumpForward(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("a monotonic clock only jumps forward: " + by);
        }
        synchronized (monitor) {
            monoOffsetNanos += by.toNanos();
            wallOffsetMillis += by.toMillis();
            monitor.notifyAll();
        }
    }

    /**
     * Sets the wall clock's offset from the system's, forwards or backwards. The monotonic clock and the timers are
     * not affected (intervals are measured on the monotonic clock).
     *
     * @param offset the new offset, for example {@code Duration.ofHours(-1)} for a clock an hour behind
     * @since 0.1.0
     */
    public void setWallOffset(Duration offset) {
        Objects.requireNonNull(offset, "offset");
        wallOffsetMillis = offset.toMillis();
    }

    /**
     * The total forward jump of the monotonic clock so far.
     *
     * @return the offset
     * @since 0.1.0
     */
    public Duration monotonicOffset() {
        return Duration.ofNanos(monoOffsetNanos);
    }

    /**
     * Scheduled tasks that threw since start.
     *
     * @return the count
     * @since 0.1.0
     */
    public long taskFailures() {
        return failures.get();
    }

    /** Ends the timer thread; pending timers never run, and later {@code schedule} calls are refused. Idempotent. */
    @Override
    public void close() {
        synchronized (monitor) {
            closed = true;
            timers.clear();
            monitor.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(delay, "delay");
        long nanos;
        try {
            nanos = delay.isNegative() ? 0 : delay.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        Timer t;
        synchronized (monitor) {
            if (closed) {
                throw new RejectedExecutionException("jumping clock is closed");
            }
            t = new Timer(ticker.nanoTime() + nanos, seq++, task);
            timers.add(t);
            monitor.notifyAll();
        }
        return () -> {
            synchronized (monitor) {
                return timers.remove(t);
            }
        };
    }

    private void runTimers() {
        while (true) {
            Timer due;
            synchronized (monitor) {
                while (true) {
                    if (closed) {
                        return;
                    }
                    Timer first = timers.peek();
                    long wait = first == null ? Long.MAX_VALUE : first.deadline() - ticker.nanoTime();
                    if (first != null && wait <= 0) {
                        due = timers.poll();
                        break;
                    }
                    try {
                        if (first == null) {
                            monitor.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(monitor, wait);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                due.task().run();
            } catch (RuntimeException | Error e) {
                failures.incrementAndGet();
            }
        }
    }
}
