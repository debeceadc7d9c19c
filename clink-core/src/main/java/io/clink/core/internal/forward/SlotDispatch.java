package io.clink.core.internal.forward;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.DispatchStrategy;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Which pool connection a message takes ({@code resource_opts.dispatch_strategy}): with {@code per_clientid} always
 * the same one for a publisher (hash of its client id; of the topic when the client id is unknown), which is what
 * keeps each publisher's messages in order; with {@code random} any one.
 *
 * <p>Thread-safe if the random source is; called on publisher threads.
 */
final class SlotDispatch {

    private final boolean random;
    private final int poolSize;
    private final DoubleSupplier randomSource;

    /**
     * @param strategy the link's dispatch strategy
     * @param poolSize the number of pool connections, at least 1
     * @param randomSource uniform source in [0, 1); other values count as 0.5
     */
    SlotDispatch(DispatchStrategy strategy, int poolSize, DoubleSupplier randomSource) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
        }
        this.random = Objects.requireNonNull(strategy, "strategy") == DispatchStrategy.RANDOM;
        this.poolSize = poolSize;
        this.randomSource = Objects.requireNonNull(randomSource, "randomSource");
    }

    /** The index, in {@code [0, poolSize)}, of the connection that sends {@code message}. */
    int slotOf(MqttMessage message) {
        if (poolSize == 1) {
            return 0;
        }
        if (random) {
            return (int) (uniform() * poolSize);
        }
        return Math.floorMod(
                spread(message.publisherClientId().orElse(message.topic()).hashCode()), poolSize);
    }

    /** The injected random value, clamped into [0, 1) so a sloppy source cannot break dispatch. */
    private double uniform() {
        double r = randomSource.getAsDouble();
        return r >= 0 && r < 1 ? r : 0.5;
    }

    /** Spreads a String hash so that ids differing only in their last characters still land on different slots. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
