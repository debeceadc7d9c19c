package io.clink.core.internal.receiver;

import io.clink.api.store.RouteStore;
import io.clink.api.time.Cancellable;
import io.clink.core.internal.engine.EngineTime;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Section 4.5 of the protocol, improved: a timer fires TTL after start(), then TTL after a pass that found nothing
 * and gcRepeat (EMQX: 5 s) after a productive one. A pass removes EVERY actor whose lease ended (EMQX removes one per
 * pass): it lists the store's expired actors, then removes each with expireIfStillExpired, which re-checks the
 * incarnation and the lease atomically, so an actor that heartbeated in between survives and, when every node of a
 * cluster runs its own GC over one shared store, each actor is removed (and its lane cleared) exactly once.
 *
 * The timer only submits the pass to a serial executor of its own, so no timer thread ever waits on the store. Each
 * scheduled pass carries a generation; stop() and every reschedule move the generation on, so a pass that was
 * already queued when the receiver stopped does nothing. The GC's own monitor guards its timer state only; the store
 * calls run outside it.
 */

/**
 * Garbage collection of remote route actors whose lease ended. Thread: {@link #start} and {@link #stop} from any
 * thread; passes run on the GC executor.
 */
final class ActorGc {

    private static final Logger LOG = LoggerFactory.getLogger(ActorGc.class);

    private final RouteStore store;
    private final LeaseClock clock;
    private final EngineTime time;
    private final Executor executor;
    private final ReceiverTimings timings;

    // Guarded by this.
    private boolean running;
    private long generation;
    private Cancellable timer = Cancellable.DONE;

    /** @param executor a serial executor of its own, on which passes run */
    ActorGc(RouteStore store, LeaseClock clock, EngineTime time, Executor executor, ReceiverTimings timings) {
        this.store = store;
        this.clock = clock;
        this.time = time;
        this.executor = executor;
        this.timings = timings;
    }

    /** Schedules the first pass one TTL from now. Idempotent. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        schedule(timings.actorTtl());
    }

    /** Cancels the timer; a pass already queued does nothing. Idempotent. */
    synchronized void stop() {
        running = false;
        generation++;
        timer.cancel();
        timer = Cancellable.DONE;
    }

    private void schedule(Duration delay) {
        long g = ++generation;
        timer = time.scheduler().schedule(() -> executor.execute(() -> pass(g)), delay);
    }

    private synchronized boolean current(long g) {
        return running && g == generation;
    }

    private void pass(long g) {
        if (!current(g)) {
            return;
        }
        boolean productive = false;
        try {
            long now = clock.nowMillis();
            for (RouteStore.ActorRecord a : store.expiredActors(now)) {
                if (store.expireIfStillExpired(a.key(), a.incarnation(), now)) {
                    productive = true;
                    LOG.info(
                            "[{}] actor {} incarnation {} silent for more than {}; its routes were removed",
                            a.key().cluster(),
                            a.key().actor(),
                            a.incarnation(),
                            timings.actorTtl());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("route actor GC pass failed; retrying later", e);
        }
        synchronized (this) {
            if (!running || g != generation) {
                return;
            }
            try {
                schedule(productive ? timings.gcRepeat() : timings.actorTtl());
            } catch (RuntimeException e) {
                LOG.error("cannot schedule the next route actor GC pass; GC stops", e);
            }
        }
    }
}
