package io.clink.core.internal.engine;

import com.google.common.util.concurrent.MoreExecutors;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Makes serial executors over the one shared pool that runs link work: each component confines its state to its own
 * serial executor, while the threads stay shared (the pool may be the broker's, given to the builder).
 *
 * <p>Thread-safety: {@link #newSerialExecutor()} may be called from any thread.
 */
public final class SerialExecutors {

    private final Executor pool;

    /**
     * @param pool the shared executor every serial executor runs on
     */
    public SerialExecutors(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** A new serial executor over the pool: its tasks run one at a time, in submission order. */
    public Executor newSerialExecutor() {
        return MoreExecutors.newSequentialExecutor(pool);
    }
}
