package io.clink.core.internal.node;

import io.clink.api.broker.LocalSubscription;
import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.topic.Subscription;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.link.LocalRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corrects the event-built {@link LocalRoutes} with the broker's subscription snapshot, once at start and then every
 * interval: broker events are hints, and brokers drop sessions without telling anyone.
 *
 * <p>Invariants: a snapshot that fails to read changes nothing (the routes stay as the events made them until the
 * next pass); at most one pass runs at a time; after {@link #stop()} returns no new pass starts and no timer is
 * left armed (a pass already running finishes).
 *
 * <p>Threading: {@link #resyncNow()} runs on the calling thread and blocks while the broker lists its
 * subscriptions. Periodic passes run on the given serial executor, armed on the scheduler; {@link #start()} and
 * {@link #stop()} may be called from any thread.
 */
public final class SubscriptionResync {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionResync.class);

    private final LocalRoutes localRoutes;
    private final GuardedBroker broker;
    private final String localCluster;
    private final Scheduler scheduler;
    private final Executor serial;
    private final Duration interval;
    private final Object lock = new Object();
    private Cancellable timer = Cancellable.DONE;
    private boolean started;
    private boolean stopped;

    /**
     * @param localRoutes the routes to correct
     * @param broker the broker whose snapshot is the truth
     * @param localCluster this cluster's name, for log lines
     * @param scheduler arms the periodic timer
     * @param serial runs the periodic passes one at a time
     * @param interval time between the end of one periodic pass and the start of the next
     */
    public SubscriptionResync(
            LocalRoutes localRoutes,
            GuardedBroker broker,
            String localCluster,
            Scheduler scheduler,
            Executor serial,
            Duration interval) {
        this.localRoutes = Objects.requireNonNull(localRoutes, "localRoutes");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.localCluster = Objects.requireNonNull(localCluster, "localCluster");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.serial = Objects.requireNonNull(serial, "serial");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Arms the periodic passes; the first runs one interval from now. Idempotent; does nothing after stop. */
    public void start() {
        synchronized (lock) {
            if (started || stopped) {
                return;
            }
            started = true;
            scheduleNext();
        }
    }

    /** Cancels the periodic passes for good. Idempotent. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            timer.cancel();
        }
    }

    /**
     * One pass now, on the calling thread: replaces each client's event-built routes with the snapshot's, except for
     * clients an event touched while the snapshot was read. A failing snapshot is logged and changes nothing.
     */
    public void resyncNow() {
        long token = localRoutes.beginResync();
        Map<String, List<Subscription>> snapshot = new HashMap<>();
        try {
            broker.forEachSubscription((LocalSubscription s) -> {
                Subscription route = localRoutes.routeOf(localCluster, s.clientId(), s.subscription());
                if (route != null) {
                    snapshot.computeIfAbsent(s.clientId(), id -> new ArrayList<>())
                            .add(route);
                }
            });
        } catch (RuntimeException e) {
            localRoutes.abortResync();
            LOG.warn(
                    "[{}] subscription snapshot failed; keeping event-built routes until the next resync",
                    localCluster,
                    e);
            return;
        }
        LocalRoutes.ResyncResult r = localRoutes.applyResync(token, snapshot);
        if (r.added() > 0 || r.removed() > 0) {
            LOG.info(
                    "[{}] resync corrected local routes: {} added, {} removed ({} -> {})",
                    localCluster,
                    r.added(),
                    r.removed(),
                    r.routesBefore(),
                    r.routesAfter());
        }
    }

    private void scheduleNext() {
        if (stopped) {
            return;
        }
        timer = scheduler.schedule(() -> serial.execute(this::periodicPass), interval);
    }

    private void periodicPass() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
        }
        resyncNow();
        synchronized (lock) {
            scheduleNext();
        }
    }
}
