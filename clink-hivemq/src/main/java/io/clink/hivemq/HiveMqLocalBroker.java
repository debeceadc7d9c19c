package io.clink.hivemq;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.InitializerInput;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import io.clink.hivemq.internal.Codes;
import io.clink.hivemq.internal.ConnectionState;
import io.clink.hivemq.internal.Messages;
import io.clink.hivemq.internal.RetainedDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * clink's {@link LocalBroker} for HiveMQ Community Edition (extension SDK 4.x), and the interceptors and lifecycle
 * listener that report the broker's events to clink's {@link ClusterLinkHooks}.
 *
 * <p>How each duty maps onto HiveMQ:
 * <ul>
 *   <li><b>Subscriptions</b>: a SUBSCRIBE is remembered by packet id and reported to {@link
 *       ClusterLinkHooks#onSubscribe} only for the filters its SUBACK grants (SUBSCRIBE interception runs before
 *       authorization). UNSUBSCRIBE is reported as is. HiveMQ reports no unsubscribe when a session ends, so a
 *       connection with session expiry 0 reports {@link ClusterLinkHooks#onSessionEnd} when it closes, and a CONNECT
 *       with clean start reports it for the session it discards; expired persistent sessions are caught by clink's
 *       periodic resync through {@link #forEachSubscription} ({@code SubscriptionStore.iterateAllSubscriptions}).
 *   <li><b>Local publishes</b> go to {@link ClusterLinkHooks#onPublish} from the inbound publish interceptor, which
 *       never waits (clink only matches routes and queues).
 *   <li><b>{@code $LINK/...} publishes</b> are consumed ({@code preventPublishDelivery}) and answered with the PUBACK
 *       reason {@link ClusterLinkHooks#onLinkPublish} returns; no subscriber ever receives them. At QoS 2 (EMQX
 *       before 6.0.3, 6.1.0-6.1.1 and 6.2.0 forward at the message's own QoS) the code goes into the PUBREC, and
 *       HiveMQ completes the exchange itself: it answers PUBREL with PUBCOMP, and a DUP retransmission of a packet
 *       id still awaiting its PUBREL with another PUBREC, without calling the interceptor again, so a QoS 2 link
 *       message is handed to clink exactly once (clink-broker's {@code EmqxInteropIT} plays that exchange).
 *   <li><b>Delivery</b> of remote messages goes through HiveMQ's {@code PublishService}, which does not run the
 *       publish interceptors, so delivered messages are never offered to clink again; handshake answers go to the
 *       one asking client with {@code publishToClient}. A forwarded retained message reaches the current
 *       subscribers only (one {@code publishToClient} each, retain flag per their retain-as-published option) and is
 *       never stored in, nor deletes from, HiveMQ's retained-message store, as with EMQX.
 * </ul>
 *
 * <p><b>Security</b>: {@code $LINK/...} publishes and subscriptions are accepted only from connections on the link
 * listeners (the HiveMQ listeners named in {@link #linkListenerNames()}, for example a plain and a TLS one). Elsewhere a publish is refused with PUBACK
 * 0x87 and never reaches clink, and each connection's default permissions deny {@code $LINK/#} (keeping the default
 * behaviour that was in place), so such a SUBSCRIBE is refused with 0x87. A link user restricted to one cluster
 * ({@link LinkAuthenticator}) that publishes to another {@code $LINK/...} topic than its cluster's route and message
 * topics gets PUBACK 0x87 and DISCONNECT 0x87: it is misbehaving, not mistaken.
 *
 * <p><b>Services</b>: HiveMQ's {@code Services.*} point at the last-started broker in the JVM, so this class is
 * given the services captured inside its own extension's {@code extensionStart} and never calls {@code Services}
 * later.
 *
 * <p>Thread-safety: every method may be called from any thread. Hooks are swapped atomically by {@link #attach} and
 * {@link #detach}; an event that arrives while no engine is attached is dropped, and a {@code $LINK/...} publish is
 * then answered with 0x83.
 *
 * @since 0.1.0
 */
public final class HiveMqLocalBroker implements LocalBroker {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqLocalBroker.class);
    private static final String CONNECTION_ID_ATTRIBUTE = "io.clink.connection-id";
    private static final String LINK_FILTER = "$LINK/#";
    private static final Duration ITERATION_TIMEOUT = Duration.ofMinutes(2);

    private final HiveMqServices services;
    private final Set<String> linkListenerNames;
    private final String connectionIdPrefix;
    private final AtomicLong connectionCounter = new AtomicLong();
    private final ConcurrentMap<String, ConnectionState> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> currentConnectionOfClient = new ConcurrentHashMap<>();
    private final RetainedDelivery retainedDelivery;
    private volatile @Nullable ClusterLinkHooks hooks;

    /**
     * Creates the adapter for one link listener. Call {@link #register()} inside {@code extensionStart} to install
     * the interceptors.
     *
     * @param services the broker's services, captured inside the extension's {@code extensionStart}; not null
     * @param linkListenerName the name of the HiveMQ listener that link connections use (config.xml {@code <name>}),
     *     not empty
     * @since 0.1.0
     */
    public HiveMqLocalBroker(HiveMqServices services, String linkListenerName) {
        this(services, Set.of(Objects.requireNonNull(linkListenerName, "linkListenerName")));
    }

    /**
     * Creates the adapter for one or more link listeners (for example a plain TCP and a TLS listener). Call {@link
     * #register()} inside {@code extensionStart} to install the interceptors.
     *
     * @param services the broker's services, captured inside the extension's {@code extensionStart}; not null
     * @param linkListenerNames the names of the HiveMQ listeners that link connections use (config.xml {@code
     *     <name>}), at least one, none empty
     * @throws IllegalArgumentException if the set is empty or holds an empty name
     * @since 0.1.0
     */
    public HiveMqLocalBroker(HiveMqServices services, Set<String> linkListenerNames) {
        this.services = Objects.requireNonNull(services, "services");
        this.linkListenerNames = Set.copyOf(Objects.requireNonNull(linkListenerNames, "linkListenerNames"));
        if (this.linkListenerNames.isEmpty() || this.linkListenerNames.contains("")) {
            throw new IllegalArgumentException(
                    "linkListenerNames must hold at least one name and no empty name, got " + linkListenerNames);
        }
        this.retainedDelivery =
                new RetainedDelivery(services.publishService(), services.subscriptionStore(), services.clientService());
        // Connection ids must differ between brokers of one JVM too: they key clink's per-connection state.
        this.connectionIdPrefix = Integer.toHexString(System.identityHashCode(this)) + "-";
    }

    /**
     * The names of the listeners on which {@code $LINK/...} traffic is accepted.
     *
     * @return the listener names, not empty, immutable
     * @since 0.1.0
     */
    public Set<String> linkListenerNames() {
        return linkListenerNames;
    }

    /**
     * Installs the client initializer (per-connection interceptors and default permissions) and the client
     * lifecycle listener. Call it once, inside {@code extensionStart} of the extension that owns {@link
     * HiveMqServices}; connections accepted before it are not seen.
     *
     * @since 0.1.0
     */
    public void register() {
        services.initializerRegistry().setClientInitializer(this::initialize);
        services.eventRegistry().setClientLifecycleEventListener(input -> new Lifecycle());
    }

    /** {@inheritDoc} Starts receiving events; may be called again after {@link #detach()}. */
    @Override
    public void attach(ClusterLinkHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /** {@inheritDoc} */
    @Override
    public void detach() {
        this.hooks = null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Walks {@code SubscriptionStore.iterateAllSubscriptions}, skipping the link protocol's own {@code $LINK/...}
     * subscriptions (they are never application routes). Blocks until the walk ends, at most two minutes.
     */
    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        Objects.requireNonNull(action, "action");
        try {
            services.subscriptionStore()
                    .iterateAllSubscriptions(
                            (context, result) -> {
                                for (TopicSubscription s : result.getSubscriptions()) {
                                    if (!ClusterLinkHooks.isLinkTopic(s.getTopicFilter())) {
                                        action.accept(new LocalSubscription(result.getClientId(), s.getTopicFilter()));
                                    }
                                }
                            },
                            Runnable::run)
                    .get(ITERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing HiveMQ's subscriptions", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("HiveMQ could not list its subscriptions: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("listing HiveMQ's subscriptions took longer than " + ITERATION_TIMEOUT, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through {@code PublishService.publish}, which HiveMQ does not intercept. A retained message instead goes to
     * each current subscriber with {@code PublishService.publishToClient}, because {@code publish} with the retain
     * flag would store it (or, if empty, delete the local retained message) in HiveMQ's retained store.
     */
    @Override
    public void deliver(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.retain()) {
            retainedDelivery.deliver(Messages.toPublish(message), message.topic(),
                    message.originCluster().orElse("?"));
            return;
        }
        services.publishService().publish(Messages.toPublish(message)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("HiveMQ refused to deliver a linked message on '{}' from cluster {}: {}", message.topic(),
                        message.originCluster().orElse("?"), error.toString());
            }
        });
    }

    /** {@inheritDoc} Through {@code PublishService.publishToClient} to the asking client only. */
    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reply, "reply");
        services.publishService()
                .publishToClient(Messages.toPublish(reply), connection.clientId())
                .whenComplete((result, error) -> {
                    if (error != null) {
                        LOG.warn("Could not send the link handshake answer to {}: {}", connection.clientId(),
                                error.toString());
                    } else if (result != PublishToClientResult.SUCCESSFUL) {
                        LOG.warn("Link handshake answer not delivered to {}: it is not subscribed to {}",
                                connection.clientId(), reply.topic());
                    }
                });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only the connection named is closed: if its client id has connected again since, the newer connection stays.
     */
    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reasonString, "reasonString");
        ConnectionState state = connections.get(connection.connectionId());
        if (state == null) {
            return;
        }
        state.markDisconnected();
        closeConnection(state, reasonCode, reasonString);
    }

    /** Sends DISCONNECT to the connection's client, unless its client id has connected again since. */
    private void closeConnection(ConnectionState state, int reasonCode, String reasonString) {
        LinkConnection connection = state.link();
        if (!connection.connectionId().equals(currentConnectionOfClient.get(connection.clientId()))) {
            return;
        }
        services.clientService()
                .disconnectClient(connection.clientId(), false, Codes.disconnect(reasonCode), reasonString)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.warn("Could not disconnect link client {}: {}", connection.clientId(), error.toString());
                    }
                });
        LOG.info("Disconnecting link client {} (0x{}): {}", connection.clientId(), Integer.toHexString(reasonCode),
                reasonString);
    }

    // ---- HiveMQ side ----

    private void initialize(InitializerInput input, ClientContext context) {
        ConnectionInformation info = input.getConnectionInformation();
        String clientId = input.getClientInformation().getClientId();
        ConnectionState state = stateOf(info, clientId);
        if (state == null) {
            // The lifecycle event normally comes first; if not, register with what the initializer knows.
            state = newState(info, clientId, null, false, false);
        }
        if (!state.onLinkListener()) {
            denyLinkTopics(context.getDefaultPermissions());
        } else {
            state.restrictTo(info.getConnectionAttributeStore()
                    .getAsString(LinkAuthenticator.CLUSTER_ATTRIBUTE).orElse(null));
        }
        Interceptors interceptors = new Interceptors(state, Codes.protocolVersion(info.getMqttVersion()));
        context.addPublishInboundInterceptor(interceptors);
        context.addSubscribeInboundInterceptor(interceptors);
        context.addSubackOutboundInterceptor(interceptors);
        context.addUnsubscribeInboundInterceptor(interceptors);
    }

    /**
     * Adds a DENY for {@code $LINK/#}. Adding a permission would flip HiveMQ's default behaviour to DENY, so the
     * behaviour in place before (ALLOW unless another extension chose) is set again.
     */
    private static void denyLinkTopics(ModifiableDefaultPermissions permissions) {
        DefaultAuthorizationBehaviour before = permissions.getDefaultBehaviour();
        permissions.add(Builders.topicPermission()
                .topicFilter(LINK_FILTER)
                .type(TopicPermission.PermissionType.DENY)
                .activity(TopicPermission.MqttActivity.ALL)
                .build());
        permissions.setDefaultBehaviour(before);
    }

    private @Nullable ConnectionState stateOf(ConnectionInformation info, String clientId) {
        Optional<String> id = info.getConnectionAttributeStore().getAsString(CONNECTION_ID_ATTRIBUTE);
        return id.map(connections::get).orElse(null);
    }

    private ConnectionState newState(
            ConnectionInformation info, String clientId, @Nullable String username, boolean cleanStart,
            boolean sessionEndsOnClose) {
        String id = connectionIdPrefix + connectionCounter.incrementAndGet();
        String listener = info.getListener().map(Listener::getName).orElse(null);
        String peer = info.getInetAddress().map(a -> a.getHostAddress()).orElse(null);
        LinkConnection link = new LinkConnection(id, clientId, username, peer, listener);
        ConnectionState state =
                new ConnectionState(link, listener != null && linkListenerNames.contains(listener), cleanStart, sessionEndsOnClose);
        info.getConnectionAttributeStore().putAsString(CONNECTION_ID_ATTRIBUTE, id);
        connections.put(id, state);
        currentConnectionOfClient.put(clientId, id);
        return state;
    }

    private @Nullable ClusterLinkHooks hooks() {
        return hooks;
    }

    /** Reports a hook failure without letting it reach HiveMQ's thread (the hooks promise not to throw). */
    private static void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("clink failed on {}: {}", what, e.toString(), e);
        }
    }

    /** Client lifecycle: connection identity at CONNECT, session ends and connection closes. */
    private final class Lifecycle implements ClientLifecycleEventListener {

        @Override
        public void onMqttConnectionStart(ConnectionStartInput input) {
            ConnectPacket connect = input.getConnectPacket();
            String username = connect.getUserName().orElse(null);
            newState(input.getConnectionInformation(), input.getClientInformation().getClientId(), username,
                    connect.getCleanStart(), connect.getSessionExpiryInterval() == 0);
        }

        @Override
        public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
            String clientId = input.getClientInformation().getClientId();
            ConnectionState state = stateOf(input.getConnectionInformation(), clientId);
            ClusterLinkHooks h = hooks();
            // Clean start discards any earlier session of this client id, without an unsubscribe event.
            if (state != null && state.cleanStart() && h != null) {
                guard("session end of " + clientId, () -> h.onSessionEnd(clientId));
            }
        }

        @Override
        public void onDisconnect(DisconnectEventInput input) {
            String clientId = input.getClientInformation().getClientId();
            Optional<String> id =
                    input.getConnectionInformation().getConnectionAttributeStore().getAsString(CONNECTION_ID_ATTRIBUTE);
            ConnectionState state = id.map(connections::remove).orElse(null);
            if (state == null) {
                return;
            }
            boolean wasCurrent = currentConnectionOfClient.remove(clientId, state.link().connectionId());
            ClusterLinkHooks h = hooks();
            if (h == null) {
                return;
            }
            if (state.linkUsed()) {
                guard("close of " + clientId, () -> h.onConnectionClosed(state.link()));
            }
            // A newer connection of the client id owns the session now; its own CONNECT decided about the old one.
            if (state.sessionEndsOnClose() && wasCurrent) {
                guard("session end of " + clientId, () -> h.onSessionEnd(clientId));
            }
        }
    }

    /** One connection's interceptors. HiveMQ calls them one at a time per client, in packet order. */
    private final class Interceptors implements PublishInboundInterceptor, SubscribeInboundInterceptor,
            SubackOutboundInterceptor, UnsubscribeInboundInterceptor {

        private final ConnectionState state;
        private final int protocolVersion;

        Interceptors(ConnectionState state, int protocolVersion) {
            this.state = state;
            this.protocolVersion = protocolVersion;
        }

        @Override
        public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
            PublishPacket packet = input.getPublishPacket();
            String topic = packet.getTopic();
            if (ClusterLinkHooks.isLinkTopic(topic)) {
                onLinkPublish(packet, output);
                return;
            }
            ClusterLinkHooks h = hooks();
            if (h == null) {
                return;
            }
            guard("publish on " + topic, () -> h.onPublish(Messages.fromPacket(
                    packet, state.clientId(), state.link().username(), state.link().peerHost(), protocolVersion)));
        }

        private void onLinkPublish(PublishPacket packet, PublishInboundOutput output) {
            switch (state.checkLinkPublish(packet.getTopic())) {
                case REFUSE_NOT_LINK_LISTENER:
                    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED,
                            "link topics are accepted only on the link listener");
                    return;
                case REFUSE_CLOSING:
                    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "connection is being closed");
                    return;
                case DISCONNECT_NOT_AUTHORIZED:
                    String reason = "link user " + state.link().username() + " may not publish to "
                            + packet.getTopic() + ": it speaks only for its own cluster";
                    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, reason);
                    closeConnection(state, ReasonCodes.NOT_AUTHORIZED, reason);
                    return;
                case ACCEPT:
                default:
                    break;
            }
            ClusterLinkHooks h = hooks();
            if (h == null) {
                output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "cluster link not running");
                return;
            }
            state.markLinkUsed();
            int code;
            try {
                code = h.onLinkPublish(state.link(), packet.getTopic(), Messages.payload(packet),
                        Messages.properties(packet));
            } catch (RuntimeException e) {
                LOG.warn("clink failed on link publish {} from {}: {}", packet.getTopic(), state.clientId(),
                        e.toString(), e);
                code = ReasonCodes.UNSPECIFIED_ERROR;
            }
            AckReasonCode ack = Codes.ack(code);
            if (ack == AckReasonCode.SUCCESS) {
                output.preventPublishDelivery();
            } else {
                output.preventPublishDelivery(ack);
            }
        }

        @Override
        public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
            List<String> filters = new ArrayList<>();
            for (Subscription s : input.getSubscribePacket().getSubscriptions()) {
                filters.add(s.getTopicFilter());
            }
            state.subscribeSent(input.getSubscribePacket().getPacketId(), filters);
        }

        @Override
        public void onOutboundSuback(SubackOutboundInput input, SubackOutboundOutput output) {
            List<String> filters = state.subackSent(input.getSubackPacket().getPacketIdentifier());
            List<SubackReasonCode> codes = input.getSubackPacket().getReasonCodes();
            ClusterLinkHooks h = hooks();
            if (h == null) {
                return;
            }
            for (int i = 0; i < Math.min(filters.size(), codes.size()); i++) {
                String filter = filters.get(i);
                if (Codes.granted(codes.get(i)) && !ClusterLinkHooks.isLinkTopic(filter)) {
                    guard("subscribe " + filter, () -> h.onSubscribe(state.clientId(), filter));
                }
            }
        }

        @Override
        public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
            ClusterLinkHooks h = hooks();
            if (h == null) {
                return;
            }
            for (String filter : input.getUnsubscribePacket().getTopicFilters()) {
                if (!ClusterLinkHooks.isLinkTopic(filter)) {
                    guard("unsubscribe " + filter, () -> h.onUnsubscribe(state.clientId(), filter));
                }
            }
        }
    }
}
