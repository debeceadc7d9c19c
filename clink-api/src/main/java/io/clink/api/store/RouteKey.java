package io.clink.api.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One route of a remote cluster: its topic filter and its opaque route id (protocol document section 4.6). A route
 * entry in a store is a {@code RouteKey} plus the set of lanes holding it. Immutable (the id bytes are copied in and
 * out); equal by value, so it can be a distributed map key.
 *
 * @since 0.1.0
 */
public final class RouteKey {
    private final String cluster;
    private final String filter;
    private final byte[] routeId;
    private final int hash;

    /**
     * Creates a key.
     *
     * @param cluster the remote cluster name, not empty
     * @param filter the topic filter, not empty (validated by the receiver before it reaches a store)
     * @param routeId the route id bytes, copied
     * @throws IllegalArgumentException if {@code cluster} or {@code filter} is empty
     * @throws NullPointerException if an argument is null
     */
    public RouteKey(String cluster, String filter, byte[] routeId) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.routeId = Objects.requireNonNull(routeId, "routeId").clone();
        if (cluster.isEmpty() || filter.isEmpty()) {
            throw new IllegalArgumentException("route key needs a non-empty cluster and filter, got cluster='" + cluster
                    + "' filter='" + filter + "'");
        }
        // Computed once: a store looks a key up at least once per route op.
        this.hash = (cluster.hashCode() * 31 + filter.hashCode()) * 31 + Arrays.hashCode(this.routeId);
    }

    /** The remote cluster name. */
    public String cluster() {
        return cluster;
    }

    /** The topic filter. */
    public String filter() {
        return filter;
    }

    /** A copy of the route id bytes. */
    public byte[] routeId() {
        return routeId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteKey k
                && hash == k.hash
                && cluster.equals(k.cluster)
                && filter.equals(k.filter)
                && Arrays.equals(routeId, k.routeId);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return cluster + ":" + filter + "#" + routeId.length + "b";
    }
}
