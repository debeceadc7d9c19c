package io.clink.api.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} over a {@link ScheduledExecutorService}. */
final class SystemScheduler implements Scheduler {

    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

    private final ScheduledExecutorService executor;

    SystemScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(delay, "delay");
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        ScheduledFuture<?> f = executor.schedule(() -> runGuarded(task), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // A task's failure must not cancel the executor's later tasks; the task owner logs its own context.
            LOG.log(System.Logger.Level.WARNING, "scheduled task " + task + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "Scheduler.of(" + executor + ")";
    }

    /** Lazily creates the shared scheduler thread on first use of {@link Scheduler#system()}. */
    static final class Holder {
        static final Scheduler INSTANCE = new SystemScheduler(newExecutor());

        private Holder() {}

        private static ScheduledExecutorService newExecutor() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "clink-scheduler");
                t.setDaemon(true);
                return t;
            });
            // Cancelled heartbeat and timeout tasks would otherwise pile up in the queue until their delay passes.
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }
}
