package io.clink.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waiting for integration tests on real threads and sockets: poll a condition until it holds or a timeout
 * passes, then fail with a message naming what was awaited (and, optionally, the state seen last). Unit tests on
 * {@link ManualTime} never need it; anything here is for tests that cannot control time.
 *
 * <p>Every wait is bounded by its timeout; a condition that throws ends the wait with that exception. Thread: any;
 * each call blocks its caller, polling every {@link #DEFAULT_POLL_INTERVAL} unless told otherwise.
 *
 * @since 0.1.0
 */
public final class Await {

    /** How long {@link #until(String, BooleanSupplier)} waits. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** How often a condition is polled unless told otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(20);

    private Await() {}

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds.
     *
     * @param what what is awaited, for the failure message ("both links connected"), not null
     * @param condition polled on the caller's thread, not null
     * @throws AssertionError if the condition does not hold in time, naming {@code what}
     * @throws InterruptedException if the caller is interrupted while waiting
     * @since 0.1.0
     */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds.
     *
     * @param what what is awaited, for the failure message, not null
     * @param timeout how long at most, positive, not null
     * @param condition polled on the caller's thread, not null
     * @throws AssertionError if the condition does not hold in time, naming {@code what} and the timeout
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws InterruptedException if the caller is interrupted while waiting
     * @since 0.1.0
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds; the failure message also carries {@code state}, read
     * once when the wait fails (for example the link status the test was waiting on).
     *
     * @param what what is awaited, for the failure message, not null
     * @param timeout how long at most, positive, not null
     * @param condition polled on the caller's thread, not null
     * @param state describes what was seen last, called only on failure, not null
     * @throws AssertionError if the condition does not hold in time
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws InterruptedException if the caller is interrupted while waiting
     * @since 0.1.0
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), state);
    }

    /**
     * Waits up to {@code timeout} until {@code probe} yields a value, and returns it.
     *
     * @param <T> the value's type
     * @param what what is awaited, for the failure message, not null
     * @param timeout how long at most, positive, not null
     * @param probe polled on the caller's thread; empty means "not yet"; not null, never returns null
     * @return the first value the probe yielded
     * @throws AssertionError if no value came in time
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws InterruptedException if the caller is interrupted while waiting
     * @since 0.1.0
     */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) throws InterruptedException {
        return value(what, timeout, probe, () -> "");
    }

    private static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> state)
            throws InterruptedException {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(state, "state");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout + " (awaiting " + what + ")");
        }
        long start = System.nanoTime();
        long budget = timeout.toNanos();
        long pollNanos = Math.min(DEFAULT_POLL_INTERVAL.toNanos(), budget);
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            long elapsed = System.nanoTime() - start;
            if (elapsed >= budget) {
                String seen = state.get();
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what
                        + (seen.isEmpty() ? "" : "; last seen: " + seen));
            }
            Thread.sleep(Math.max(1, Math.min(pollNanos, budget - elapsed) / 1_000_000L));
        }
    }

    /**
     * Repeats {@code attempt} every {@code interval} until it yields a value, for effects that may be lost while a
     * system settles (publishing until a message crosses a link that is still coming up), and returns the value.
     *
     * @param <T> the value's type
     * @param what what is awaited, for the failure message, not null
     * @param timeout how long at most, positive, not null
     * @param interval pause between attempts that yielded nothing, zero or positive, not null
     * @param attempt one attempt, run on the caller's thread; empty means "try again"; an exception ends the wait
     * @return the first value an attempt yielded
     * @throws AssertionError if no attempt yielded a value in time
     * @throws Exception what an attempt threw
     * @since 0.1.0
     */
    public static <T> T retrying(String what, Duration timeout, Duration interval, Callable<Optional<T>> attempt)
            throws Exception {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(attempt, "attempt");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout + " (awaiting " + what + ")");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        long start = System.nanoTime();
        int attempts = 0;
        while (System.nanoTime() - start < timeout.toNanos()) {
            attempts++;
            Optional<T> v = attempt.call();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(interval.toMillis());
        }
        throw new AssertionError(
                "timed out after " + timeout.toMillis() + " ms (" + attempts + " attempts) waiting until " + what);
    }
}
