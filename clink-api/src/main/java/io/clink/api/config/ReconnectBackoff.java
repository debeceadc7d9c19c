package io.clink.api.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a link waits before reconnecting: exponential backoff with bounded random jitter. The delay before
 * attempt {@code n} (0 for the first retry) is {@code min(initialDelay * 2^n, maxDelay)}, spread by up to {@code
 * ±jitter} of itself, and never more than {@code maxDelay}. A successful connection resets {@code n} to 0.
 *
 * <p>EMQX retries a route actor every 5 s without backoff (protocol document section 4.6); clink starts faster and
 * backs off, so a peer that is down for long is not hammered, and jitter keeps the nodes of a cluster from
 * reconnecting in lock-step.
 *
 * @param initialDelay the delay before the first retry, positive (default 1 s)
 * @param maxDelay the largest delay, at least {@code initialDelay} (default 60 s)
 * @param jitter the fraction of randomness, 0 (none) to 1 (default 0.25)
 * @since 0.1.0
 */
public record ReconnectBackoff(Duration initialDelay, Duration maxDelay, double jitter) {

    // Declared first: DEFAULT below runs the validating constructor during class initialisation.
    private static final Duration LIMIT = Duration.ofHours(1);

    /** Option {@code reconnect.initial_delay}. */
    public static final ConfigOption<Duration> INITIAL_DELAY =
            ConfigOption.withDefault(
                    "initial_delay",
                    Duration.ofSeconds(1),
                    "Delay before the first reconnect attempt after a link connection fails or drops.",
                    "duration, 1ms..1h");

    /** Option {@code reconnect.max_delay}. */
    public static final ConfigOption<Duration> MAX_DELAY =
            ConfigOption.withDefault(
                    "max_delay",
                    Duration.ofSeconds(60),
                    "Upper bound of the reconnect delay, which doubles after each failed attempt.",
                    "duration, at least initial_delay, at most 1h");

    /** Option {@code reconnect.jitter}. */
    public static final ConfigOption<Double> JITTER =
            ConfigOption.withDefault(
                    "jitter",
                    0.25,
                    "Random spread of each delay, as a fraction of it, so that nodes do not reconnect in lock-step.",
                    "number, 0..1");

    /** 1 s, doubling up to 60 s, ±25 %. */
    public static final ReconnectBackoff DEFAULT =
            new ReconnectBackoff(INITIAL_DELAY.defaultOrThrow(), MAX_DELAY.defaultOrThrow(), JITTER.defaultOrThrow());

    /**
     * Validates the values.
     *
     * @throws InvalidConfigException naming the bad value
     * @throws NullPointerException if a duration is null
     */
    public ReconnectBackoff {
        Checks.duration("reconnect." + INITIAL_DELAY.name(), initialDelay, Duration.ofMillis(1), LIMIT);
        Checks.duration("reconnect." + MAX_DELAY.name(), maxDelay, Duration.ofMillis(1), LIMIT);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw InvalidConfigException.invalid(
                    "reconnect." + MAX_DELAY.name(),
                    "must be at least initial_delay (" + Checks.human(initialDelay) + "), got " + Checks.human(maxDelay));
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw InvalidConfigException.invalid("reconnect." + JITTER.name(), "must be in 0..1, got " + jitter);
        }
    }

    /**
     * The delay before a reconnect attempt. Pure: the caller supplies the randomness, so tests are deterministic.
     *
     * @param attempt how many attempts failed since the last successful connection, minus one (0 for the first retry)
     * @param random a uniformly distributed value in {@code [0, 1)}; 0.5 gives the delay without jitter
     * @return the delay, between 0 and {@link #maxDelay()}
     * @throws IllegalArgumentException if {@code attempt} is negative or {@code random} is outside {@code [0, 1)}
     * @since 0.1.0
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be in [0, 1): " + random);
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        // Doubling past 2^62 would overflow; by then the cap applies anyway.
        long base = attempt >= 62 || initial > (max >> Math.min(attempt, 62)) ? max : Math.min(initial << attempt, max);
        double factor = 1 + jitter * (2 * random - 1);
        long nanos = Math.min(max, Math.max(0, Math.round(base * factor)));
        return Duration.ofNanos(nanos);
    }

    /**
     * A copy with another initial delay.
     *
     * @param delay the new initial delay
     * @return the copy
     * @throws InvalidConfigException if the result is invalid
     * @since 0.1.0
     */
    public ReconnectBackoff withInitialDelay(Duration delay) {
        return new ReconnectBackoff(Objects.requireNonNull(delay, "delay"), maxDelay, jitter);
    }

    /**
     * A copy with another maximum delay.
     *
     * @param delay the new maximum
     * @return the copy
     * @throws InvalidConfigException if the result is invalid
     * @since 0.1.0
     */
    public ReconnectBackoff withMaxDelay(Duration delay) {
        return new ReconnectBackoff(initialDelay, Objects.requireNonNull(delay, "delay"), jitter);
    }

    /**
     * A copy with another jitter.
     *
     * @param fraction the new jitter, 0..1
     * @return the copy
     * @throws InvalidConfigException if out of range
     * @since 0.1.0
     */
    public ReconnectBackoff withJitter(double fraction) {
        return new ReconnectBackoff(initialDelay, maxDelay, fraction);
    }
}
