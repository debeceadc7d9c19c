package io.clink.core.internal.receiver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warning about route ops that could not be applied, throttled to once per {@link #INTERVAL} and cluster (the
 * ops skipped in between are summed into the next warning), so a peer resending a bad batch cannot flood the log.
 * Keys are clusters with a bound actor, so configured links: a bounded set. Thread-safe (its
 * methods are synchronized; a warning is rare and cheap).
 */
final class SkippedOpsLog {

    /** Skipped route ops are logged at most once per this interval and cluster. */
    static final Duration INTERVAL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(SkippedOpsLog.class);

    private final Map<String, Throttle> throttles = new HashMap<>();

    /**
     * Records {@code skipped} ops of one batch and warns unless the cluster was warned about within the interval.
     *
     * @param firstSkipped what the batch's first skipped op was and why, for the warning
     */
    synchronized void skipped(String cluster, String actor, int skipped, String firstSkipped, long nowNanos) {
        Throttle t = throttles.computeIfAbsent(cluster, c -> new Throttle());
        t.pending += skipped;
        if (t.logged && nowNanos - t.lastNanos < INTERVAL.toNanos()) {
            return;
        }
        LOG.warn(
                "[{}] skipped {} route operation(s) of actor {} since the last report, the rest of their batches "
                        + "applied; the first of the latest batch: {}",
                cluster,
                t.pending,
                actor,
                firstSkipped);
        t.logged = true;
        t.lastNanos = nowNanos;
        t.pending = 0;
    }

    /** Drops the cluster's throttling state (its link is gone). */
    synchronized void forget(String cluster) {
        throttles.remove(cluster);
    }

    private static final class Throttle {
        boolean logged;
        long lastNanos;
        long pending;
    }
}
