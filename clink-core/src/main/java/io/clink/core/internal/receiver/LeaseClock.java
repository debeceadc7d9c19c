package io.clink.core.internal.receiver;

import io.clink.api.time.Ticker;
import java.time.Duration;

/**
 * The clock actor leases are measured with, in milliseconds: the monotonic clock for a store of this process only
 * (a wall-clock jump can then neither expire every actor at once nor keep a dead one alive), the wall clock for a
 * store several nodes share (the only clock they have in common; NTP keeps the nodes within a few milliseconds, far
 * inside a 30 s lease). Immutable.
 */
final class LeaseClock {

    private final Ticker ticker;
    private final boolean monotonic;
    private final long leaseMillis;

    LeaseClock(Ticker ticker, boolean monotonic, Duration lease) {
        this.ticker = ticker;
        this.monotonic = monotonic;
        this.leaseMillis = lease.toMillis();
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("actor lease must be at least 1 ms: " + lease);
        }
    }

    long nowMillis() {
        return monotonic ? Math.floorDiv(ticker.nanoTime(), 1_000_000L) : ticker.wallClockMillis();
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** The monotonic clock, for throttling logs (never for leases). */
    long monotonicNanos() {
        return ticker.nanoTime();
    }

    /** The wall clock, for stamping messages. */
    long wallClockMillis() {
        return ticker.wallClockMillis();
    }
}
