package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.time.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: the public face of the in-memory broker (the LocalBroker SPI, test controls, failure switches and
 * what it recorded). What happens to sessions is SessionTable, who receives a message is MessageRouter, and how the
 * hooks are called is HookDispatcher.
 */

/**
 * An in-memory MQTT broker that implements {@link LocalBroker} and reports to the attached {@link
 * ClusterLinkHooks} exactly as the hooks' Javadoc asks, for engine tests that need a broker on each side of a link.
 *
 * <p>Tests drive simulated clients ({@link #connect}): subscribe (plain, {@code $share/<group>/<filter>},
 * {@code $queue/<filter>}), unsubscribe, publish, disconnect. The broker then
 * <ul>
 *   <li>reports {@code onSubscribe} after granting, {@code onUnsubscribe}, {@code onSessionEnd} when a clean-start
 *       session disconnects, is taken over with clean start, or expires ({@link #expireSession}); subscriptions to
 *       {@code $LINK/...} filters are granted but never reported;
 *   <li>reports {@code onPublish} for a client's publish, but neither for {@code $LINK/...} topics nor for messages
 *       it got from {@link #deliver} or {@link #reply};
 *   <li>passes a client's {@code $LINK/...} publish to {@code onLinkPublish}, delivers it to nobody and answers it
 *       with the returned code (once, QoS 2 too), from connections on a {@link #linkListeners link listener} only;
 *       after the connection closes it reports {@code onConnectionClosed} (for every connection that made a link
 *       publish, and for every connection opened by an {@link InMemoryLinkNetwork});
 *   <li>delivers to matching subscriptions: one copy per client for its plain subscriptions (QoS the minimum of the
 *       message's and the highest granted), one member per share group in round-robin order among connected
 *       members, retained messages to new plain subscriptions; every delivery is recorded per client
 *       ({@link FakeBrokerClient#deliveries()});
 *   <li>keeps the retained messages its clients publish (an empty one deletes), but never stores or deletes one
 *       because of {@link #deliver} or {@link #reply}: a forwarded retained message reaches the present subscribers
 *       only, as on EMQX;
 *   <li>sends a {@link #reply} to the asking connection only, and drops it once that connection is gone.
 * </ul>
 *
 * <p>Switches for failure tests: {@link #loseUnsubscribeEvents} and {@link #loseSessionEndEvents} stop the
 * corresponding reports (as brokers that drop sessions silently do, to test resynchronisation); {@link #throwFrom}
 * makes {@link #deliver}, {@link #reply}, {@link #disconnect} or {@link #forEachSubscription} throw, to test the
 * engine's guards; {@link #plant} gives it one of the {@link Fault bugs} an adapter could have, to prove that the
 * contract suite catches it. Exceptions thrown by the hooks are caught, kept in {@link #hookFailures()}, and never
 * break the broker; a throwing {@code onLinkPublish} is answered with {@link ReasonCodes#UNSPECIFIED_ERROR}.
 *
 * <p>Concurrency: state is guarded by one lock, and the hooks are never called while it is held, so the hooks may
 * call back into the broker (as the engine does from {@code onLinkPublish}). A {@link #disconnect} issued on a thread
 * that is inside a hook call is completed when that outermost hook call returns, so the engine never sees its own
 * {@code onConnectionClosed} re-entering an {@code onLinkPublish} still in progress.
 *
 * @since 0.1.0
 */
public final class FakeLocalBroker implements LocalBroker {

    /**
     * The broker methods {@link #throwFrom} can make fail.
     *
     * @since 0.1.0
     */
    public enum Operation {
        /** {@link LocalBroker#forEachSubscription}. */
        FOR_EACH_SUBSCRIPTION,
        /** {@link LocalBroker#deliver}. */
        DELIVER,
        /** {@link LocalBroker#reply}. */
        REPLY,
        /** {@link LocalBroker#disconnect}. */
        DISCONNECT
    }

