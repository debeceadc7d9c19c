package io.clink.core.internal.link;

import io.clink.api.topic.Subscription;

/**
 * Learns when a local route appears (its first holder subscribed) or disappears (its last holder left). Each link's
 * route actor is one, registered with {@link LocalRoutes#addListener} while the link runs.
 *
 * <p>Thread: called on whichever broker or resync thread changed the routes, while {@link LocalRoutes}' lock is
 * held, so every listener sees the changes in the order they happened. Blocking: never; an implementation hands the
 * change to its own executor and returns. It must not call back into {@link LocalRoutes}. Null policy: the route is
 * never null. Exceptions: an implementation must not throw; one that does skips the listeners after it for that
 * change, and the exception reaches the caller of {@link LocalRoutes}.
 */
public interface LocalRouteListener {

    /** A route this node did not have now has a holder. */
    void routeAdded(Subscription route);

    /** The last holder of a route let go of it. */
    void routeRemoved(Subscription route);
}
