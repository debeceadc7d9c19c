package io.clink.api;

import java.util.OptionalLong;

/**
 * Remembers the last incarnation each route-replication actor used, so that the next one is strictly greater even
 * when the wall clock went backwards across a restart.
 *
 * <p>Why it matters: the receiving cluster keeps an actor's routes under its incarnation; an {@code actor_init} with
 * a smaller incarnation than the stored one is refused until the old record expires (EMQX derives incarnations from
 * the clock alone, protocol document section 7, item 11). clink takes {@code max(now in ms, last + 1)} and records
 * it here <em>before</em> using it.
 *
 * <p>clink ships a file-backed default; a clustered broker may back it with its own store. Thread: called on a
 * link's executor, once per actor start (not per reconnect). Blocking: may block on I/O. Null policy: arguments
 * are never null. Exceptions: a failure of {@link #load} or {@link #store} stops that actor's start with the
 * exception logged and counted, and the start is retried with backoff; it is never silently ignored, because an
 * unrecorded incarnation could be reused.
 *
 * @since 0.1.0
 */
public interface IncarnationStore {

    /**
     * Reads the last incarnation recorded for an actor.
     *
     * @param actorKey identifies the actor: the local link name and the actor name, as {@code <link>/<actor>}
     * @return the last recorded incarnation, or empty if none was ever recorded
     * @throws java.io.UncheckedIOException if the store cannot be read
     */
    OptionalLong load(String actorKey);

    /**
     * Durably records an incarnation for an actor, replacing the previous one.
     *
     * @param actorKey as for {@link #load}
     * @param incarnation the incarnation about to be used
     * @throws java.io.UncheckedIOException if the store cannot be written
     */
    void store(String actorKey, long incarnation);

    /**
     * The next incarnation for an actor: {@code max(nowMillis, last + 1)}, recorded before it is returned.
     *
     * @param actorKey as for {@link #load}
     * @param nowMillis the current wall-clock time in milliseconds
     * @return the new incarnation, strictly greater than any earlier one recorded for {@code actorKey}
     */
    default long next(String actorKey, long nowMillis) {
        OptionalLong last = load(actorKey);
        long next = last.isPresent() ? Math.max(nowMillis, Math.addExact(last.getAsLong(), 1)) : nowMillis;
        store(actorKey, next);
        return next;
    }
}
