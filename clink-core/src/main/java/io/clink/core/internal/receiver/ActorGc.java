package io.clink.core.internal.receiver;

import io.clink.api.time.Cancellable;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.receiver.ActorTable.Actor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Section 4.5 of the protocol, improved: a timer fires TTL after start(), then TTL after a pass that found nothing
 * and gcRepeat (EMQX: 5 s) after a productive one. A pass removes EVERY actor whose lease ended (EMQX removes one per
 * pass); the actor table clears its lane in the route index.
 *
 * The timer only submits the pass to a serial executor of its own, so no timer thread ever waits for the lock. Each
 * scheduled pass carries a generation; stop() and every reschedule move the generation on, so a pass that was
 * already queued when the receiver stopped does nothing.
 */

/**
 * Garbage collection of remote route actors whose lease ended. Thread: {@link #start} and {@link #stop} from any
 * thread; passes run on the GC executor. Everything, the pass included, holds the receiver's lock, which also guards
 * the actor table.
 */
final class ActorGc {

    private static final Logger LOG = LoggerFactory.getLogger(ActorGc.class);

    private final Object lock;
    private final ActorTable actors;
    private final EngineTime time;
    private final Executor executor;
    private final ReceiverTimings timings;

    // Guarded by lock.
    private boolean running;
    private long generation;
    private Cancellable timer = Cancellable.DONE;

    /**
     * @param lock the receiver's lock, which guards {@code actors}
     * @param executor a serial executor of its own, on which passes run
     */
    ActorGc(Object lock, ActorTable actors, EngineTime time, Executor executor, ReceiverTimings timings) {
        this.lock = lock;
        this.actors = actors;
        this.time = time;
        this.executor = executor;
        this.timings = timings;
    }

    /** Schedules the first pass one TTL from now. Idempotent. */
    void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            schedule(timings.actorTtl());
        }
    }

    /** Cancels the timer; a pass already queued does nothing. Idempotent. */
    void stop() {
        synchronized (lock) {
            running = false;
            generation++;
            timer.cancel();
            timer = Cancellable.DONE;
        }
    }

    private void schedule(Duration delay) {
        long g = ++generation;
        timer = time.scheduler().schedule(() -> executor.execute(() -> pass(g)), delay);
    }

    private void pass(long g) {
        synchronized (lock) {
            if (!running || g != generation) {
                return;
            }
            boolean productive = false;
            try {
                List<Actor> collected = actors.collectExpired(time.ticker().nanoTime());
                productive = !collected.isEmpty();
                for (Actor a : collected) {
                    LOG.info(
                            "[{}] actor {} incarnation {} silent for more than {}; its routes were removed",
                            a.id().cluster(),
                            a.id().actor(),
                            a.incarnation(),
                            timings.actorTtl());
                }
            } catch (RuntimeException e) {
                LOG.error("route actor GC pass failed; retrying later", e);
            }
            try {
                schedule(productive ? timings.gcRepeat() : timings.actorTtl());
            } catch (RuntimeException e) {
                LOG.error("cannot schedule the next route actor GC pass; GC stops", e);
            }
        }
    }
}
