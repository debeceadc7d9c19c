package io.clink.core.internal.link;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delay policy: {@code min(initial * 2^attempt, max)}, then spread by a random factor in
 * {@code [1 - jitter, 1 + jitter]} and capped at {@code max} again.
 *
 * <p>EMQX waits a flat 5 s between attempts; when many nodes lose a peer at once that synchronises their reconnects.
 * Exponential growth protects a struggling peer, and jitter spreads the herd. The random source is injected so
 * tests see exact delays.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param initial delay before the first retry, positive
     * @param max cap, at least {@code initial}
     * @param jitter fraction in [0, 1)
     * @param random uniform source in [0, 1)
     */
    public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial backoff " + initial);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1): " + jitter);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The delay before retry number {@code attempt}.
     *
     * @param attempt 0 for the first retry after a failure, counting up while failures continue
     * @return the delay, between {@code initial * (1 - jitter)} and {@code max}
     */
    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        // 2^62 overflows nothing below; any attempt past that is capped anyway.
        int shift = Math.min(attempt, 62);
        long base = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        long nanos = (long) Math.min((double) maxNanos, base * factor);
        return Duration.ofNanos(Math.max(1, nanos));
    }
}
