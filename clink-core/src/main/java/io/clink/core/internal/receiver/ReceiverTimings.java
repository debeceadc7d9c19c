package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The two timings of a {@link RouteReceiver}: how long an actor's lease lasts, and how soon the garbage collector
 * looks again after a pass that collected something.
 *
 * @param actorTtl lease of an actor after its handshake or last heartbeat; positive
 * @param gcRepeat delay of the next GC pass after a productive one; positive
 * @since 0.1.0
 */
public record ReceiverTimings(Duration actorTtl, Duration gcRepeat) {

    /**
     * EMQX's timings, which it does not let anyone configure: TTL 30 s, GC repeat 5 s.
     *
     * @since 0.1.0
     */
    public static final ReceiverTimings EMQX = new ReceiverTimings(Duration.ofSeconds(30), Duration.ofSeconds(5));

    /**
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if either is zero or negative
     */
    public ReceiverTimings {
        requireNonNull(actorTtl, "actorTtl");
        requireNonNull(gcRepeat, "gcRepeat");
        if (actorTtl.isNegative() || actorTtl.isZero()) {
            throw new IllegalArgumentException("actor TTL must be positive: " + actorTtl);
        }
        if (gcRepeat.isNegative() || gcRepeat.isZero()) {
            throw new IllegalArgumentException("GC repeat interval must be positive: " + gcRepeat);
        }
    }
}
