package io.clink.core.internal.protocol;

import io.clink.core.internal.route.RouteId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message on the route-replication channel ({@code $LINK/cluster/route/<C>} and the handshake reply on
 * {@code $LINK/cluster/resp/...}): an ETF map keyed by {@code '$op'} and small integers (protocol section 3.2).
 * Encode and decode with {@link ControlCodec}.
 */
public sealed interface ControlMessage
        permits ControlMessage.ActorInit,
                ControlMessage.ActorInitAck,
                ControlMessage.RouteBatch,
                ControlMessage.Heartbeat {

    /** The protocol version clink speaks (key 14). */
    int PROTOCOL_VERSION = 1;

    /**
     * Returns the actor (key 10): an Erlang node name, or {@code ps-routes-v1} for the durable-session actor.
     *
     * @return the actor name
     */
    String actor();

    /**
     * The handshake request (section 3.3).
     *
     * @param actor the sending actor (key 10)
     * @param incarnation the actor's incarnation (key 11), strictly increasing across restarts
     * @param targetCluster the name the sender expects the receiver to have (key 13)
     * @param protocolVersion the sender's protocol version (key 14), 1 for v1
     */
    record ActorInit(String actor, long incarnation, String targetCluster, long protocolVersion)
            implements ControlMessage {
        /** Validates the fields. */
        public ActorInit {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(targetCluster, "targetCluster");
        }
    }

    /**
     * The handshake reply (section 3.4).
     *
     * @param actor the actor being answered (key 10)
     * @param protocolVersion the receiver's protocol version (key 14)
     * @param result key 15 (and 16)
     */
    record ActorInitAck(String actor, long protocolVersion, Result result) implements ControlMessage {
        /** Validates the fields. */
        public ActorInitAck {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(result, "result");
        }
    }

    /** The outcome carried by an {@link ActorInitAck}. */
    sealed interface Result permits Accepted, Rejected {}

    /**
     * Handshake accepted: key 15 is {@code ok}, key 16 the need-bootstrap flag.
     *
     * @param needBootstrap true if the receiver holds no routes of this actor and wants the full snapshot
     */
    record Accepted(boolean needBootstrap) implements Result {}

    /**
     * Handshake refused: key 15 is {@code {error, Reason}}, key 16 {@code undefined}.
     *
     * @param reason a binary reason such as {@code unknown_cluster}, {@code bad_remote_cluster_link_name} or
     *     {@code cluster_link_disabled}
     */
    record Rejected(String reason) implements Result {
        /** Well-known reason: the receiver has no link named after the sender. */
        public static final String UNKNOWN_CLUSTER = "unknown_cluster";
        /** Well-known reason: the target cluster name the sender used is not the receiver's own name. */
        public static final String BAD_REMOTE_CLUSTER_LINK_NAME = "bad_remote_cluster_link_name";
        /** Well-known reason: the receiver's link to the sender is disabled. */
        public static final String CLUSTER_LINK_DISABLED = "cluster_link_disabled";

        /** Validates the fields. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A batch of route operations (section 3.5).
     *
     * @param actor the sending actor (key 10)
     * @param incarnation the sender's incarnation (key 11; EMQX receivers ignore it)
     * @param ops the operations in order (key 12), without the skipped ones
     * @param skipped how many elements of key 12 the decoder could not read as an operation (wrong shape, a filter
     *     that is not a UTF-8 binary, a route id that is not a binary) and left out of {@code ops}; never encoded
     * @param firstSkipped why the first of them was skipped, or null when none was
     */
    record RouteBatch(
            String actor,
            long incarnation,
            List<RouteOp> ops,
            int skipped,
            @Nullable String firstSkipped) implements ControlMessage {
        /** Validates and copies the fields. */
        public RouteBatch {
            Objects.requireNonNull(actor, "actor");
            ops = List.copyOf(ops);
            if (skipped < 0 || (skipped == 0) != (firstSkipped == null)) {
                throw new IllegalArgumentException(
                        "skipped count " + skipped + " disagrees with first reason " + firstSkipped);
            }
        }

        /**
         * A batch of well-formed operations (what senders build).
         *
         * @param actor the sending actor
         * @param incarnation the sender's incarnation
         * @param ops the operations in order
         */
        public RouteBatch(String actor, long incarnation, List<RouteOp> ops) {
            this(actor, incarnation, ops, 0, null);
        }
    }

    /**
     * One route operation: add {@code {Filter, RouteId}} or delete {@code {100, Filter, RouteId}}.
     *
     * @param delete true for a delete
     * @param filter the topic filter, as decoded; the receiver still validates it as an MQTT filter
     * @param routeId the route id, opaque bytes: the original filter, {@code $s/<group>/<filter>} for a shared
     *     subscription, {@code $p/<client-id>/<filter>} or {@code $sp/<group>/<client-id>/<filter>} for a durable
     *     session, whose client id EMQX does not require to be UTF-8
     */
    record RouteOp(boolean delete, String filter, RouteId routeId) {
        /** Validates the fields. */
        public RouteOp {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(routeId, "routeId");
        }

        /**
         * An operation whose route id is text (clink's own senders), keyed by its UTF-8 bytes.
         *
         * @param delete true for a delete
         * @param filter the topic filter
         * @param routeId the route id as text
         */
        public RouteOp(boolean delete, String filter, String routeId) {
            this(delete, filter, RouteId.utf8(Objects.requireNonNull(routeId, "routeId")));
        }

        /**
         * Returns an add operation.
         *
         * @param filter the topic filter
         * @param routeId the route id
         * @return the operation
         */
        public static RouteOp add(String filter, String routeId) {
            return new RouteOp(false, filter, routeId);
        }

        /**
         * Returns a delete operation.
         *
         * @param filter the topic filter
         * @param routeId the route id
         * @return the operation
         */
        public static RouteOp delete(String filter, String routeId) {
            return new RouteOp(true, filter, routeId);
        }
    }

    /**
     * The liveness message (section 3.6), sent at QoS 0.
     *
     * @param actor the sending actor (key 10)
     * @param incarnation the sender's incarnation (key 11; EMQX receivers ignore it)
     */
    record Heartbeat(String actor, long incarnation) implements ControlMessage {
        /** Validates the fields. */
        public Heartbeat {
            Objects.requireNonNull(actor, "actor");
        }
    }
}
