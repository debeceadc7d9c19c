package io.clink.api.store;

import java.util.Objects;

/**
 * A change of the store's route table, delivered to every node's {@link RouteStore.Listener} so it can update its
 * local route index. Events about one route (or one lane, or one cluster) arrive in the order the store applied
 * them.
 *
 * @since 0.1.0
 */
public sealed interface RouteEvent {

    /**
     * A lane now holds a route (also used for every entry of a bootstrap snapshot, once per lane).
     *
     * @param route the route
     * @param lane the lane
     */
    record LaneAdded(RouteKey route, int lane) implements RouteEvent {
        /** @throws NullPointerException if {@code route} is null */
        public LaneAdded {
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * A lane no longer holds a route; the route is gone when no lane holds it.
     *
     * @param route the route
     * @param lane the lane
     */
    record LaneDeleted(RouteKey route, int lane) implements RouteEvent {
        /** @throws NullPointerException if {@code route} is null */
        public LaneDeleted {
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * Every route of a cluster lost a lane at once (its actor expired, was reincarnated or unlinked). Sent instead of
     * one {@link LaneDeleted} per route so a store can clear a lane in one step.
     *
     * @param cluster the remote cluster
     * @param lane the lane
     */
    record LaneCleared(String cluster, int lane) implements RouteEvent {
        /** @throws NullPointerException if {@code cluster} is null */
        public LaneCleared {
            Objects.requireNonNull(cluster, "cluster");
        }
    }

    /**
     * Every actor and route of a cluster was removed (the link was deleted).
     *
     * @param cluster the remote cluster
     */
    record ClusterRemoved(String cluster) implements RouteEvent {
        /** @throws NullPointerException if {@code cluster} is null */
        public ClusterRemoved {
            Objects.requireNonNull(cluster, "cluster");
        }
    }
}
