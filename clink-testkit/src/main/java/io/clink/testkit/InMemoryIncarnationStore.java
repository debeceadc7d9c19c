package io.clink.testkit;

import io.clink.api.IncarnationStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IncarnationStore} kept in memory for the lifetime of the object, like a node's data directory that
 * survives restarts of the engine but not of the test. It can be told to fail, for tests of a store that cannot be
 * read or written (a full disk).
 *
 * <p>Thread-safe; never blocks beyond its own lock.
 *
 * @since 0.1.0
 */
public final class InMemoryIncarnationStore implements IncarnationStore {

    private final Map<String, Long> stored = new HashMap<>();
    private @Nullable RuntimeException failure;

    /** An empty store. */
    public InMemoryIncarnationStore() {}

    /**
     * {@inheritDoc}
     *
     * @throws RuntimeException the failure set by {@link #failWith}, if any
     */
    @Override
    public synchronized OptionalLong load(String actorKey) {
        Objects.requireNonNull(actorKey, "actorKey");
        if (failure != null) {
            throw failure;
        }
        Long v = stored.get(actorKey);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RuntimeException the failure set by {@link #failWith}, if any
     */
    @Override
    public synchronized void store(String actorKey, long incarnation) {
        Objects.requireNonNull(actorKey, "actorKey");
        if (failure != null) {
            throw failure;
        }
        stored.put(actorKey, incarnation);
    }

    /**
     * Makes every later {@link #load} and {@link #store} throw {@code failure}, or, with null, work again.
     *
     * @param failure what to throw, or null to stop failing
     */
    public synchronized void failWith(@Nullable RuntimeException failure) {
        this.failure = failure;
    }

    /**
     * What is stored now, by actor key.
     *
     * @return a snapshot copy
     */
    public synchronized Map<String, Long> stored() {
        return Map.copyOf(stored);
    }
}
