package io.clink.api.time;

/**
 * A handle on a task given to a {@link Scheduler}, used to call it off.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Cancellable {

    /** A handle whose task has already run or never existed; cancelling it does nothing. */
    Cancellable DONE = () -> false;

    /**
     * Calls the task off if it has not started yet. Thread: any. Blocking: no. Idempotent; never throws. A task that
     * is already running is not interrupted, so callers that must ignore a late run still check their own state
     * (for example an incarnation number) when the task runs.
     *
     * @return {@code true} if this call prevented the task from running, {@code false} if it had already started,
     *     finished or been cancelled
     * @since 0.1.0
     */
    boolean cancel();
}