    /**
     * Bugs {@link #plant} can give this broker, each breaking one promise of the {@link LocalBroker} contract the way
     * an adapter could get it wrong, so that tests can prove a check catches it.
     *
     * @since 0.1.0
     */
    public enum Fault {
        /**
         * {@code onSessionEnd} at every clean-start CONNECT, never when the session ends at disconnect (the report
         * comes too early: the subscriptions made since are never dropped).
         */
        SESSION_END_AT_CONNECT_ONLY,
        /** Subscriptions to {@code $LINK/...} filters reported to {@code onSubscribe} and {@code onUnsubscribe}. */
        LINK_FILTERS_REPORTED,
        /** A QoS 2 {@code $LINK} publish passed to {@code onLinkPublish} twice (at PUBLISH and at PUBREL). */
        QOS2_LINK_PUBLISH_REPORTED_TWICE,
        /**
         * A publish naming its topic by an MQTT 5 topic alias alone reaches subscribers but not the hooks (the
         * adapter saw an empty topic name).
         */
        TOPIC_ALIASES_UNRESOLVED,
        /** An MQTT 3.1.1 client's UNSUBSCRIBE not reported (its UNSUBACK carries no reason codes to look at). */
        MQTT311_UNSUBSCRIBE_UNREPORTED,
        /** An MQTT 3.1.1 client's publishes delivered but not reported to {@code onPublish}. */
        MQTT311_PUBLISH_UNREPORTED,
        /**
         * Keepalive enforced with {@code $LINK} publishes not counting as activity: a connection carrying only link
         * traffic is closed (0x8D) at its next publish once one and a half keepalives have passed since its last
         * other packet.
         */
        LINK_TRAFFIC_NOT_KEEPALIVE,
        /** {@link LocalBroker#reply} sent to whichever connection the client id has now, also one that took over. */
        REPLY_BY_CLIENT_ID
    }

    /**
     * How a recorded message reached a client.
     *
     * @since 0.1.0
     */
    public enum Source {
        /** A client published it on this broker. */
        LOCAL_PUBLISH,
        /** The engine called {@link LocalBroker#deliver}. */
        DELIVER,
        /** The engine called {@link LocalBroker#reply}. */
        REPLY,
        /** It was in the retained store when the client subscribed. */
        RETAINED
    }

    /**
     * One message delivered to one client.
     *
     * @param clientId the receiving client
     * @param subscription the subscription that matched (the first matching one, for a client with several)
     * @param message the message as published or handed to {@link #deliver}; {@code retain} is as published
     *     (retain-as-published), and true for {@link Source#RETAINED}
     * @param qos the delivery QoS: the minimum of the message's and the subscription's
     * @param source how it got here
     * @since 0.1.0
     */
    public record Delivery(String clientId, String subscription, MqttMessage message, int qos, Source source) {

        /**
         * The topic.
         *
         * @return the message's topic
         * @since 0.1.0
         */
        public String topic() {
            return message.topic();
        }

        /**
         * A copy of the payload.
         *
         * @return the payload bytes
         * @since 0.1.0
         */
        public byte[] payload() {
            return message.payloadBytes();
        }

        /**
         * The payload decoded as UTF-8, for readable assertions.
         *
         * @return the payload text
         * @since 0.1.0
         */
        public String payloadUtf8() {
            return new String(message.payloadBytes(), StandardCharsets.UTF_8);
        }

        /**
         * The retain flag.
         *
         * @return the message's retain flag
         * @since 0.1.0
         */
        public boolean retain() {
            return message.retain();
        }

        /**
         * The MQTT 5 properties.
         *
         * @return the message's properties
         * @since 0.1.0
         */
        public PublishProperties properties() {
            return message.properties();
        }

        /**
         * The cluster the message came from.
         *
         * @return the origin cluster, empty for a local message
         * @since 0.1.0
         */
        public Optional<String> originCluster() {
            return message.originCluster();
        }
    }

    /**
     * A recorded {@link LocalBroker#disconnect} call.
     *
     * @param connection the connection named
     * @param reasonCode the DISCONNECT reason code
     * @param reasonString the reason string
     * @since 0.1.0
     */
    public record DisconnectCall(LinkConnection connection, int reasonCode, String reasonString) {}

    /** What a connection opened by the in-memory network learns from the broker. */
    interface ConnectionSide {
        /** A delivery for this connection; called without the broker's lock held. */
        void deliver(Delivery delivery);

        /** The broker closed the connection (disconnect, takeover); called without the broker's lock held. */
        void closedByBroker(int reasonCode, String reasonString);
    }

    final Ticker ticker;
    private final HookDispatcher hooks = new HookDispatcher();
    final SessionTable sessions;
    // The broker's own records, guarded by sessions.lock.
    private final List<MqttMessage> delivered = new ArrayList<>();
    private final List<MqttMessage> replies = new ArrayList<>();
    private final List<DisconnectCall> disconnects = new ArrayList<>();
    private final Set<Operation> throwing = EnumSet.noneOf(Operation.class);

