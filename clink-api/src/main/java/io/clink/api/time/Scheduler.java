package io.clink.api.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a task once after a delay. The engine uses it for every timer it has (heartbeats, handshake timeouts,
 * reconnect backoff, route TTL and garbage collection, periodic resync), and reads the time those timers are based
 * on from its {@link Ticker}; a test pairs a fake ticker with a scheduler that fires when the fake clock is advanced.
 *
 * <p>Contract for implementations: thread-safe; {@link #schedule} may be called from any thread, including from a
 * task it runs, must not block and must not run the task on the calling thread. Tasks are short: clink's tasks
 * only hand work over to a link's serial executor. A task that throws does not stop later tasks from running.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Schedules {@code task} to run once, no earlier than {@code delay} from now.
     *
     * <p>Thread: any. Blocking: no. Null policy: both arguments non-null, else {@link NullPointerException}. A zero
     * or negative delay means "as soon as possible" on a scheduler thread.
     *
     * @param task what to run; exceptions it throws are caught and reported by the scheduler, never propagated
     * @param delay how long to wait
     * @return a handle that cancels the task
     * @throws java.util.concurrent.RejectedExecutionException if the scheduler has been shut down
     * @since 0.1.0
     */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * The shared system scheduler: one daemon thread named {@code clink-scheduler}, created on first use, whose
     * cancelled tasks are removed at once. Exceptions thrown by tasks are logged through {@link System.Logger} and
     * do not stop the thread.
     *
     * @return the shared scheduler
     * @since 0.1.0
     */
    static Scheduler system() {
        return SystemScheduler.Holder.INSTANCE;
    }

    /**
     * A scheduler backed by {@code executor}. The caller keeps ownership: shutting the executor down is up to it.
     * Exceptions thrown by tasks are logged through {@link System.Logger}.
     *
     * @param executor the executor to schedule on, not null
     * @return a scheduler delegating to it
     * @since 0.1.0
     */
    static Scheduler of(ScheduledExecutorService executor) {
        return new SystemScheduler(Objects.requireNonNull(executor, "executor"));
    }
}
