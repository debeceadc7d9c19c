package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.time.Ticker;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import io.clink.testkit.FakeLocalBroker.ConnectionSide;
import io.clink.testkit.FakeLocalBroker.Delivery;
import io.clink.testkit.FakeLocalBroker.Fault;
import io.clink.testkit.FakeLocalBroker.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: the MQTT session semantics of a FakeLocalBroker (connect with takeover and clean start, resume,
 * expiry, subscribe, unsubscribe, publish, disconnect) and which of them the hooks hear about. FakeLocalBroker is the
 * public face and its failure switches; this class is what happens to sessions.
 *
 * Concurrency: `lock` guards the table, every FakeSession, the router and the broker's own records; hooks and
 * connection sides are called only after it is released.
 */
final class SessionTable {

    /** A connection just opened, with the session it belongs to. */
    record Opened(FakeSession session, LinkConnection connection) {}

    final Object lock = new Object();
    private final Map<String, FakeSession> sessions = new LinkedHashMap<>();
    private final MessageRouter router = new MessageRouter();
    private final HookDispatcher hooks;
    private final Ticker ticker;
    private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    private final Set<String> linkListeners = new HashSet<>();
    private boolean loseUnsubscribes;
    private boolean loseSessionEnds;
    private long connectionCounter;
    private long subscriptionCounter;

    SessionTable(HookDispatcher hooks, Ticker ticker) {
        this.hooks = hooks;
        this.ticker = ticker;
    }

    void plant(Fault fault, boolean on) {
        synchronized (lock) {
            if (on) {
                faults.add(fault);
            } else {
                faults.remove(fault);
            }
        }
    }

    void linkListeners(Set<String> names) {
        synchronized (lock) {
            linkListeners.clear();
            linkListeners.addAll(names);
        }
    }

    Set<String> linkListenerNames() {
        synchronized (lock) {
            return Set.copyOf(linkListeners);
        }
    }

    private boolean has(Fault fault) {
        synchronized (lock) {
            return faults.contains(fault);
        }
    }

    /** Whether the connection may use $LINK topics: every listener may until link listeners are named. */
    private boolean mayUseLinkTopicsLocked(FakeSession session) {
        return linkListeners.isEmpty() || (session.listener != null && linkListeners.contains(session.listener));
    }

