package io.clink.core.internal.node;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link RunningLink} per enabled link of the configuration in force, and turns a new configuration into the
 * smallest set of link starts and stops ({@link #apply}).
 *
 * <p>Invariants, after {@link #start} and after every {@link #apply}:
 *
 * <ul>
 *   <li>exactly the enabled links of the configuration run, each with its current {@link LinkConfig}; a link whose
 *       configuration changed in any field was stopped and a new one started (so its actor takes a new
 *       incarnation), an unchanged one kept running untouched;
 *   <li>every configured link that does not run is disabled, with the wall-clock time it was disabled at (kept
 *       across applies while it stays disabled); links no longer configured are forgotten;
 *   <li>the remote cluster of every link removed or disabled has been reported to {@code clusterUnlinked}, so the
 *       routes it replicated here are dropped at once.
 * </ul>
 *
 * <p>Threading: {@link #start}, {@link #apply} and {@link #stopAll} are synchronized with each other. {@link
 * #running}, {@link #anyRunning} and {@link #status} read a concurrent map without the lock, from any thread;
 * {@link #running} is on the publish hot path.
 */
public final class LinkSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(LinkSupervisor.class);

    private final Function<LinkConfig, RunningLink> factory;
    private final Consumer<String> clusterUnlinked;
    private final LongSupplier wallClockMillis;
    private final Map<String, RunningLink> links = new ConcurrentHashMap<>();
    private final Map<String, Long> disabledSince = new ConcurrentHashMap<>();
    private @Nullable ClusterLinkConfig current;

    /**
     * @param factory makes a stopped link for a configuration; called under this supervisor's lock
     * @param clusterUnlinked drops what a remote cluster replicated here; called under this supervisor's lock
     * @param wallClockMillis the wall clock, for the time a link was disabled at
     */
    public LinkSupervisor(
            Function<LinkConfig, RunningLink> factory, Consumer<String> clusterUnlinked, LongSupplier wallClockMillis) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clusterUnlinked = Objects.requireNonNull(clusterUnlinked, "clusterUnlinked");
        this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
    }

    /**
     * Starts every enabled link of {@code config} and records when the others were disabled.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start(ClusterLinkConfig config) {
        Objects.requireNonNull(config, "config");
        if (current != null) {
            throw new IllegalStateException("links of cluster " + config.name() + " already started");
        }
        current = config;
        long now = wallClockMillis.getAsLong();
        for (LinkConfig link : config.links()) {
            if (link.enable()) {
                startLink(link);
            } else {
                disabledSince.put(link.name(), now);
            }
        }
    }

    /**
     * Moves from the configuration in force to {@code next}: links removed or disabled stop and their cluster is
     * unlinked, links changed restart, links added or enabled start.
     *
     * @throws IllegalStateException if not started
     */
    public synchronized void apply(ClusterLinkConfig next) {
        Objects.requireNonNull(next, "next");
        ClusterLinkConfig old = current;
        if (old == null) {
            throw new IllegalStateException("links of cluster " + next.name() + " not started");
        }
        current = next;
        long now = wallClockMillis.getAsLong();
        Map<String, LinkConfig> wanted = new LinkedHashMap<>();
        for (LinkConfig link : next.links()) {
            wanted.put(link.name(), link);
        }
        for (String name : new ArrayList<>(links.keySet())) {
            LinkConfig wantedConfig = wanted.get(name);
            RunningLink running = links.get(name);
            if (wantedConfig == null || !wantedConfig.enable()) {
                stopLink(name);
                clusterUnlinked.accept(name);
                if (wantedConfig != null) {
                    disabledSince.put(name, now);
                }
            } else if (running != null && !wantedConfig.equals(running.config())) {
                stopLink(name);
                startLink(wantedConfig);
            }
        }
        for (LinkConfig link : next.links()) {
            if (!link.enable()) {
                disabledSince.putIfAbsent(link.name(), now);
                // Also when it already was disabled: unlinking is idempotent, and repeating it leaves nothing of a
                // disabled cluster behind, whatever raced with an earlier change.
                clusterUnlinked.accept(link.name());
            } else if (!links.containsKey(link.name())) {
                disabledSince.remove(link.name());
                startLink(link);
            }
        }
        disabledSince.keySet().removeIf(name -> !wanted.containsKey(name));
        for (LinkConfig link : old.links()) {
            if (!wanted.containsKey(link.name())) {
                clusterUnlinked.accept(link.name());
            }
        }
    }

    /** Stops every running link; {@link #running} finds none afterwards. Idempotent. */
    public synchronized void stopAll() {
        for (String name : new ArrayList<>(links.keySet())) {
            stopLink(name);
        }
    }

    /** The running link to {@code cluster}, or null if that link is not configured, disabled or stopped. */
    public @Nullable RunningLink running(String cluster) {
        return links.get(cluster);
    }

    /** Whether any link runs: a publish with no link to go to needs no route lookup. */
    public boolean anyRunning() {
        return !links.isEmpty();
    }

    /** How many links run. */
    public int runningCount() {
        return links.size();
    }

    /**
     * The status of a configured link: its running parts' status, or disabled since the time it was disabled at (0 if
     * it never ran nor was seen disabled, as before the first {@link #start}).
     */
    public LinkStatus status(String link) {
        RunningLink r = links.get(link);
        if (r == null) {
            return LinkStatus.disabled(link, disabledSince.getOrDefault(link, 0L));
        }
        return r.status();
    }

    private void startLink(LinkConfig config) {
        RunningLink link = factory.apply(config);
        links.put(config.name(), link);
        try {
            link.start();
        } catch (RuntimeException e) {
            // Settings were validated when the configuration was applied; a failure here (a TLS file deleted since,
            // say) must not take the other links down. The link retries and reports it in its status.
            LOG.error("[{}] link failed to start", config.name(), e);
        }
    }

    private void stopLink(String name) {
        RunningLink r = links.remove(name);
        if (r != null) {
            r.stop();
        }
    }
}
