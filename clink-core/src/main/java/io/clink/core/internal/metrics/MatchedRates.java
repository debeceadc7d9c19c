package io.clink.core.internal.metrics;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.core.LinkRate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code matched} rate of every configured link, sampled every {@link LinkRate#SAMPLING_SECONDS} seconds on
 * the engine's scheduler.
 *
 * <p>Concurrency: the sampling task, {@link #rate}, {@link #reset} and {@link #stop} synchronize on this object;
 * each call is short (one counter read per link). A link that leaves the configuration loses its window at the
 * next sample; one that joins starts from zero at its first sample, as its counters do.
 */
public final class MatchedRates {

    private static final Logger LOG = LoggerFactory.getLogger(MatchedRates.class);
    private static final Duration INTERVAL = Duration.ofSeconds(LinkRate.SAMPLING_SECONDS);

    private final Scheduler scheduler;
    private final Supplier<Set<String>> links;
    private final ToLongFunction<String> matched;
    private final Map<String, RateWindow> windows = new HashMap<>();
    private @Nullable Cancellable timer;
    private boolean stopped;

    /**
     * @param scheduler arms the sampling timer
     * @param links the names of the configured links, read at each sample
     * @param matched a link's {@code matched} counter now
     */
    public MatchedRates(Scheduler scheduler, Supplier<Set<String>> links, ToLongFunction<String> matched) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.links = Objects.requireNonNull(links, "links");
        this.matched = Objects.requireNonNull(matched, "matched");
    }

    /** Arms the first sample; later ones re-arm themselves until {@link #stop()}. */
    public synchronized void start() {
        if (!stopped && timer == null) {
            timer = scheduler.schedule(this::tick, INTERVAL);
        }
    }

    /** Cancels the sampling; idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /**
     * Takes one sample of every configured link now. The timer calls it; tests call it directly.
     */
    public synchronized void tick() {
        if (stopped) {
            return;
        }
        try {
            Set<String> names = links.get();
            windows.keySet().retainAll(names);
            for (String name : names) {
                windows.computeIfAbsent(name, n -> new RateWindow()).sample(matched.applyAsLong(name));
            }
        } catch (RuntimeException e) {
            // A failing read must not end the sampling for good: the next interval tries again.
            LOG.warn("link rate sampling failed; next try in {}", INTERVAL, e);
        }
        timer = scheduler.schedule(this::tick, INTERVAL);
    }

    /**
     * A link's rate after the last sample.
     *
     * @param link the link's name
     * @return its rate, {@link LinkRate#ZERO} before its first sample
     */
    public synchronized LinkRate rate(String link) {
        RateWindow w = windows.get(link);
        return w == null ? LinkRate.ZERO : w.rate();
    }

    /**
     * Forgets a link's samples, as EMQX does when its metrics are reset: the caller has just zeroed the counter, so
     * the next sample measures from zero.
     *
     * @param link the link's name
     */
    public synchronized void reset(String link) {
        windows.remove(link);
    }
}
