package io.clink.core.internal.connection;

import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/** A scheduler that refuses the next {@link #failNext} calls, then delegates again. Single-threaded tests only. */
public final class FailingScheduler implements Scheduler {

    private final Scheduler delegate;
    private int failuresLeft;
    private int refused;

    public FailingScheduler(Scheduler delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Makes the next {@code calls} calls throw {@link RejectedExecutionException}. */
    public void failNext(int calls) {
        failuresLeft = calls;
    }

    /** How many calls were refused so far. */
    public int refused() {
        return refused;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        if (failuresLeft > 0) {
            failuresLeft--;
            refused++;
            throw new RejectedExecutionException("scheduler refuses (test)");
        }
        return delegate.schedule(task, delay);
    }
}
