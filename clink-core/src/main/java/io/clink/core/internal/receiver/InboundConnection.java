package io.clink.core.internal.receiver;

import static java.util.Objects.requireNonNull;

import io.clink.api.store.ActorKey;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Handshake state of one inbound link connection (SEEN, BOUND or CLOSING; see the state model in {@link
 * RouteReceiver}), and, with a shared store, the queue its publishes wait in. Written by the connection's own
 * publishes, one at a time; {@code closing} and {@code cluster} are also read and set by clusterUnlinked from other
 * threads, so the fields are volatile.
 */
final class InboundConnection {
    /** The cluster the connection last spoke for (its topic suffix), for clusterUnlinked. */
    volatile String cluster;
    /** Set by an accepted actor_init, then fixed; null while SEEN or CLOSING. */
    volatile @Nullable ActorKey bound;

    volatile long incarnation;
    volatile boolean closing;

    /** Where the connection's publishes run: the broker's thread (in-process store) or a serial queue. */
    final Executor executor;

    // Queue accounting for a shared store; touched by the broker thread (admit) and the queue (release).
    private int queued;
    private long queuedBytes;

    InboundConnection(String cluster, Executor executor) {
        this.cluster = cluster;
        this.executor = executor;
    }

    /** Reserves room for one more queued publish, or returns false if the connection is over either bound. */
    synchronized boolean admit(int bytes, int maxQueued, long maxBytes) {
        if (queued >= maxQueued || queuedBytes + bytes > maxBytes) {
            return false;
        }
        queued++;
        queuedBytes += bytes;
        return true;
    }

    synchronized void release(int bytes) {
        queued--;
        queuedBytes -= bytes;
    }

    /** Whether a message naming {@code actor} of {@code cluster} comes from the actor this connection is bound to. */
    boolean isBoundTo(String cluster, String actor) {
        ActorKey id = requireNonNull(bound);
        return id.cluster().equals(cluster) && id.actor().equals(actor);
    }

    /** Why a message for {@code actor} was refused on a BOUND connection, for the protocol error. */
    String staleOrMismatch(String cluster, String actor, String what) {
        ActorKey id = requireNonNull(bound);
        if (!id.cluster().equals(cluster) || !id.actor().equals(actor)) {
            return what + " for actor " + actor + " of " + cluster + " on a connection initialised as actor "
                    + id.actor() + " of " + id.cluster();
        }
        return what + " through stale state: actor " + actor + " incarnation " + incarnation
                + " was garbage-collected or reincarnated";
    }
}
