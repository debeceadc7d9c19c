package io.clink.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/*
 * Why this exists: an endpoint and each of its connections carry the same two message faults (which topics to drop,
 * how long to delay the rest), in both directions: publishes from the client and deliveries to it. Fields are guarded
 * by the network's lock.
 */
final class MessageFaults {
    Predicate<String> drop = t -> false;
    Duration delay = Duration.ZERO;

    void clear() {
        drop = t -> false;
        delay = Duration.ZERO;
    }

    static void checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
    }
}
