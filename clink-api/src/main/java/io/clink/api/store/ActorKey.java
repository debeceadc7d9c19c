package io.clink.api.store;

import java.util.Objects;

/**
 * Identity of a remote route-replication actor: the remote cluster's name and the actor's name there. Immutable;
 * equal by value, so it can be a distributed map key.
 *
 * @param cluster the remote cluster name, not empty
 * @param actor the actor name within that cluster, not empty
 * @since 0.1.0
 */
public record ActorKey(String cluster, String actor) {

    /**
     * Validates the key.
     *
     * @throws IllegalArgumentException if {@code cluster} or {@code actor} is empty
     * @throws NullPointerException if either is null
     */
    public ActorKey {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(actor, "actor");
        if (cluster.isEmpty() || actor.isEmpty()) {
            throw new IllegalArgumentException("actor key needs a non-empty cluster and actor, got cluster='" + cluster
                    + "' actor='" + actor + "'");
        }
    }
}
