package io.clink.core.internal.link;

import java.util.Objects;

/**
 * One replicated route operation: add or delete of {@code (filter, routeId)}, where {@code filter} is the
 * intersection of a local subscription with a link topic and {@code routeId} names the local route that produced
 * it (protocol document sections 1.5 and 3.5).
 *
 * @param kind add or delete
 * @param filter the replicated topic filter
 * @param routeId the opaque route identity
 */
public record RouteOp(Kind kind, String filter, String routeId) {

    /** Whether a route appears or disappears. */
    public enum Kind {
        ADD,
        DELETE
    }

    public RouteOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(routeId, "routeId");
    }

    public static RouteOp add(String filter, String routeId) {
        return new RouteOp(Kind.ADD, filter, routeId);
    }

    public static RouteOp delete(String filter, String routeId) {
        return new RouteOp(Kind.DELETE, filter, routeId);
    }

    /** The stash key: a later op on the same key replaces an earlier one. */
    public RouteKey key() {
        return new RouteKey(filter, routeId);
    }

    /** Identity of a replicated route. */
    public record RouteKey(String filter, String routeId) {
        public RouteKey {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(routeId, "routeId");
        }
    }
}
