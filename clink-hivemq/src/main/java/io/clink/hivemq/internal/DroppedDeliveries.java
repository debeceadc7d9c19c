package io.clink.hivemq.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.LongSupplier;

/*
 * HiveMQ CE counts every message it does not deliver in one counter, com.hivemq.messages.dropped.count: full client
 * queues (whatever the overflow strategy discarded), the QoS 0 memory limit, unwritable channels, packets too large
 * for a client, failures, and every PUBLISH an inbound interceptor prevented. clink's interceptor prevents each
 * $LINK publish it consumes, so HiveMQ's counter minus the $LINK publishes clink took is what the broker dropped.
 * HiveMQ has no per-reason or per-client counter an extension could read, so this is a node figure.
 *
 * Ordering: the interceptor counts a $LINK publish before returning and HiveMQ counts the prevented publish after it,
 * so a read can see clink's count ahead of HiveMQ's by the publishes in between: the difference reads low for that
 * instant, never high. Keeping the largest value reported makes the figure never decrease, as a counter must. A
 * $LINK publish whose connection closes before HiveMQ counts it leaves the figure low by one for good; that is the
 * side to err on. Another extension in the same broker that prevents deliveries adds its publishes to the figure.
 *
 * Thread-safety: read() is synchronized; the suppliers are thread-safe.
 */
/** The messages HiveMQ dropped on their way to local subscribers, excluding the {@code $LINK} publishes clink took. */
public final class DroppedDeliveries {

    /** HiveMQ CE's counter of every message it did not deliver. */
    public static final String HIVEMQ_DROPPED_COUNTER = "com.hivemq.messages.dropped.count";

    private final MetricRegistry registry;
    private final LongSupplier linkPublishesConsumed;
    private long reported; // guarded by this

    /**
     * @param registry HiveMQ's metric registry
     * @param linkPublishesConsumed how many {@code $LINK} publishes clink's interceptors prevented so far
     */
    public DroppedDeliveries(MetricRegistry registry, LongSupplier linkPublishesConsumed) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.linkPublishesConsumed = Objects.requireNonNull(linkPublishesConsumed, "linkPublishesConsumed");
    }

    /**
     * The current figure.
     *
     * @return the count, never lower than the last one returned; empty if HiveMQ's registry has no such counter
     */
    public synchronized OptionalLong read() {
        SortedMap<String, Counter> found = registry.getCounters((name, metric) -> name.equals(HIVEMQ_DROPPED_COUNTER));
        Counter hivemq = found.get(HIVEMQ_DROPPED_COUNTER);
        if (hivemq == null) {
            return OptionalLong.empty();
        }
        long total = hivemq.getCount();
        // HiveMQ's counter first, clink's count second: every prevented $LINK publish in `total` was counted by clink
        // before HiveMQ counted it, so `consumed` covers it and the difference cannot read high.
        long consumed = linkPublishesConsumed.getAsLong();
        long dropped = total - consumed;
        if (dropped > reported) {
            reported = dropped;
        }
        return OptionalLong.of(reported);
    }
}