    private static boolean isLinkFilter(String subscription) {
        String filter = subscription;
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            filter = slash < 0 ? "" : filter.substring(slash + 1);
        } else if (filter.startsWith("$queue/")) {
            filter = filter.substring("$queue/".length());
        }
        return ClusterLinkHooks.isLinkTopic(filter) || filter.equals("$LINK/#") || filter.equals("$LINK");
    }

    void loseUnsubscribes(boolean lose) {
        synchronized (lock) {
            loseUnsubscribes = lose;
        }
    }

    void loseSessionEnds(boolean lose) {
        synchronized (lock) {
            loseSessionEnds = lose;
        }
    }

    Opened open(
            String clientId,
            boolean cleanStart,
            @Nullable String username,
            @Nullable String peerHost,
            @Nullable String listener,
            @Nullable ConnectionSide side,
            boolean mqtt311,
            Duration keepAlive) {
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        FakeSession old;
        LinkConnection oldConnection = null;
        ConnectionSide oldSide = null;
        boolean oldWasConnected;
        boolean oldReportsClose;
        boolean endOld;
        FakeSession session;
        LinkConnection connection;
        boolean reportAtConnect;
        synchronized (lock) {
            old = sessions.get(clientId);
            oldWasConnected = old != null && old.connected;
            oldReportsClose = old != null && old.reportsClose();
            if (old != null) {
                oldConnection = old.connection;
                oldSide = old.side;
                old.connected = false;
                old.side = null;
            }
            endOld = old != null && (cleanStart || old.cleanStart);
            connection = new LinkConnection("fake-" + (++connectionCounter), clientId, username, peerHost, listener);
            if (old == null || endOld) {
                session = new FakeSession(clientId);
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
            session.mqtt311 = mqtt311;
            session.listener = listener;
            session.keepAliveNanos = keepAlive.toNanos();
            session.lastActivityNanos = ticker.nanoTime();
            session.topicAliases.clear();
            reportAtConnect = cleanStart && !endOld && faults.contains(Fault.SESSION_END_AT_CONNECT_ONLY);
        }
        if (oldWasConnected && oldConnection != null) {
            notifyClosed(oldSide, oldReportsClose, oldConnection, 0x8E, "session taken over");
        }
        if (endOld || reportAtConnect) {
            reportSessionEnd(clientId);
        }
        return new Opened(session, connection);
    }

    boolean expire(String clientId) {
        synchronized (lock) {
            FakeSession s = sessions.get(clientId);
            if (s == null || s.connected) {
                return false;
            }
            sessions.remove(clientId);
        }
        reportSessionEnd(clientId);
        return true;
    }

    /**
     * Marks the session of {@code connection} offline at once (so no further publish of it reaches the hooks), if it
     * is still open; the caller holds the lock and then calls {@link #closeByBroker} without it.
     */
    @Nullable
    FakeSession takeOpenLocked(LinkConnection connection) {
        FakeSession session = sessions.get(connection.clientId());
        if (session == null || !session.isOpen(connection)) {
            return null;
        }
        session.connected = false;
        return session;
    }

    /** Completes a broker-side disconnect of a session taken by {@link #takeOpenLocked}. */
    void closeByBroker(FakeSession session, LinkConnection connection, int reasonCode, String reasonString) {
        hooks.runOutsideHooks(() -> closeConnection(session, connection, reasonCode, reasonString, true));
    }

    /** Routes a message from the engine or a client; the caller holds the lock and then calls {@link #dispatch}. */
    List<Delivery> routeLocked(MqttMessage message, Source source) {
        return router.route(sessions.values(), message, source);
    }

    /**
     * Routes a reply to the asking connection only, and only while it is open; the caller holds the lock and then
     * calls {@link #dispatch}.
     */
    List<Delivery> replyLocked(LinkConnection connection, MqttMessage reply) {
        FakeSession s = sessions.get(connection.clientId());
        boolean anyConnectionOfTheClient = faults.contains(Fault.REPLY_BY_CLIENT_ID);
        if (s == null || !s.connected || (!anyConnectionOfTheClient && !s.connection.equals(connection))) {
            return List.of();
        }
        return router.route(List.of(s), reply, Source.REPLY);
    }

    int subscribe(FakeSession session, LinkConnection connection, String subscription, int qos) {
        Subscription parsed;
        try {
            parsed = Subscription.parse(subscription);
        } catch (InvalidTopicException e) {
            return 0x8F;
        }
        List<Delivery> out;
        boolean report;
        synchronized (lock) {
            checkOpen(session, connection);
            boolean link = isLinkFilter(subscription);
            if (link && !mayUseLinkTopicsLocked(session)) {
                return ReasonCodes.NOT_AUTHORIZED;
            }
            session.lastActivityNanos = ticker.nanoTime();
            session.subscriptions.put(subscription, new FakeSession.Sub(parsed, qos, ++subscriptionCounter));
            out = router.retainedFor(session, subscription, parsed, qos);
            report = !link || faults.contains(Fault.LINK_FILTERS_REPORTED);
        }
        if (report) {
            hooks.report(h -> h.onSubscribe(session.clientId, subscription));
        }
        dispatch(out);
        return qos;
    }

    boolean unsubscribe(FakeSession session, LinkConnection connection, String subscription) {
        boolean lose;
        synchronized (lock) {
            checkOpen(session, connection);
            if (session.subscriptions.remove(subscription) == null) {
                return false;
            }
            session.lastActivityNanos = ticker.nanoTime();
            lose = loseUnsubscribes
                    || (isLinkFilter(subscription) && !faults.contains(Fault.LINK_FILTERS_REPORTED))
                    || (session.mqtt311 && faults.contains(Fault.MQTT311_UNSUBSCRIBE_UNREPORTED));
        }
        if (!lose) {
            hooks.report(h -> h.onUnsubscribe(session.clientId, subscription));
        }
        return true;
    }

    /**
     * Resolves an MQTT 5 topic alias of a client's publish: a topic with an alias sets it, an alias alone (null
     * topic) uses the one set before on this connection.
     */
    String resolveTopicAlias(FakeSession session, LinkConnection connection, int alias, @Nullable String topic) {
        if (alias < 1 || alias > 0xFFFF) {
            throw new IllegalArgumentException("topic alias must be in 1..65535: " + alias);
        }
        synchronized (lock) {
            checkOpen(session, connection);
            if (session.mqtt311) {
                throw new IllegalStateException("MQTT 3.1.1 has no topic aliases (client " + session.clientId + ")");
            }
            if (topic != null) {
                session.topicAliases.put(alias, topic);
                return topic;
            }
            String known = session.topicAliases.get(alias);
            if (known == null) {
                throw new IllegalArgumentException(
                        "topic alias " + alias + " was never set on this connection (client " + session.clientId + ")");
            }
            return known;
        }
    }

    /** A client's publish, already stamped with its identity. */
    int publish(FakeSession session, LinkConnection connection, MqttMessage m) {
        return publish(session, connection, m, false);
    }

    /**
     * A client's publish; {@code aliasOnly} when it named its topic by a topic alias alone, which the {@link
     * Fault#TOPIC_ALIASES_UNRESOLVED} broker hides from the hooks.
     */
    int publish(FakeSession session, LinkConnection connection, MqttMessage m, boolean aliasOnly) {
        boolean link = ClusterLinkHooks.isLinkTopic(m.topic());
        boolean hidden;
        boolean timedOut = false;
        synchronized (lock) {
            checkOpen(session, connection);
            if (link && !mayUseLinkTopicsLocked(session)) {
                return ReasonCodes.NOT_AUTHORIZED;
            }
            long now = ticker.nanoTime();
            if (link && faults.contains(Fault.LINK_TRAFFIC_NOT_KEEPALIVE)) {
                // The planted bug: $LINK packets do not count as activity, so the keepalive runs out under them.
                timedOut =
                        session.keepAliveNanos > 0 && now - session.lastActivityNanos > session.keepAliveNanos * 3 / 2;
            } else {
                session.lastActivityNanos = now;
            }
            if (timedOut) {
                session.connected = false;
            } else if (link) {
                session.linkPublished = true;
            }
            hidden = (aliasOnly && faults.contains(Fault.TOPIC_ALIASES_UNRESOLVED))
                    || (session.mqtt311 && faults.contains(Fault.MQTT311_PUBLISH_UNREPORTED));
        }
        if (timedOut) {
            closeByBroker(session, connection, 0x8D, "keep alive timeout");
            throw new IllegalStateException("client '" + session.clientId + "' timed out (keep alive)");
        }
        if (link) {
            Optional<ClusterLinkHooks> h = hooks.current();
            if (h.isEmpty() || hidden) {
                return ReasonCodes.SUCCESS;
            }
            byte[] payload = m.payloadBytes();
            if (m.qos() == 2 && has(Fault.QOS2_LINK_PUBLISH_REPORTED_TWICE)) {
                // The planted bug: reported at PUBLISH and again at PUBREL.
                hooks.call(
                        () -> h.get().onLinkPublish(connection, m.topic(), payload, m.properties()),
                        ReasonCodes.UNSPECIFIED_ERROR);
            }
            return hooks.call(
                    () -> h.get().onLinkPublish(connection, m.topic(), payload, m.properties()),
                    ReasonCodes.UNSPECIFIED_ERROR);
        }
        if (!hidden) {
            hooks.report(h -> h.onPublish(m));
        }
        List<Delivery> out;
        synchronized (lock) {
            out = routeLocked(m, Source.LOCAL_PUBLISH);
        }
        dispatch(out);
        return out.isEmpty() ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : ReasonCodes.SUCCESS;
    }

    /** A client's own DISCONNECT; idempotent. */
    void disconnectClient(FakeSession session, LinkConnection connection) {
        synchronized (lock) {
            if (!session.isOpen(connection)) {
                return;
            }
            session.connected = false;
        }
        closeConnection(session, connection, 0, "client disconnected", false);
    }

    boolean isOpen(FakeSession session, LinkConnection connection) {
        synchronized (lock) {
            return session.isOpen(connection);
        }
    }

    List<Delivery> deliveries(FakeSession session) {
        synchronized (lock) {
            return List.copyOf(session.deliveries);
        }
    }

    void clearDeliveries(FakeSession session) {
        synchronized (lock) {
            session.deliveries.clear();
        }
    }

    List<LocalSubscription> subscriptions() {
        List<LocalSubscription> out = new ArrayList<>();
        synchronized (lock) {
            for (FakeSession s : sessions.values()) {
                for (String sub : s.subscriptions.keySet()) {
                    out.add(new LocalSubscription(s.clientId, sub));
                }
            }
        }
        return out;
    }

    Optional<MqttMessage> retained(String topic) {
        synchronized (lock) {
            return router.retained(topic);
        }
    }

    List<Delivery> deliveriesTo(String clientId) {
        synchronized (lock) {
            FakeSession s = sessions.get(clientId);
            return s == null ? List.of() : List.copyOf(s.deliveries);
        }
    }

    boolean isConnected(String clientId) {
        synchronized (lock) {
            FakeSession s = sessions.get(clientId);
            return s != null && s.connected;
        }
    }

    /** Hands deliveries to the connections that carry them (network connections); called without the lock. */
    void dispatch(List<Delivery> out) {
        for (Delivery d : out) {
            ConnectionSide side;
            synchronized (lock) {
                FakeSession s = sessions.get(d.clientId());
                side = s != null && s.connected ? s.side : null;
            }
            if (side != null) {
                side.deliver(d);
            }
        }
    }

    private void checkOpen(FakeSession session, LinkConnection connection) {
        if (!session.isOpen(connection)) {
            throw new IllegalStateException(
                    "client '" + session.clientId + "' (" + connection.connectionId() + ") is not connected");
        }
    }

    private void closeConnection(
            FakeSession session, LinkConnection connection, int reasonCode, String reasonString, boolean tellOwner) {
        ConnectionSide side;
        boolean reportClose;
        synchronized (lock) {
            side = tellOwner ? session.side : null;
            reportClose = session.reportsClose();
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
            hooks.report(h -> h.onConnectionClosed(connection));
        }
    }

    private void endIfClean(FakeSession session) {
        boolean ended;
        boolean report;
        synchronized (lock) {
            ended = session.cleanStart && !session.connected && sessions.get(session.clientId) == session;
            if (ended) {
                sessions.remove(session.clientId);
            }
            report = !faults.contains(Fault.SESSION_END_AT_CONNECT_ONLY);
        }
        if (ended && report) {
            reportSessionEnd(session.clientId);
        }
    }

    private void reportSessionEnd(String clientId) {
        hooks.report(h -> {
            boolean lost;
            synchronized (lock) {
                lost = loseSessionEnds;
            }
            if (!lost) {
                h.onSessionEnd(clientId);
            }
        });
    }
}