    /**
     * A broker stamping local publishes with the wall clock of {@code ticker}.
     *
     * @param ticker the time source for message timestamps, not null
     * @since 0.1.0
     */
    public FakeLocalBroker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sessions = new SessionTable(hooks, ticker);
    }

    /**
     * A broker stamping local publishes with {@link ManualTime#DEFAULT_WALL_CLOCK_START}.
     *
     * @since 0.1.0
     */
    public FakeLocalBroker() {
        this(ManualTime.create().ticker());
    }

    // ---------------------------------------------------------------- LocalBroker

    /** {@inheritDoc} The fake routes {@code $queue/<filter>} as EMQX's shared group {@code $queue}, so it does. */
    @Override
    public boolean supportsQueueSubscriptions() {
        return true;
    }

    @Override
    public void attach(ClusterLinkHooks hooks) {
        this.hooks.attach(Objects.requireNonNull(hooks, "hooks"));
    }

    @Override
    public void detach() {
        hooks.attach(null);
    }

    /**
     * The attached hooks.
     *
     * @return the hooks, or empty before {@link #attach} and after {@link #detach}
     * @since 0.1.0
     */
    public Optional<ClusterLinkHooks> hooks() {
        return hooks.current();
    }

    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        Objects.requireNonNull(action, "action");
        failIfSet(Operation.FOR_EACH_SUBSCRIPTION);
        for (LocalSubscription s : subscriptions()) {
            action.accept(s);
        }
    }

    @Override
    public void deliver(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        failIfSet(Operation.DELIVER);
        List<Delivery> out;
        synchronized (sessions.lock) {
            delivered.add(message);
            out = sessions.routeLocked(message, Source.DELIVER);
        }
        sessions.dispatch(out);
    }

    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reply, "reply");
        failIfSet(Operation.REPLY);
        List<Delivery> out;
        synchronized (sessions.lock) {
            replies.add(reply);
            out = sessions.replyLocked(connection, reply);
        }
        sessions.dispatch(out);
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reasonString, "reasonString");
        failIfSet(Operation.DISCONNECT);
        FakeSession session;
        synchronized (sessions.lock) {
            disconnects.add(new DisconnectCall(connection, reasonCode, reasonString));
            session = sessions.takeOpenLocked(connection);
        }
        if (session != null) {
            sessions.closeByBroker(session, connection, reasonCode, reasonString);
        }
    }

    // ---------------------------------------------------------------- test controls

    /**
     * Connects a simulated client with clean start (its session ends when it disconnects).
     *
     * @param clientId the client id, not empty
     * @return the client
     * @since 0.1.0
     */
    public FakeBrokerClient connect(String clientId) {
        return connect(clientId, true);
    }

    /**
     * Connects a simulated client. An existing connection with the same client id is taken over (closed); with
     * {@code cleanStart} an existing session ends first ({@code onSessionEnd}), without it the session and its
     * subscriptions are resumed.
     *
     * @param clientId the client id, not empty
     * @param cleanStart the MQTT clean-start flag; a clean-start session also ends at disconnect (expiry 0)
     * @return the client
     * @since 0.1.0
     */
    public FakeBrokerClient connect(String clientId, boolean cleanStart) {
        return open(clientId, cleanStart, null, null, null, null, false, Duration.ZERO);
    }

    /**
     * Connects a simulated MQTT 5 client with clean start on a named listener: once {@link #linkListeners} are set,
     * only clients on one of them may publish and subscribe to {@code $LINK/...}.
     *
     * @param clientId the client id, not empty
     * @param listener the listener's name, not null
     * @return the client
     * @since 0.1.0
     */
    public FakeBrokerClient connectOn(String clientId, String listener) {
        return open(
                clientId, true, null, null, Objects.requireNonNull(listener, "listener"), null, false, Duration.ZERO);
    }

    /**
     * Connects a simulated MQTT 3.1.1 client with clean session (its session ends when it disconnects) on the
     * ordinary listener. Its publishes carry no MQTT 5 properties and it has no topic aliases.
     *
     * @param clientId the client id, not empty
     * @return the client
     * @since 0.1.0
     */
    public FakeBrokerClient connectMqtt311(String clientId) {
        return open(clientId, true, null, null, null, null, true, Duration.ZERO);
    }

    FakeBrokerClient open(
            String clientId,
            boolean cleanStart,
            @Nullable String username,
            @Nullable String peerHost,
            @Nullable String listener,
            @Nullable ConnectionSide side,
            boolean mqtt311,
            Duration keepAlive) {
        SessionTable.Opened opened =
                sessions.open(clientId, cleanStart, username, peerHost, listener, side, mqtt311, keepAlive);
        return new FakeBrokerClient(this, opened.session(), opened.connection());
    }

    /**
     * Confines {@code $LINK/...} publishes and subscriptions to connections on the named listeners: elsewhere a
     * {@code $LINK} publish is answered with {@link ReasonCodes#NOT_AUTHORIZED} without reaching the hooks, and a
     * {@code $LINK} subscription is refused with the same code. The in-memory network's connections are on
     * {@link InMemoryLinkNetwork#DEFAULT_LISTENER} unless their endpoint names another; {@link #connect} clients are
     * on no listener. No names (the default) allows every connection, as engine tests that publish link traffic
     * from simulated clients need.
     *
     * @param names the link listeners' names, not null; empty lifts the restriction
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker linkListeners(Set<String> names) {
        sessions.linkListeners(Set.copyOf(names));
        return this;
    }

    /** {@inheritDoc} The names given to {@link #linkListeners}, empty until then. */
    @Override
    public Set<String> linkListenerNames() {
        return sessions.linkListenerNames();
    }

    /**
     * Gives this broker one of the {@link Fault bugs} (or takes it away), to prove that a contract check catches it.
     *
     * @param fault the bug, not null
     * @param on {@code true} to plant it
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker plant(Fault fault, boolean on) {
        sessions.plant(Objects.requireNonNull(fault, "fault"), on);
        return this;
    }

    /**
     * Ends the session of a disconnected client that connected without clean start (its expiry elapsed), reporting
     * {@code onSessionEnd}. Does nothing for an unknown client or one that is still connected.
     *
     * @param clientId the client id
     * @return {@code true} if a session ended
     * @since 0.1.0
     */
    public boolean expireSession(String clientId) {
        return sessions.expire(clientId);
    }

    /**
     * Stops (or resumes) reporting {@code onUnsubscribe}: the broker still removes the subscription.
     *
     * @param lose {@code true} to drop the reports
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker loseUnsubscribeEvents(boolean lose) {
        sessions.loseUnsubscribes(lose);
        return this;
    }

    /**
     * Stops (or resumes) reporting {@code onSessionEnd}: sessions still end and their subscriptions go.
     *
     * @param lose {@code true} to drop the reports
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker loseSessionEndEvents(boolean lose) {
        sessions.loseSessionEnds(lose);
        return this;
    }

    /**
     * Makes a broker method throw an {@link IllegalStateException} (or stop throwing), to test the engine's guards.
     * A throwing call changes nothing and is not recorded.
     *
     * @param operation the method
     * @param fail {@code true} to throw
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker throwFrom(Operation operation, boolean fail) {
        Objects.requireNonNull(operation, "operation");
        synchronized (sessions.lock) {
            if (fail) {
                throwing.add(operation);
            } else {
                throwing.remove(operation);
            }
        }
        return this;
    }

    /**
     * Every current subscription, as {@link #forEachSubscription} would pass them, in subscription order.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<LocalSubscription> subscriptions() {
        return sessions.subscriptions();
    }

    /**
     * Every message handed to {@link #deliver} (not to {@link #reply}), oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<MqttMessage> delivered() {
        synchronized (sessions.lock) {
            return List.copyOf(delivered);
        }
    }

    /**
     * Every message handed to {@link #reply}, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<MqttMessage> replies() {
        synchronized (sessions.lock) {
            return List.copyOf(replies);
        }
    }

    /**
     * Every {@link #disconnect} call, including ones for connections already gone, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<DisconnectCall> disconnects() {
        synchronized (sessions.lock) {
            return List.copyOf(disconnects);
        }
    }

    /**
     * The retained message of a topic.
     *
     * @param topic a topic name
     * @return the retained message, or empty
     * @since 0.1.0
     */
    public Optional<MqttMessage> retained(String topic) {
        return sessions.retained(topic);
    }

    /**
     * Exceptions the hooks threw, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<Throwable> hookFailures() {
        return hooks.failures();
    }

    /**
     * The deliveries recorded for a client id's current session, across its connections.
     *
     * @param clientId the client id
     * @return a snapshot copy, empty for an unknown client
     * @since 0.1.0
     */
    public List<Delivery> deliveriesTo(String clientId) {
        return sessions.deliveriesTo(clientId);
    }

    /**
     * Whether a client id is connected now.
     *
     * @param clientId the client id
     * @return {@code true} if connected
     * @since 0.1.0
     */
    public boolean isConnected(String clientId) {
        return sessions.isConnected(clientId);
    }

    // ---------------------------------------------------------------- internals

    private void failIfSet(Operation op) {
        synchronized (sessions.lock) {
            if (throwing.contains(op)) {
                throw new IllegalStateException("FakeLocalBroker set to throw from " + op);
            }
        }
    }
}
