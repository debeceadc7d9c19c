package io.clink.core.internal.sender;

import io.clink.api.topic.Subscription;
import io.clink.api.topic.TopicAlgebra;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one link replicates of this node's routes (protocol section 4.8): the link topics are reduced with {@link
 * TopicAlgebra#union} once, and each local route contributes one op per surviving intersection of its filter with
 * them, keyed by the route's id (the filter, or {@code $s/<group>/<filter>} for a shared subscription).
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplicationSet {

    private final List<String> unionTopics;

    /**
     * @param linkTopics the link's topics; redundant entries are tolerated and dropped here
     */
    public ReplicationSet(Collection<String> linkTopics) {
        this.unionTopics = TopicAlgebra.union(linkTopics);
    }

    /** The link topics after reduction with {@link TopicAlgebra#union}. */
    public List<String> unionTopics() {
        return unionTopics;
    }

    /**
     * The ops one local route's appearance or disappearance produces on this link.
     *
     * @param route the local route
     * @param delete true for the route's disappearance
     * @return the ops, empty if the route and the link topics are disjoint
     */
    public List<RouteOp> ops(Subscription route, boolean delete) {
        List<String> hits = TopicAlgebra.intersections(route.filter().value(), unionTopics);
        List<RouteOp> ops = new ArrayList<>(hits.size());
        String routeId = route.routeId();
        for (String filter : hits) {
            ops.add(new RouteOp(delete, filter, routeId));
        }
        return ops;
    }
}
