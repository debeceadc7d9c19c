package io.clink.core.internal.connection;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timers for one serial executor that outlive a failing scheduler: a scheduler that throws (a custom {@link
 * Scheduler} with a bug, or one shut down under the engine) must not leave a connection without its reconnect,
 * heartbeat or timeout. See the package comment for the fallback order.
 *
 * <p>Thread-safe. Tasks run on the serial executor, never on the scheduler's thread or the caller's.
 */
public final class GuardedScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedScheduler.class);

    private final String owner;
    private final Scheduler scheduler;
    private final Scheduler fallback;
    private final Executor serial;

    /**
     * Creates timers whose last resort before running a task at once is {@link Scheduler#system()}.
     *
     * @param owner names the owner in log lines, for example {@code "link b actor n1"}
     * @param scheduler the engine's scheduler
     * @param serial the owner's serial executor, where every task runs
     */
    public GuardedScheduler(String owner, Scheduler scheduler, Executor serial) {
        this(owner, scheduler, Scheduler.system(), serial);
    }

    /** As the public constructor, with the fallback scheduler injected (tests). */
    GuardedScheduler(String owner, Scheduler scheduler, Scheduler fallback, Executor serial) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.serial = Objects.requireNonNull(serial, "serial");
    }

    /**
     * Runs {@code task} on the serial executor once, no earlier than {@code delay} from now (unless every scheduler
     * failed, then as soon as possible). Thread: any. Blocking: no. Never throws for a failing scheduler.
     *
     * @param delay how long to wait, not null
     * @param task what to run on the serial executor, not null
     * @return a handle that calls the task off; cancelling after the task ran does nothing
     * @throws NullPointerException if an argument is null
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Timer t = new Timer(Objects.requireNonNull(delay, "delay"), Objects.requireNonNull(task, "task"));
        t.arm();
        return t;
    }

    /** The owner's serial executor, where every task runs. */
    Executor serial() {
        return serial;
    }

    private final class Timer implements Cancellable {
        private final Duration delay;
        private final Runnable task;
        private final AtomicBoolean done = new AtomicBoolean(); // cancelled or ran
        private volatile Cancellable armed = Cancellable.DONE;

        Timer(Duration delay, Runnable task) {
            this.delay = delay;
            this.task = task;
        }

        void arm() {
            try {
                armed = scheduler.schedule(this::fire, delay);
                return;
            } catch (RuntimeException e) {
                LOG.warn(
                        "{}: the scheduler refused a {} timer ({}); trying again on the next turn",
                        owner,
                        delay,
                        e.toString());
            }
            serial.execute(this::armAgain);
        }

        private void armAgain() {
            if (done.get()) {
                return;
            }
            try {
                armed = scheduler.schedule(this::fire, delay);
                return;
            } catch (RuntimeException e) {
                LOG.warn(
                        "{}: the scheduler refused a {} timer again ({}); using clink's system scheduler",
                        owner,
                        delay,
                        e.toString());
            }
            try {
                armed = fallback.schedule(this::fire, delay);
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: no scheduler accepts a {} timer ({}); running its task now", owner, delay, e.toString());
            }
            fire();
        }

        private void fire() {
            serial.execute(() -> {
                if (done.compareAndSet(false, true)) {
                    task.run();
                }
            });
        }

        @Override
        public boolean cancel() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            armed.cancel();
            return true;
        }
    }
}
