package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.time.Ticker;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import io.clink.api.topic.TopicAlgebra;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory MQTT broker that implements {@link LocalBroker} and reports to the attached {@link
 * ClusterLinkHooks} exactly as the hooks' Javadoc asks, for engine tests that need a broker on each side of a link.
 *
 * <p>Tests drive simulated clients ({@link #connect}): subscribe (plain, {@code $share/<group>/<filter>},
 * {@code $queue/<filter>}), unsubscribe, publish, disconnect. The broker then
 * <ul>
 *   <li>reports {@code onSubscribe} after granting, {@code onUnsubscribe}, {@code onSessionEnd} when a clean-start
 *       session disconnects, is taken over with clean start, or expires ({@link #expireSession});
 *   <li>reports {@code onPublish} for a client's publish, but neither for {@code $LINK/...} topics nor for messages
 *       it got from {@link #deliver} or {@link #reply};
 *   <li>passes a client's {@code $LINK/...} publish to {@code onLinkPublish}, delivers it to nobody and answers it
 *       with the returned code; after the connection closes it reports {@code onConnectionClosed} (for every
 *       connection that made a link publish, and for every connection opened by an {@link InMemoryLinkNetwork});
 *   <li>delivers to matching subscriptions: one copy per client for its plain subscriptions (QoS the minimum of the
 *       message's and the highest granted), one member per share group in round-robin order among connected
 *       members, retained messages to new plain subscriptions; every delivery is recorded per client
 *       ({@link Client#deliveries()});
 *   <li>keeps the retained messages its clients publish (an empty one deletes), but never stores or deletes one
 *       because of {@link #deliver} or {@link #reply}: a forwarded retained message reaches the present subscribers
 *       only, as on EMQX.
 * </ul>
 *
 * <p>Switches for failure tests: {@link #loseUnsubscribeEvents} and {@link #loseSessionEndEvents} stop the
 * corresponding reports (as brokers that drop sessions silently do, to test resynchronisation); {@link #throwFrom}
 * makes {@link #deliver}, {@link #reply}, {@link #disconnect} or {@link #forEachSubscription} throw, to test the
 * engine's guards. Exceptions thrown by the hooks are caught, kept in {@link #hookFailures()}, and never break the
 * broker; a throwing {@code onLinkPublish} is answered with {@link ReasonCodes#UNSPECIFIED_ERROR}.
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

    private final Object lock = new Object();
    private final Ticker ticker;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, MqttMessage> retained = new TreeMap<>();
    private final Map<String, Integer> shareCursors = new HashMap<>();
    private final List<MqttMessage> delivered = new ArrayList<>();
    private final List<MqttMessage> replies = new ArrayList<>();
    private final List<DisconnectCall> disconnects = new ArrayList<>();
    private final List<Throwable> hookFailures = new ArrayList<>();
    private final Set<Operation> throwing = EnumSet.noneOf(Operation.class);
    private final ThreadLocal<int[]> hookDepth = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadLocal<List<Runnable>> deferred = ThreadLocal.withInitial(ArrayList::new);
    private volatile @Nullable ClusterLinkHooks hooks;
    private boolean loseUnsubscribes;
    private boolean loseSessionEnds;
    private long connectionCounter;
    private long subscriptionCounter;

    /**
     * A broker stamping local publishes with the wall clock of {@code ticker}.
     *
     * @param ticker the time source for message timestamps, not null
     * @since 0.1.0
     */
    public FakeLocalBroker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
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

    @Override
    public void attach(ClusterLinkHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    @Override
    public void detach() {
        this.hooks = null;
    }

    /**
     * The attached hooks.
     *
     * @return the hooks, or empty before {@link #attach} and after {@link #detach}
     * @since 0.1.0
     */
    public Optional<ClusterLinkHooks> hooks() {
        return Optional.ofNullable(hooks);
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
        synchronized (lock) {
            delivered.add(message);
            out = route(message, Source.DELIVER);
        }
        dispatch(out);
    }

    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reply, "reply");
        failIfSet(Operation.REPLY);
        List<Delivery> out;
        synchronized (lock) {
            replies.add(reply);
            out = route(reply, Source.REPLY);
        }
        dispatch(out);
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reasonString, "reasonString");
        failIfSet(Operation.DISCONNECT);
        Session session;
        synchronized (lock) {
            disconnects.add(new DisconnectCall(connection, reasonCode, reasonString));
            session = sessions.get(connection.clientId());
            if (session == null || !session.connected || !session.connection.equals(connection)) {
                return;
            }
            // Mark it at once so that no further publish of this connection reaches the hooks.
            session.connected = false;
        }
        Runnable close = () -> closeConnection(session, connection, reasonCode, reasonString, true);
        if (hookDepth.get()[0] > 0) {
            deferred.get().add(close);
        } else {
            close.run();
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
    public Client connect(String clientId) {
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
    public Client connect(String clientId, boolean cleanStart) {
        return open(clientId, cleanStart, null, null, null, null);
    }

    Client open(
            String clientId,
            boolean cleanStart,
            @Nullable String username,
            @Nullable String peerHost,
            @Nullable String listener,
            @Nullable ConnectionSide side) {
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        Session old;
        LinkConnection oldConnection = null;
        ConnectionSide oldSide = null;
        boolean oldWasConnected;
        boolean oldReportsClose;
        boolean endOld;
        Session session;
        LinkConnection connection;
        synchronized (lock) {
            old = sessions.get(clientId);
            oldWasConnected = old != null && old.connected;
            oldReportsClose = old != null && (old.linkPublished || old.networkConnection);
            if (old != null) {
                oldConnection = old.connection;
                oldSide = old.side;
                old.connected = false;
                old.side = null;
            }
            endOld = old != null && (cleanStart || old.cleanStart);
            connection = new LinkConnection("fake-" + (++connectionCounter), clientId, username, peerHost, listener);
            if (old == null || endOld) {
                session = new Session(clientId);
                sessions.put(clientId, session);
            } else {
                session = old;
            }
            session.cleanStart = cleanStart;
            session.connection = connection;
            session.connected = true;
            session.linkPublished = false;
            session.networkConnection = side != null;
            session.side = side;
        }
        if (oldWasConnected && oldConnection != null) {
            notifyClosed(oldSide, oldReportsClose, oldConnection, 0x8E, "session taken over");
        }
        if (endOld) {
            report(h -> {
                if (!lostSessionEnd()) {
                    h.onSessionEnd(clientId);
                }
            });
        }
        return new Client(this, session, connection);
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
        synchronized (lock) {
            Session s = sessions.get(clientId);
            if (s == null || s.connected) {
                return false;
            }
            sessions.remove(clientId);
        }
        report(h -> {
            if (!lostSessionEnd()) {
                h.onSessionEnd(clientId);
            }
        });
        return true;
    }

    /**
     * Stops (or resumes) reporting {@code onUnsubscribe}: the broker still removes the subscription.
     *
     * @param lose {@code true} to drop the reports
     * @return this broker
     * @since 0.1.0
     */
    public FakeLocalBroker loseUnsubscribeEvents(boolean lose) {
        synchronized (lock) {
            loseUnsubscribes = lose;
        }
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
        synchronized (lock) {
            loseSessionEnds = lose;
        }
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
        synchronized (lock) {
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
        List<LocalSubscription> out = new ArrayList<>();
        synchronized (lock) {
            for (Session s : sessions.values()) {
                for (String sub : s.subscriptions.keySet()) {
                    out.add(new LocalSubscription(s.clientId, sub));
                }
            }
        }
        return out;
    }

    /**
     * Every message handed to {@link #deliver} (not to {@link #reply}), oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<MqttMessage> delivered() {
        synchronized (lock) {
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
        synchronized (lock) {
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
        synchronized (lock) {
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
        synchronized (lock) {
            return Optional.ofNullable(retained.get(topic));
        }
    }

    /**
     * Exceptions the hooks threw, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<Throwable> hookFailures() {
        synchronized (lock) {
            return List.copyOf(hookFailures);
        }
    }

    /**
     * The deliveries recorded for a client id's current session, across its connections.
     *
     * @param clientId the client id
     * @return a snapshot copy, empty for an unknown client
     * @since 0.1.0
     */
    public List<Delivery> deliveriesTo(String clientId) {
        synchronized (lock) {
            Session s = sessions.get(clientId);
            return s == null ? List.of() : List.copyOf(s.deliveries);
        }
    }

    /**
     * Whether a client id is connected now.
     *
     * @param clientId the client id
     * @return {@code true} if connected
     * @since 0.1.0
     */
    public boolean isConnected(String clientId) {
        synchronized (lock) {
            Session s = sessions.get(clientId);
            return s != null && s.connected;
        }
    }

    // ---------------------------------------------------------------- internals

    private void failIfSet(Operation op) {
        synchronized (lock) {
            if (throwing.contains(op)) {
                throw new IllegalStateException("FakeLocalBroker set to throw from " + op);
            }
        }
    }

    private boolean lostSessionEnd() {
        synchronized (lock) {
            return loseSessionEnds;
        }
    }

    /** Routes a message to every matching subscription; the caller holds the lock and dispatches the result. */
    private List<Delivery> route(MqttMessage message, Source source) {
        // Only a client's own publish touches the retained store: a forwarded one is never synchronised (4.12).
        if (message.retain() && source == Source.LOCAL_PUBLISH) {
            if (message.payloadSize() == 0) {
                retained.remove(message.topic());
            } else {
                retained.put(message.topic(), message);
            }
        }
        List<Delivery> out = new ArrayList<>();
        Map<String, List<Member>> groups = new LinkedHashMap<>();
        for (Session s : sessions.values()) {
            String firstPlain = null;
            int bestQos = -1;
            for (Map.Entry<String, Sub> e : s.subscriptions.entrySet()) {
                Sub sub = e.getValue();
                if (!TopicAlgebra.match(sub.parsed.filter().value(), message.topic())) {
                    continue;
                }
                if (sub.parsed.isShared()) {
                    String key = sub.parsed.group().orElseThrow()
                            + '\u0000'
                            + sub.parsed.filter().value();
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Member(s, e.getKey(), sub));
                } else {
                    if (firstPlain == null) {
                        firstPlain = e.getKey();
                    }
                    bestQos = Math.max(bestQos, sub.qos);
                }
            }
            if (firstPlain != null && (s.connected || message.qos() > 0)) {
                out.add(record(
                        s, new Delivery(s.clientId, firstPlain, message, Math.min(bestQos, message.qos()), source)));
            }
        }
        for (Map.Entry<String, List<Member>> g : groups.entrySet()) {
            List<Member> members = g.getValue();
            List<Member> online =
                    members.stream().filter(m -> m.session.connected).toList();
            List<Member> candidates = online.isEmpty() ? members : online;
            candidates = new ArrayList<>(candidates);
            candidates.sort((a, b) -> Long.compare(a.sub.order, b.sub.order));
            int cursor = shareCursors.merge(g.getKey(), 1, Integer::sum) - 1;
            Member chosen = candidates.get(Math.floorMod(cursor, candidates.size()));
            out.add(record(
                    chosen.session,
                    new Delivery(
                            chosen.session.clientId,
                            chosen.subscription,
                            message,
                            Math.min(chosen.sub.qos, message.qos()),
                            source)));
        }
        return out;
    }

    private static Delivery record(Session s, Delivery d) {
        s.deliveries.add(d);
        return d;
    }

    private void dispatch(List<Delivery> out) {
        for (Delivery d : out) {
            ConnectionSide side;
            synchronized (lock) {
                Session s = sessions.get(d.clientId());
                side = s != null && s.connected ? s.side : null;
            }
            if (side != null) {
                side.deliver(d);
            }
        }
    }

    private void closeConnection(
            Session session, LinkConnection connection, int reasonCode, String reasonString, boolean tellOwner) {
        ConnectionSide side;
        boolean reportClose;
        synchronized (lock) {
            side = tellOwner ? session.side : null;
            reportClose = session.linkPublished || session.networkConnection;
            if (session.connection.equals(connection)) {
                session.side = null;
            }
        }
        notifyClosed(side, reportClose, connection, reasonCode, reasonString);
        endIfClean(session);
    }

    /** Tells the connection's owner and the hooks that a connection is gone; the session is already offline. */
    private void notifyClosed(
            @Nullable ConnectionSide side,
            boolean reportClose,
            LinkConnection connection,
            int reasonCode,
            String reasonString) {
        if (side != null) {
            side.closedByBroker(reasonCode, reasonString);
        }
        if (reportClose) {
            report(h -> h.onConnectionClosed(connection));
        }
    }

    private void endIfClean(Session session) {
        boolean ended;
        synchronized (lock) {
            ended = session.cleanStart && !session.connected && sessions.get(session.clientId) == session;
            if (ended) {
                sessions.remove(session.clientId);
            }
        }
        if (ended) {
            report(h -> {
                if (!lostSessionEnd()) {
                    h.onSessionEnd(session.clientId);
                }
            });
        }
    }

    /** Calls the hooks outside the lock, keeping their exceptions; runs disconnects issued during the call after. */
    private void report(Consumer<ClusterLinkHooks> call) {
        ClusterLinkHooks h = hooks;
        if (h == null) {
            return;
        }
        callHooks(
                () -> {
                    call.accept(h);
                    return 0;
                },
                0);
    }

    private int callHooks(HookCall call, int onFailure) {
        int[] depth = hookDepth.get();
        depth[0]++;
        int result = onFailure;
        try {
            result = call.run();
        } catch (RuntimeException e) {
            synchronized (lock) {
                hookFailures.add(e);
            }
        } finally {
            depth[0]--;
        }
        if (depth[0] == 0) {
            List<Runnable> pending = deferred.get();
            while (!pending.isEmpty()) {
                pending.remove(0).run();
            }
        }
        return result;
    }

    @FunctionalInterface
    private interface HookCall {
        int run();
    }

    private boolean stillConnected(Session session, LinkConnection connection) {
        synchronized (lock) {
            return session.connected && session.connection.equals(connection);
        }
    }

    private static final class Session {
        final String clientId;
        final Map<String, Sub> subscriptions = new LinkedHashMap<>();
        final List<Delivery> deliveries = new ArrayList<>();
        LinkConnection connection;
        boolean cleanStart;
        boolean connected;
        boolean linkPublished;
        boolean networkConnection;

        @Nullable
        ConnectionSide side;

        Session(String clientId) {
            this.clientId = clientId;
            this.connection = LinkConnection.of("none", clientId);
        }
    }

    private record Sub(Subscription parsed, int qos, long order) {}

    private record Member(Session session, String subscription, Sub sub) {}

    /**
     * A simulated client of a {@link FakeLocalBroker}, bound to one connection: once that connection is closed (by
     * {@link #disconnect()}, {@link FakeLocalBroker#disconnect} or a takeover) its methods throw {@link
     * IllegalStateException}, except the read-only ones.
     *
     * @since 0.1.0
     */
    public static final class Client {
        private final FakeLocalBroker broker;
        private final Session session;
        private final LinkConnection connection;

        private Client(FakeLocalBroker broker, Session session, LinkConnection connection) {
            this.broker = broker;
            this.session = session;
            this.connection = connection;
        }

        /**
         * The client id.
         *
         * @return the client id
         * @since 0.1.0
         */
        public String clientId() {
            return session.clientId;
        }

        /**
         * The connection, as the broker passes it to the hooks.
         *
         * @return the connection handle
         * @since 0.1.0
         */
        public LinkConnection connection() {
            return connection;
        }

        /**
         * Whether this connection is still open.
         *
         * @return {@code true} while connected
         * @since 0.1.0
         */
        public boolean isConnected() {
            return broker.stillConnected(session, connection);
        }

        /**
         * Subscribes at QoS 1.
         *
         * @param subscription a filter, {@code $share/<group>/<filter>} or {@code $queue/<filter>}
         * @return the SUBACK reason code: the granted QoS, or 0x8F for an invalid subscription
         * @since 0.1.0
         */
        public int subscribe(String subscription) {
            return subscribe(subscription, 1);
        }

        /**
         * Subscribes; reports {@code onSubscribe} after granting (also when re-subscribing to the same subscription,
         * as brokers do), then sends matching retained messages to a plain subscription.
         *
         * @param subscription a filter, {@code $share/<group>/<filter>} or {@code $queue/<filter>}
         * @param qos the maximum QoS, 0..2
         * @return the SUBACK reason code: the granted QoS, or 0x8F (topic filter invalid) without any report
         * @throws IllegalArgumentException if {@code qos} is not 0..2
         * @throws IllegalStateException if this connection is closed
         * @since 0.1.0
         */
        public int subscribe(String subscription, int qos) {
            Objects.requireNonNull(subscription, "subscription");
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
            }
            Subscription parsed;
            try {
                parsed = Subscription.parse(subscription);
            } catch (InvalidTopicException e) {
                return 0x8F;
            }
            List<Delivery> out = new ArrayList<>();
            synchronized (broker.lock) {
                checkConnected();
                session.subscriptions.put(subscription, new Sub(parsed, qos, ++broker.subscriptionCounter));
                if (!parsed.isShared()) {
                    for (MqttMessage m : broker.retained.values()) {
                        if (TopicAlgebra.match(parsed.filter().value(), m.topic())) {
                            out.add(record(
                                    session,
                                    new Delivery(
                                            session.clientId,
                                            subscription,
                                            m,
                                            Math.min(qos, m.qos()),
                                            Source.RETAINED)));
                        }
                    }
                }
            }
            broker.report(h -> h.onSubscribe(session.clientId, subscription));
            broker.dispatch(out);
            return qos;
        }

        /**
         * Unsubscribes; reports {@code onUnsubscribe} unless the broker is set to lose those events.
         *
         * @param subscription the subscription exactly as subscribed
         * @return {@code true} if it existed (only then is anything reported)
         * @throws IllegalStateException if this connection is closed
         * @since 0.1.0
         */
        public boolean unsubscribe(String subscription) {
            Objects.requireNonNull(subscription, "subscription");
            boolean lose;
            synchronized (broker.lock) {
                checkConnected();
                if (session.subscriptions.remove(subscription) == null) {
                    return false;
                }
                lose = broker.loseUnsubscribes;
            }
            if (!lose) {
                broker.report(h -> h.onUnsubscribe(session.clientId, subscription));
            }
            return true;
        }

        /**
         * Publishes a UTF-8 text payload at QoS 1, without retain.
         *
         * @param topic a topic name
         * @param payload the text
         * @return the PUBACK reason code
         * @since 0.1.0
         */
        public int publish(String topic, String payload) {
            return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        /**
         * Publishes without properties.
         *
         * @param topic a topic name
         * @param payload the payload (copied)
         * @param qos 0..2
         * @param retain the retain flag
         * @return the PUBACK reason code
         * @since 0.1.0
         */
        public int publish(String topic, byte[] payload, int qos, boolean retain) {
            return publish(MqttMessage.builder()
                    .topic(topic)
                    .payload(payload)
                    .qos(qos)
                    .retain(retain)
                    .timestampMillis(broker.ticker.wallClockMillis())
                    .build());
        }

        /**
         * Publishes a message. A {@code $LINK/...} topic goes to {@code onLinkPublish} only and is answered with
         * its result (0x80 if the hooks threw, 0x00 when no hooks are attached). Any other topic is reported to
         * {@code onPublish} (with this client's id as publisher) and then delivered to matching subscriptions.
         *
         * @param message the message; publisher client id, user name and peer host are replaced by this
         *     connection's
         * @return the PUBACK reason code: for a normal topic 0x00, or 0x10 when no subscription matched
         * @throws IllegalStateException if this connection is closed
         * @since 0.1.0
         */
        public int publish(MqttMessage message) {
            Objects.requireNonNull(message, "message");
            MqttMessage m = message.toBuilder()
                    .publisherClientId(session.clientId)
                    .username(connection.username())
                    .peerHost(connection.peerHost())
                    .build();
            synchronized (broker.lock) {
                checkConnected();
                if (ClusterLinkHooks.isLinkTopic(m.topic())) {
                    session.linkPublished = true;
                }
            }
            if (ClusterLinkHooks.isLinkTopic(m.topic())) {
                ClusterLinkHooks h = broker.hooks;
                if (h == null) {
                    return ReasonCodes.SUCCESS;
                }
                byte[] payload = m.payloadBytes();
                return broker.callHooks(
                        () -> h.onLinkPublish(connection, m.topic(), payload, m.properties()),
                        ReasonCodes.UNSPECIFIED_ERROR);
            }
            broker.report(h -> h.onPublish(m));
            List<Delivery> out;
            synchronized (broker.lock) {
                out = broker.route(m, Source.LOCAL_PUBLISH);
            }
            broker.dispatch(out);
            return out.isEmpty() ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : ReasonCodes.SUCCESS;
        }

        /**
         * Disconnects normally. A clean-start session ends ({@code onSessionEnd}); a connection that made a link
         * publish reports {@code onConnectionClosed}. Idempotent.
         *
         * @since 0.1.0
         */
        public void disconnect() {
            synchronized (broker.lock) {
                if (!session.connected || !session.connection.equals(connection)) {
                    return;
                }
                session.connected = false;
            }
            broker.closeConnection(session, connection, 0, "client disconnected", false);
        }

        /**
         * The deliveries to this client's session, oldest first (a resumed session keeps its earlier ones).
         *
         * @return a snapshot copy
         * @since 0.1.0
         */
        public List<Delivery> deliveries() {
            synchronized (broker.lock) {
                return List.copyOf(session.deliveries);
            }
        }

        /**
         * Forgets the recorded deliveries.
         *
         * @since 0.1.0
         */
        public void clearDeliveries() {
            synchronized (broker.lock) {
                session.deliveries.clear();
            }
        }

        private void checkConnected() {
            if (!session.connected || !session.connection.equals(connection)) {
                throw new IllegalStateException(
                        "client '" + session.clientId + "' (" + connection.connectionId() + ") is not connected");
            }
        }

        @Override
        public String toString() {
            return "FakeLocalBroker.Client{" + session.clientId + ", " + connection.connectionId() + '}';
        }
    }
}
