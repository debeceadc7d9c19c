package io.clink.api.store;

import java.util.Objects;

/**
 * One decoded, validated route operation of an actor: add or delete its lane on a route. Applying the same op twice
 * leaves the same state (idempotent per cluster, filter, route id and lane).
 *
 * @param route the route
 * @param add true to set the actor's lane on the route, false to clear it
 * @since 0.1.0
 */
public record RouteOp(RouteKey route, boolean add) {

    /** @throws NullPointerException if {@code route} is null */
    public RouteOp {
        Objects.requireNonNull(route, "route");
    }
}
