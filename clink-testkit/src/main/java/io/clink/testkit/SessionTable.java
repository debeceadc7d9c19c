package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import io.clink.testkit.FakeLocalBroker.ConnectionSide;
import io.clink.testkit.FakeLocalBroker.Delivery;
import io.clink.testkit.FakeLocalBroker.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private boolean loseUnsubscribes;
    private boolean loseSessionEnds;
    private long connectionCounter;
    private long subscriptionCounter;

    SessionTable(HookDispatcher hooks) {
        this.hooks = hooks;
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
            @Nullable ConnectionSide side) {
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
        }
        if (oldWasConnected && oldConnection != null) {
            notifyClosed(oldSide, oldReportsClose, oldConnection, 0x8E, "session taken over");
        }
        if (endOld) {
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

    int subscribe(FakeSession session, LinkConnection connection, String subscription, int qos) {
        Subscription parsed;
        try {
            parsed = Subscription.parse(subscription);
        } catch (InvalidTopicException e) {
            return 0x8F;
        }
        List<Delivery> out;
        synchronized (lock) {
            checkOpen(session, connection);
            session.subscriptions.put(subscription, new FakeSession.Sub(parsed, qos, ++subscriptionCounter));
            out = router.retainedFor(session, subscription, parsed, qos);
        }
        hooks.report(h -> h.onSubscribe(session.clientId, subscription));
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
            lose = loseUnsubscribes;
        }
        if (!lose) {
            hooks.report(h -> h.onUnsubscribe(session.clientId, subscription));
        }
        return true;
    }

    /** A client's publish, already stamped with its identity. */
    int publish(FakeSession session, LinkConnection connection, MqttMessage m) {
        boolean link = ClusterLinkHooks.isLinkTopic(m.topic());
        synchronized (lock) {
            checkOpen(session, connection);
            if (link) {
                session.linkPublished = true;
            }
        }
        if (link) {
            Optional<ClusterLinkHooks> h = hooks.current();
            if (h.isEmpty()) {
                return ReasonCodes.SUCCESS;
            }
            byte[] payload = m.payloadBytes();
            return hooks.call(
                    () -> h.get().onLinkPublish(connection, m.topic(), payload, m.properties()),
                    ReasonCodes.UNSPECIFIED_ERROR);
        }
        hooks.report(h -> h.onPublish(m));
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
        synchronized (lock) {
            ended = session.cleanStart && !session.connected && sessions.get(session.clientId) == session;
            if (ended) {
                sessions.remove(session.clientId);
            }
        }
        if (ended) {
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
