package io.clink.core.internal.receiver;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.store.ActorInit.Outcome;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.route.RouteIndex;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * actor_init, first table (link checks, in this order; proto_ver is read but not checked, as in EMQX):
 *   no link named C here                     -> ack {error, <<"unknown_cluster">>}
 *   link C disabled                          -> ack {error, <<"cluster_link_disabled">>}
 *   link C enabled, target (13) != own name  -> ack {error, <<"bad_remote_cluster_link_name">>}
 *   link C enabled, target == own name       -> second table
 *   (an error ack carries need_bootstrap = undefined)
 * actor_init, second table (RouteStore.initActor on {C, Actor}, one atomic step however many nodes race):
 *   no record                 -> create on the lowest free lane, lease = now + TTL    -> ack ok, need_bootstrap true
 *   same incarnation          -> extend the lease                                     -> ack ok, need_bootstrap false
 *   older record (we got a greater incarnation)
 *                             -> clear the old lane on every route of C, keep the lane for the new incarnation
 *                                                                                     -> ack ok, need_bootstrap true
 *   newer record (we got a smaller incarnation, OUTDATED)
 *                             -> no ack, DISCONNECT 0x83, counted as a protocol error
 *   RouteIndex.MAX_LANES (1024) live actors of C -> no ack, DISCONNECT 0x97 (quota exceeded), not a protocol error
 * The ack goes to the request's Response-Topic at QoS 1 with its Correlation-Data echoed; a request lacking either
 * property is a protocol error and changes nothing (EMQX crashes after writing the actor record). A second
 * actor_init on one connection is a protocol error: BOUND is set once.
 */

/**
 * The receiver's side of the route actor handshake ({@code actor_init}): the link checks, the store's verdict on the
 * incarnation, binding the connection to the actor, and the ack. Called for one connection at a time; the store
 * makes the verdict atomic across connections and nodes.
 */
final class ActorInitAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ActorInitAdmission.class);

    private final Supplier<ClusterLinkConfig> config;
    private final RouteStore store;
    private final LeaseClock clock;
    private final ProtocolErrors errors;

    ActorInitAdmission(Supplier<ClusterLinkConfig> config, RouteStore store, LeaseClock clock, ProtocolErrors errors) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.errors = errors;
    }

    ReceiveOutcome init(
            LinkConnection conn, InboundConnection state, String cluster, ActorInit init, PublishProperties props) {
        ActorKey bound = state.bound;
        if (bound != null) {
            return errors.raise(
                    conn,
                    state,
                    cluster,
                    "second actor_init on one connection (actor " + init.actor()
                            + "); it is already initialised as actor " + bound.actor() + " of "
                            + bound.cluster());
        }
        Optional<String> responseTopic = props.responseTopic();
        if (responseTopic.isEmpty()) {
            return errors.raise(
                    conn, state, cluster, "actor_init of actor " + init.actor() + " lacks the Response-Topic");
        }
        Optional<byte[]> correlation = props.correlationData();
        if (correlation.isEmpty()) {
            return errors.raise(
                    conn, state, cluster, "actor_init of actor " + init.actor() + " lacks the Correlation-Data");
        }
        ControlMessage.Result result;
        Optional<LinkConfig> link = config.get().link(cluster);
        if (link.isEmpty()) {
            result = reject(cluster, init, Rejected.UNKNOWN_CLUSTER, "no link named " + cluster + " here");
        } else if (!link.get().enable()) {
            result = reject(cluster, init, Rejected.CLUSTER_LINK_DISABLED, "the link is disabled here");
        } else if (!init.targetCluster().equals(config.get().name())) {
            result = reject(
                    cluster,
                    init,
                    Rejected.BAD_REMOTE_CLUSTER_LINK_NAME,
                    "it calls this cluster " + init.targetCluster() + " but this cluster is named "
                            + config.get().name());
        } else {
            ActorKey id = new ActorKey(cluster, init.actor());
            io.clink.api.store.ActorInit r =
                    store.initActor(id, init.incarnation(), clock.nowMillis(), clock.leaseMillis());
            if (r.outcome() == Outcome.OUTDATED) {
                return errors.raise(
                        conn,
                        state,
                        cluster,
                        "outdated incarnation " + init.incarnation() + " of actor "
                                + init.actor() + "; this cluster holds incarnation "
                                + store.actor(id)
                                        .map(a -> Long.toString(a.incarnation()))
                                        .orElse("?"));
            }
            if (r.outcome() == Outcome.NO_FREE_LANE) {
                state.closing = true;
                LOG.warn(
                        "[{}] actor {} refused: the cluster already has {} live actors",
                        cluster,
                        init.actor(),
                        RouteIndex.MAX_LANES);
                return ReceiveOutcome.disconnect(
                        ReasonCodes.QUOTA_EXCEEDED,
                        "cluster " + cluster + " already has " + RouteIndex.MAX_LANES + " live route actors");
            }
            state.bound = id;
            state.incarnation = init.incarnation();
            result = new Accepted(r.needBootstrap());
            LOG.debug(
                    "[{}] actor {} incarnation {} {} on lane {}",
                    cluster,
                    init.actor(),
                    init.incarnation(),
                    r.outcome(),
                    r.lane());
        }
        MqttMessage ack = MqttMessage.builder()
                .topic(responseTopic.get())
                .qos(1)
                .payload(ControlCodec.encode(new ActorInitAck(init.actor(), ControlMessage.PROTOCOL_VERSION, result)))
                .properties(PublishProperties.builder()
                        .correlationData(correlation.get())
                        .build())
                .timestampMillis(clock.wallClockMillis())
                .build();
        return ReceiveOutcome.reply(ack);
    }

    private static Rejected reject(String cluster, ActorInit init, String reason, String why) {
        LOG.warn("[{}] actor_init of actor {} rejected ({}): {}", cluster, init.actor(), reason, why);
        return new Rejected(reason);
    }
}
