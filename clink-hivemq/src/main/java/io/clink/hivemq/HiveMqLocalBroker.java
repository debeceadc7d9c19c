package io.clink.hivemq;

import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.adapter.AbstractLocalBroker;
import io.clink.api.broker.adapter.LinkListenerNames;
import io.clink.hivemq.internal.AttachedHooks;
import io.clink.hivemq.internal.ConnectionRegistry;
import io.clink.hivemq.internal.ConnectionState;
import io.clink.hivemq.internal.DroppedDeliveries;
import io.clink.hivemq.internal.LinkClientCloser;
import io.clink.hivemq.internal.LinkConnectionInitializer;
import io.clink.hivemq.internal.Messages;
import io.clink.hivemq.internal.RetainedDelivery;
import io.clink.hivemq.internal.SessionLifecycleListener;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
 * <p>The parts live in {@code io.clink.hivemq.internal}: {@code ConnectionRegistry} (the current connection of each
 * client id), {@code LinkConnectionInitializer} (per-connection permissions and interceptors), {@code
 * LinkAwarePublishInterceptor}, {@code SubscriptionTracker}, {@code SessionLifecycleListener}, {@code
 * LinkClientCloser} and {@code AttachedHooks}; this class holds the {@link LocalBroker} calls and wires the parts.
 *
 * <p>Thread-safety: every method may be called from any thread. Hooks are swapped atomically by {@link #attach} and
 * {@link #detach}; an event that arrives while no engine is attached is dropped, and a {@code $LINK/...} publish is
 * then answered with 0x83.
 *
 * @since 0.1.0
 */
public final class HiveMqLocalBroker extends AbstractLocalBroker {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqLocalBroker.class);
    private static final Duration ITERATION_TIMEOUT = Duration.ofMinutes(2);

    private final HiveMqServices services;
    private final Set<String> linkListenerNames;
    private final ConnectionRegistry registry;
    private final AttachedHooks hooks;
    private final LinkClientCloser closer;
    private final RetainedDelivery retainedDelivery;
    private final DroppedDeliveries dropped;

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
        this(services, linkListenerNames, new AttachedHooks());
    }

    private HiveMqLocalBroker(HiveMqServices services, Set<String> linkListenerNames, AttachedHooks hooks) {
        super(hooks);
        this.hooks = hooks;
        this.services = Objects.requireNonNull(services, "services");
        this.linkListenerNames = LinkListenerNames.copyOf(linkListenerNames, "linkListenerNames", "name");
        this.retainedDelivery =
                new RetainedDelivery(services.publishService(), services.subscriptionStore(), services.clientService());
        this.registry = new ConnectionRegistry(this.linkListenerNames);
        this.closer = new LinkClientCloser(registry, services.clientService());
        this.dropped = new DroppedDeliveries(services.metricRegistry(), hooks::linkPublishesConsumed);
    }

    /**
     * The names of the listeners on which {@code $LINK/...} traffic is accepted.
     *
     * @return the listener names, not empty, immutable
     * @since 0.1.0
     */
    @Override
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
        services.initializerRegistry()
                .setClientInitializer(
                        new LinkConnectionInitializer(registry, hooks, closer, LinkAuthenticator.CLUSTER_ATTRIBUTE));
        SessionLifecycleListener lifecycle = new SessionLifecycleListener(registry, hooks);
        // The CONNECT interceptor gives the user name before the connection's first PUBLISH can be read; the
        // lifecycle event alone may come after it.
        ConnectInboundInterceptor connectFacts = (in, out) -> lifecycle.connectSeen(
                in.getConnectionInformation(), in.getConnectPacket().getClientId(), in.getConnectPacket());
        services.interceptorRegistry().setConnectInboundInterceptorProvider(in -> connectFacts);
        services.eventRegistry().setClientLifecycleEventListener(input -> lifecycle);
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
            retainedDelivery.deliver(
                    Messages.toPublish(message),
                    message.topic(),
                    message.originCluster().orElse("?"));
            return;
        }
        services.publishService().publish(Messages.toPublish(message)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn(
                        "HiveMQ refused to deliver a linked message on '{}' from cluster {}: {}",
                        message.topic(),
                        message.originCluster().orElse("?"),
                        error.toString());
            }
        });
    }

    /**
     * {@inheritDoc} Through {@code PublishService.publishToClient} to the asking client only, and only while the
     * asking connection is still its client id's current one: {@code publishToClient} addresses a client id, and an
     * answer meant for a connection that was taken over must not reach the newer one.
     */
    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reply, "reply");
        if (!registry.isCurrent(connection)) {
            LOG.debug(
                    "Link handshake answer to {} dropped: connection {} is gone",
                    connection.clientId(),
                    connection.connectionId());
            return;
        }
        services.publishService()
                .publishToClient(Messages.toPublish(reply), connection.clientId())
                .whenComplete((result, error) -> {
                    if (error != null) {
                        LOG.warn(
                                "Could not send the link handshake answer to {}: {}",
                                connection.clientId(),
                                error.toString());
                    } else if (result != PublishToClientResult.SUCCESSFUL) {
                        LOG.warn(
                                "Link handshake answer not delivered to {}: it is not subscribed to {}",
                                connection.clientId(),
                                reply.topic());
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
        ConnectionState state = registry.find(connection.connectionId());
        if (state == null) {
            return;
        }
        state.markDisconnected();
        closer.close(state, reasonCode, reasonString);
    }

    /**
     * {@inheritDoc}
     *
     * <p>HiveMQ CE's {@code com.hivemq.messages.dropped.count} less the {@code $LINK/...} publishes this adapter's
     * interceptors took out of delivery, which HiveMQ counts there too. Another extension of the same broker that
     * prevents deliveries adds its publishes to the figure.
     */
    @Override
    public OptionalLong droppedDeliveries() {
        return dropped.read();
    }
}
