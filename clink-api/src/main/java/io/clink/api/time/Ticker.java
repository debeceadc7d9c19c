package io.clink.api.time;

/**
 * A source of time: a monotonic clock for measuring intervals (deadlines, TTLs, backoff) and a wall clock for
 * values that leave the process (handshake incarnations, message timestamps, "since" fields in status).
 *
 * <p>Implementations must be thread-safe; every method may be called from any thread, must not block, and must not
 * throw. {@link #nanoTime()} never goes backwards for one ticker instance. {@link #wallClockMillis()} may jump
 * (NTP, administrator), which is why intervals are always measured with {@link #nanoTime()}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Reads the monotonic clock.
     *
     * @return nanoseconds from an arbitrary fixed origin; only differences between two readings of the same ticker
     *     mean anything
     * @since 0.1.0
     */
    long nanoTime();

    /**
     * Reads the wall clock. The default derives it from {@link System#currentTimeMillis()}; fake tickers override it
     * so that wall-clock values in tests are reproducible.
     *
     * @return milliseconds since the Unix epoch
     * @since 0.1.0
     */
    default long wallClockMillis() {
        return System.currentTimeMillis();
    }

    /**
     * The ticker backed by {@link System#nanoTime()} and {@link System#currentTimeMillis()}.
     *
     * @return the shared system ticker
     * @since 0.1.0
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
