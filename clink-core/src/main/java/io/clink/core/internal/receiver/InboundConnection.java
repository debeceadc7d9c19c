package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.core.internal.receiver.ActorTable.ActorId;
import org.jspecify.annotations.Nullable;

/**
 * Handshake state of one inbound link connection (SEEN, BOUND or CLOSING; see the state model in {@link
 * RouteReceiver}). Not thread-safe: only touched under the receiver's lock.
 */
final class InboundConnection {
    /** The cluster the connection last spoke for (its topic suffix), for clusterUnlinked. */
    String cluster;
    /** Set by an accepted actor_init, then fixed; null while SEEN or CLOSING. */
    @Nullable
    ActorId bound;

    long incarnation;
    boolean closing;

    InboundConnection(String cluster) {
        this.cluster = cluster;
    }

    /**
     * The lane a BOUND connection writes to, or -1 if the message names another actor than the one the connection
     * was bound to, or the actor table no longer holds the bound (actor, incarnation).
     */
    int boundLane(ActorTable actors, String cluster, String actor) {
        ActorId id = requireNonNull(bound);
        if (!id.cluster().equals(cluster) || !id.actor().equals(actor)) {
            return -1;
        }
        return actors.laneFor(id, incarnation);
    }

    /** Why {@link #boundLane} refused {@code what}, for the protocol error. */
    String staleOrMismatch(String cluster, String actor, String what) {
        ActorId id = requireNonNull(bound);
        if (!id.cluster().equals(cluster) || !id.actor().equals(actor)) {
            return what + " for actor " + actor + " of " + cluster + " on a connection initialised as actor "
                    + id.actor() + " of " + id.cluster();
        }
        return what + " through stale state: actor " + actor + " incarnation " + incarnation
                + " was garbage-collected or reincarnated";
    }
}
