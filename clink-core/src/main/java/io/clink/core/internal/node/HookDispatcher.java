package io.clink.core.internal.node;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.topic.Subscription;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.forward.ForwardedReceiver;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.receiver.RouteReceiver;
import io.clink.core.internal.route.MatchSink;
import io.clink.core.internal.route.RouteIndex;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClusterLinkHooks} a broker calls, dispatched to the part each event concerns: subscription events to the
 * {@link LocalRoutes}, local publishes through the remote {@link RouteIndex} to the running links' forwarding pools,
 * inbound {@code $LINK/cluster/route/...} and {@code $LINK/cluster/msg/...} publishes to the {@link RouteReceiver}
 * and the {@link ForwardedReceiver}; any other inbound link publish is refused and its connection closed.
 *
 * <p>Invariants: before {@link #activate()} and after {@link #deactivate()} every event is ignored (an inbound link
 * publish is answered with {@link ReasonCodes#UNSPECIFIED_ERROR}), except that a connection close after an
 * activation always releases the connection; a message that came over a link is never forwarded again; no exception thrown by
 * clink's parts reaches the broker, only the {@link NullPointerException} of a null argument.
 *
 * <p>Threading: the hooks are called on broker threads, concurrently; they never block (see {@link
 * ClusterLinkHooks}). Each publisher thread reuses one match sink, so a publish allocates nothing here.
 */
public final class HookDispatcher implements ClusterLinkHooks {

    private static final Logger LOG = LoggerFactory.getLogger(HookDispatcher.class);

    private static final String ROUTE_PREFIX = "$LINK/cluster/route/";
    private static final String MSG_PREFIX = "$LINK/cluster/msg/";

    /** Forwards one publish to each matched cluster; one per publisher thread, reused. */
    private final class ForwardingSink extends MatchSink {
        @Nullable
        MqttMessage message;

        @Override
        protected void accept(String cluster) {
            RunningLink link = links.running(cluster);
            MqttMessage m = message;
            if (link != null && m != null) {
                link.forward(m);
            }
        }
    }

    private final String localCluster;
    private final LocalRoutes localRoutes;
    private final RouteIndex remoteRoutes;
    private final LinkSupervisor links;
    private final RouteReceiver routeReceiver;
    private final ForwardedReceiver forwardedReceiver;
    private final GuardedBroker broker;
    private final LinkAccess access;
    private final ThreadLocal<ForwardingSink> sinks = ThreadLocal.withInitial(ForwardingSink::new);
    private volatile boolean activated;
    private volatile boolean deactivated;

    /**
     * @param localCluster this cluster's name, for log lines and disconnects
     * @param localRoutes receives subscription events
     * @param remoteRoutes the routes remote clusters replicated here, which local publishes are matched against
     * @param links the running links, whose forwarding pools take matched publishes
     * @param routeReceiver handles inbound route replication
     * @param forwardedReceiver handles inbound forwarded messages
     * @param broker disconnects inbound connections that publish where they may not
     * @param access decides every {@code $LINK} publish before anything else ({@link LinkAccess#OPEN}: no rules)
     */
    public HookDispatcher(
            String localCluster,
            LocalRoutes localRoutes,
            RouteIndex remoteRoutes,
            LinkSupervisor links,
            RouteReceiver routeReceiver,
            ForwardedReceiver forwardedReceiver,
            GuardedBroker broker,
            LinkAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        this.localCluster = Objects.requireNonNull(localCluster, "localCluster");
        this.localRoutes = Objects.requireNonNull(localRoutes, "localRoutes");
        this.remoteRoutes = Objects.requireNonNull(remoteRoutes, "remoteRoutes");
        this.links = Objects.requireNonNull(links, "links");
        this.routeReceiver = Objects.requireNonNull(routeReceiver, "routeReceiver");
        this.forwardedReceiver = Objects.requireNonNull(forwardedReceiver, "forwardedReceiver");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /** From now on events are dispatched, until {@link #deactivate()}. Thread: any. */
    public void activate() {
        activated = true;
    }

    /** From now on events are ignored, for good, except connection closes after an activation. Thread: any. */
    public void deactivate() {
        deactivated = true;
    }

    private boolean active() {
        return activated && !deactivated;
    }

    @Override
    public void onSubscribe(String clientId, String subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        if (!active()) {
            return;
        }
        Subscription route = localRoutes.routeOf(localCluster, clientId, subscription);
        if (route != null) {
            try {
                localRoutes.subscribe(clientId, route);
            } catch (RuntimeException e) {
                LOG.warn("[{}] local route update for {} failed", localCluster, clientId, e);
            }
        }
    }

    @Override
    public void onUnsubscribe(String clientId, String subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        if (!active()) {
            return;
        }
        Subscription route = localRoutes.routeOf(localCluster, clientId, subscription);
        if (route != null) {
            try {
                localRoutes.unsubscribe(clientId, route);
            } catch (RuntimeException e) {
                LOG.warn("[{}] local route update for {} failed", localCluster, clientId, e);
            }
        }
    }

    @Override
    public void onSessionEnd(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (!active()) {
            return;
        }
        try {
            localRoutes.sessionEnd(clientId);
        } catch (RuntimeException e) {
            LOG.warn("[{}] local route update for {} failed", localCluster, clientId, e);
        }
    }

    @Override
    public void onPublish(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        if (!active()
                || message.originCluster().isPresent()
                || ClusterLinkHooks.isLinkTopic(message.topic())
                || !links.anyRunning()) {
            // A message that came over a link is never forwarded again: no loops, no transitive forwarding.
            return;
        }
        ForwardingSink sink = sinks.get();
        sink.message = message;
        try {
            remoteRoutes.match(message.topic(), sink);
        } catch (RuntimeException e) {
            LOG.warn("[{}] forwarding of a publish on '{}' failed", localCluster, message.topic(), e);
        } finally {
            sink.message = null;
        }
    }

    @Override
    public int onLinkPublish(LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (!active()) {
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
        try {
            switch (access.check(connection, topic)) {
                case REFUSE:
                    return ReasonCodes.NOT_AUTHORIZED;
                case DISCONNECT:
                    String reason = access.disconnectReason(connection, topic);
                    LOG.warn("[{}] {}: closing connection {}", localCluster, reason, connection.clientId());
                    broker.disconnect(localCluster, null, connection, ReasonCodes.NOT_AUTHORIZED, reason);
                    return ReasonCodes.NOT_AUTHORIZED;
                case ACCEPT:
                default:
                    break;
            }
            if (topic.startsWith(ROUTE_PREFIX)) {
                String sender = topic.substring(ROUTE_PREFIX.length());
                if (isClusterName(sender)) {
                    return routeReceiver.onRoutePublish(connection, sender, payload, properties);
                }
            } else if (topic.startsWith(MSG_PREFIX)) {
                String sender = topic.substring(MSG_PREFIX.length());
                if (isClusterName(sender)) {
                    return forwardedReceiver.onMessagePublish(connection, sender, payload);
                }
            }
            // Acks are published by brokers, never by clients; anything else is not part of the protocol.
            broker.disconnect(
                    localCluster,
                    null,
                    connection,
                    ReasonCodes.NOT_AUTHORIZED,
                    "not a cluster link topic a client may publish to: " + topic);
            return ReasonCodes.NOT_AUTHORIZED;
        } catch (RuntimeException e) {
            LOG.warn("[{}] inbound link publish on '{}' from {} failed", localCluster, topic, connection.clientId(), e);
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
    }

    @Override
    public void onConnectionClosed(LinkConnection connection) {
        Objects.requireNonNull(connection, "connection");
        if (!activated) {
            return;
        }
        try {
            routeReceiver.onConnectionClosed(connection);
        } catch (RuntimeException e) {
            LOG.warn("[{}] releasing link connection {} failed", localCluster, connection.clientId(), e);
        }
    }

    private static boolean isClusterName(String s) {
        return !s.isEmpty() && s.indexOf('/') < 0 && s.indexOf('+') < 0 && s.indexOf('#') < 0;
    }
}
