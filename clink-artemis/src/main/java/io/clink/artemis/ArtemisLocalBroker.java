package io.clink.artemis;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.adapter.AbstractLocalBroker;
import io.clink.api.broker.adapter.HooksHolder;
import io.clink.api.broker.adapter.LinkListenerNames;
import io.clink.artemis.internal.ConnectInterceptor;
import io.clink.artemis.internal.ConnectionHandler;
import io.clink.artemis.internal.ConnectionRegistry;
import io.clink.artemis.internal.ConnectionState;
import io.clink.artemis.internal.Delivery;
import io.clink.artemis.internal.DroppedDeliveries;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.remoting.server.RemotingService;
import org.apache.activemq.artemis.core.server.ActivateCallback;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * clink's {@link LocalBroker} for an embedded Apache ActiveMQ Artemis server (2.42) with MQTT acceptors.
 *
 * <p>How each duty maps onto Artemis:
 * <ul>
 *   <li><b>Seeing packets.</b> An Artemis incoming interceptor sees each CONNECT and places a per-connection Netty
 *       handler just before Artemis's MQTT protocol handler; that handler sees every later packet both ways. (An
 *       interceptor alone cannot answer a publish with a chosen reason code: it can only pass a packet or drop the
 *       connection.)
 *   <li><b>Subscriptions</b>: a SUBSCRIBE is remembered by packet id and its filters are reported to {@link
 *       ClusterLinkHooks#onSubscribe} when the SUBACK grants them; UNSUBSCRIBE at the UNSUBACK (MQTT 3.1.1 UNSUBACKs
 *       have no codes: every filter is reported). {@code $LINK/...} filters are never reported.
 *   <li><b>Session end</b>: reported when a clean-start CONNECT is accepted (the discarded session), and when a
 *       connection whose session ends with it (MQTT 5 session expiry 0, MQTT 3.1.1 clean session) closes while it is
 *       still its client id's newest connection. Persistent sessions that expire later are caught by clink's periodic
 *       resync.
 *   <li><b>Resync</b> ({@link #forEachSubscription}) reads Artemis's MQTT session states ({@code MQTTStateManager},
 *       an internal Artemis API), which keep each subscription's filter as the client sent it.
 *   <li><b>Local publishes</b> go to {@link ClusterLinkHooks#onPublish} from the handler (MQTT 5 topic aliases
 *       resolved there) on the connection's event loop, which clink never blocks, then on to Artemis unchanged.
 *   <li><b>{@code $LINK/...} publishes</b> are consumed by the handler (Artemis never sees them, so no subscriber nor
 *       the retained store does) and answered with the PUBACK (QoS 2: PUBREC) reason {@link
 *       ClusterLinkHooks#onLinkPublish} returns; the connection is marked alive for Artemis's keepalive check, since
 *       Artemis did not see the packet. An MQTT 3.1.1 connection cannot carry a failure code: it gets a plain PUBACK
 *       for success codes and is closed for failure codes (the 3.1.1 specification's alternative).
 *   <li><b>Delivery</b> ({@link #deliver}) routes a core message with the MQTT layer's properties through Artemis's
 *       post office: no interceptor runs (so clink never sees it again), shared subscriptions get one copy per group,
 *       Artemis's cluster connections reach the other nodes, and the retained store is untouched.
 *   <li><b>Security</b>: {@code $LINK/...} publishes are passed to clink only from connections on the link acceptors
 *       named at construction; elsewhere they get PUBACK 0x87 (an MQTT 3.1.1 connection is closed instead), and a
 *       {@code $LINK/...} filter in a SUBSCRIBE is cut out before Artemis sees it and refused in the SUBACK (0x87;
 *       MQTT 3.1.1: 0x80).
 * </ul>
 *
 * <p>Thread-safety: every method may be called from any thread. Hooks are swapped atomically by {@link #attach} and
 * {@link #detach}; events that arrive while no engine is attached are dropped, and a {@code $LINK/...} publish is
 * then answered with 0x83.
 *
 * @since 0.1.0
 */
public final class ArtemisLocalBroker extends AbstractLocalBroker {

    private final ActiveMQServer server;
    private final Set<String> linkAcceptorNames;
    private static final Logger LOG = LoggerFactory.getLogger(ArtemisLocalBroker.class);

    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Delivery delivery;
    private final ConnectInterceptor interceptor;
    private final DroppedDeliveries dropped = new DroppedDeliveries();

    /**
     * Creates the adapter and registers its interceptor with {@code server}: at once if the server has started,
     * otherwise when it activates (before its acceptors open). Create it before {@code server.start()} so no
     * connection is missed.
     *
     * @param server the Artemis server, started or not; not null
     * @param linkAcceptorNames the names of the acceptors (Artemis {@code <acceptor name=...>}) that link connections
     *     use; at least one, none empty
     * @throws IllegalArgumentException if the set is empty or holds an empty name
     * @since 0.1.0
     */
    public ArtemisLocalBroker(ActiveMQServer server, Set<String> linkAcceptorNames) {
        super(new HooksHolder());
        this.server = Objects.requireNonNull(server, "server");
        this.linkAcceptorNames = LinkListenerNames.copyOf(linkAcceptorNames, "linkAcceptorNames", "acceptor name");
        this.delivery = new Delivery(server);
        this.interceptor = new ConnectInterceptor(server, this.linkAcceptorNames, registry, hooks());
        server.registerBrokerPlugin(dropped);
        RemotingService remoting = server.getRemotingService();
        if (remoting != null) {
            remoting.addIncomingInterceptor(interceptor);
        } else {
            // Artemis creates its remoting service after preActivate and opens the acceptors after activated.
            server.registerActivateCallback(new ActivateCallback() {
                @Override
                public void activated() {
                    addInterceptor();
                }

                @Override
                public void activationComplete() {
                    addInterceptor();
                }
            });
        }
    }

    private synchronized void addInterceptor() {
        RemotingService r = server.getRemotingService();
        if (r != null && !r.getIncomingInterceptors().contains(interceptor)) {
            r.addIncomingInterceptor(interceptor);
        }
    }

    /**
     * The names of the acceptors on which {@code $LINK/...} traffic is accepted.
     *
     * @return the names, not empty, immutable
     * @since 0.1.0
     */
    public Set<String> linkAcceptorNames() {
        return linkAcceptorNames;
    }

    /** {@inheritDoc} The link acceptors' names, which this adapter reports as a connection's listener. */
    @Override
    public Set<String> linkListenerNames() {
        return linkAcceptorNames;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Walks Artemis's MQTT session states (this node's clients only, as Artemis keeps them per node), skipping the
     * link protocol's own {@code $LINK/...} subscriptions.
     *
     * @throws IllegalStateException if Artemis's MQTT state cannot be read (the server is not started)
     */
    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        Objects.requireNonNull(action, "action");
        MQTTStateManager states;
        try {
            states = MQTTStateManager.getInstance(server);
        } catch (Exception e) {
            throw new IllegalStateException("Artemis's MQTT session state cannot be read: " + e, e);
        }
        for (MQTTSessionState state : states.getSessionStates().values()) {
            String clientId = state.getClientId();
            if (clientId == null || clientId.isEmpty()) {
                continue;
            }
            for (MqttTopicSubscription s : state.getSubscriptions()) {
                String filter = s.topicName();
                if (filter != null && !filter.isEmpty() && !ClusterLinkHooks.isLinkTopic(filter)) {
                    action.accept(new LocalSubscription(clientId, filter));
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through Artemis's post office ({@code PostOffice.route}), which runs no interceptor and never writes the
     * retained store.
     */
    @Override
    public void deliver(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        delivery.deliver(message);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Routed to the asking client's own subscription queue only (the first of its plain subscriptions whose filter
     * matches the reply topic), so another subscriber of the same response topic does not get it, and only while the
     * asking connection is still its client id's current one: the queue belongs to the client id, and an answer meant
     * for a connection that was taken over must not reach the newer one. Otherwise the reply is dropped (logged at
     * debug); the remote's handshake then times out and it reconnects.
     */
    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reply, "reply");
        ConnectionState state = registry.find(connection.connectionId());
        if (state == null || !registry.isCurrent(state)) {
            LOG.debug(
                    "Link handshake answer to {} dropped: connection {} is gone",
                    connection.clientId(),
                    connection.connectionId());
            return;
        }
        if (!delivery.deliverTo(connection.clientId(), reply)) {
            LOG.debug(
                    "Link handshake answer to {} dropped: it has no subscription matching {} on this node",
                    connection.clientId(),
                    reply.topic());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only the connection named is closed: if its client id has connected again since, the newer connection stays.
     * The DISCONNECT is written on the connection's event loop after this returns.
     */
    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reasonString, "reasonString");
        ConnectionState state = registry.find(connection.connectionId());
        if (state == null) {
            return;
        }
        ConnectionHandler handler = state.handler();
        if (handler != null) {
            handler.disconnect(reasonCode, reasonString);
        } else {
            state.linkAccess().markDisconnected();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The messages Artemis removed from this node's MQTT subscription queues without delivering them: expired (the
     * MQTT message expiry interval ran out in the queue) or killed (too many delivery attempts), counted from the
     * moment this adapter was created. Artemis pages a growing queue instead of dropping; messages an address-full
     * policy of {@code DROP} or {@code FAIL} refuses are not counted (Artemis exposes no count of them).
     */
    @Override
    public OptionalLong droppedDeliveries() {
        return OptionalLong.of(dropped.count());
    }
}
