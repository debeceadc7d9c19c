package io.clink.api.link;

/**
 * Learns of every state change of every route-replication actor, for logging, alarms or metrics.
 *
 * <p>Contract:
 * <ul>
 *   <li>Thread: the link's serial executor, right after the change took effect, so the changes of one link arrive
 *       one at a time and in order; changes of different links may arrive concurrently on different threads.
 *   <li>Blocking: must not block or wait for clink; it delays every other event of that link.
 *   <li>Happens-before: the new state is already visible in the link's {@link LinkStatus} snapshot when the
 *       listener runs.
 *   <li>Exceptions: caught, logged with the link name and counted; they neither undo the change nor stop later
 *       notifications.
 *   <li>Re-entrance: may read status and metrics; must not stop, start or reconfigure links from inside the call
 *       (hand that to another thread).
 * </ul>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ActorStateListener {

    /**
     * Called after an actor changed state.
     *
     * @param change what changed, not null
     * @since 0.1.0
     */
    void onStateChange(ActorStateChange change);
}
