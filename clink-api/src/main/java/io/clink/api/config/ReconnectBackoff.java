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
 * <p>The cap is bounded by the peer's actor TTL: EMQX collects a route actor 30 s after its last heartbeat, and
 * heartbeats are 10 s apart, so a retry later than 20 s after a loss may find the actor gone and cost the peer a
 * full re-bootstrap. Hence {@code maxDelay} defaults to 10 s and may not exceed {@link #MAX_DELAY_LIMIT} (20 s).
 * The same cap also keeps the forwarding pool well below EMQX's default request TTL (45 s); the pool further caps
 * its delay at half the link's {@code resource_opts.request_ttl}, so a queued message sees at least one reconnect
 * attempt before it expires.
 *
 * @param initialDelay the delay before the first retry, positive (default 1 s)
 * @param maxDelay the largest delay, at least {@code initialDelay}, at most 20 s (default 10 s)
 * @param jitter the fraction of randomness, 0 (none) to 1 (default 0.25)
 * @since 0.1.0
 */
public record ReconnectBackoff(Duration initialDelay, Duration maxDelay, double jitter) {

    // Declared first: DEFAULT below runs the validating constructor during class initialisation.
    /**
     * The largest allowed {@code max_delay}: the peer's actor TTL (30 s) less one heartbeat interval (10 s).
     *
     * @since 0.1.0
     */
    public static final Duration MAX_DELAY_LIMIT = Duration.ofSeconds(20);

    /** Option {@code reconnect.initial_delay}. */
    public static final ConfigOption<Duration> INITIAL_DELAY = ConfigOption.withDefault(
            "initial_delay",
            Duration.ofSeconds(1),
            "Delay before the first reconnect attempt after a link connection fails or drops.",
            "duration, 1ms..20s");

    /** Option {@code reconnect.max_delay}. */
    public static final ConfigOption<Duration> MAX_DELAY = ConfigOption.withDefault(
            "max_delay",
            Duration.ofSeconds(10),
            "Upper bound of the reconnect delay, which doubles after each failed attempt. Kept below the "
                    + "peer's actor TTL (30 s) so a long outage does not cost a re-bootstrap on every retry.",
            "duration, at least initial_delay, at most 20s");

    /** Option {@code reconnect.jitter}. */
    public static final ConfigOption<Double> JITTER = ConfigOption.withDefault(
            "jitter",
            0.25,
            "Random spread of each delay, as a fraction of it, so that nodes do not reconnect in lock-step.",
            "number, 0..1");

    /** 1 s, doubling up to 10 s, ±25 %. */
    public static final ReconnectBackoff DEFAULT =
            new ReconnectBackoff(INITIAL_DELAY.defaultOrThrow(), MAX_DELAY.defaultOrThrow(), JITTER.defaultOrThrow());

    /**
     * Validates the values.
     *
     * @throws InvalidConfigException naming the bad value
     * @throws NullPointerException if a duration is null
     */
    public ReconnectBackoff {
        Checks.duration("reconnect." + INITIAL_DELAY.name(), initialDelay, Duration.ofMillis(1), MAX_DELAY_LIMIT);
        Objects.requireNonNull(maxDelay, "reconnect." + MAX_DELAY.name());
        if (maxDelay.compareTo(MAX_DELAY_LIMIT) > 0) {
            throw InvalidConfigException.invalid(
                    "reconnect." + MAX_DELAY.name(),
                    "must be at most " + Checks.human(MAX_DELAY_LIMIT) + " (the peer collects a route actor 30s after "
                            + "its last heartbeat), got " + Checks.human(maxDelay));
        }
        Checks.duration("reconnect." + MAX_DELAY.name(), maxDelay, Duration.ofMillis(1), MAX_DELAY_LIMIT);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw InvalidConfigException.invalid(
                    "reconnect." + MAX_DELAY.name(),
                    "must be at least initial_delay (" + Checks.human(initialDelay) + "), got "
                            + Checks.human(maxDelay));
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
