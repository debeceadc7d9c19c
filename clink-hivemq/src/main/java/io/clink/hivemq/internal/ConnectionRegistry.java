package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import io.clink.api.broker.LinkConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/*
 * Every open MQTT connection of one broker, keyed by a connection id clink sees, and the current connection of each
 * client id.
 *
 * Invariants: a connection id is unique among all brokers of the JVM (it keys clink's per-connection state), and is
 * stored in the connection's HiveMQ attribute store so later events of the same connection find their state. A client
 * id maps to its newest connection only; when an older connection of that client id closes, the mapping stays with the
 * newer one (remove-if-equal), so clink can never close or end the session of a connection that replaced the one it
 * meant.
 *
 * One connection, one state: HiveMQ runs a connection's initializer and its connection-start lifecycle event with no
 * order between them (and authentication success may come before either has finished), so every one of them calls
 * findOrRegister; the first creates the state and tags the connection, the others find it, and the CONNECT's facts
 * complete it in place (ConnectionState.connectReceived). The attribute store offers no put-if-absent, so
 * findOrRegister and remove hold one registry-wide lock: a few map operations, twice or three times per connection. A
 * connection whose attribute is set but whose state is gone has closed; a late callback of it gets a detached state
 * that is never stored, so nothing of it stays behind.
 *
 * Threads: findOrRegister runs on HiveMQ's lifecycle and initializer threads, remove on its lifecycle threads;
 * isCurrent and find(connectionId) also on clink's threads (disconnect). HiveMQ runs different clients concurrently,
 * so both maps are concurrent.
 */
/** The open connections of one HiveMQ broker and the current connection of each client id. Thread-safe. */
public final class ConnectionRegistry {

    private static final String CONNECTION_ID_ATTRIBUTE = "io.clink.connection-id";

    private final Set<String> linkListenerNames;
    private final String connectionIdPrefix;
    private final AtomicLong connectionCounter = new AtomicLong();
    private final ConcurrentMap<String, ConnectionState> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> currentConnectionOfClient = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    /**
     * @param linkListenerNames the listeners on which {@code $LINK/...} traffic is accepted, validated by the caller
     */
    public ConnectionRegistry(Set<String> linkListenerNames) {
        this.linkListenerNames = Set.copyOf(Objects.requireNonNull(linkListenerNames, "linkListenerNames"));
        // Connection ids must differ between brokers of one JVM too: they key clink's per-connection state.
        this.connectionIdPrefix = Integer.toHexString(System.identityHashCode(this)) + "-";
    }

    /**
     * The state of the connection HiveMQ describes; if it has none yet, registers it (CONNECT facts unknown), makes it
     * its client id's current connection and tags it with its connection id.
     *
     * @return the connection's one state; detached (never stored, already marked disconnected) if it has closed
     */
    public ConnectionState findOrRegister(ConnectionInformation info, String clientId) {
        synchronized (lock) {
            Optional<String> known = connectionId(info);
            if (known.isPresent()) {
                ConnectionState state = connections.get(known.get());
                if (state != null) {
                    return state;
                }
                ConnectionState closed = newState(known.get(), info, clientId);
                closed.markDisconnected();
                return closed;
            }
            String id = connectionIdPrefix + connectionCounter.incrementAndGet();
            ConnectionState state = newState(id, info, clientId);
            connections.put(id, state);
            currentConnectionOfClient.put(clientId, id);
            info.getConnectionAttributeStore().putAsString(CONNECTION_ID_ATTRIBUTE, id);
            return state;
        }
    }

    private ConnectionState newState(String id, ConnectionInformation info, String clientId) {
        String listener = info.getListener().map(Listener::getName).orElse(null);
        String peer = info.getInetAddress().map(a -> a.getHostAddress()).orElse(null);
        return new ConnectionState(
                new LinkConnection(id, clientId, null, peer, listener),
                listener != null && linkListenerNames.contains(listener));
    }

    /** The state of the connection with this id, or null if unknown or closed. */
    public @Nullable ConnectionState find(String connectionId) {
        return connections.get(connectionId);
    }

    /**
     * Forgets a closed connection, and releases its client id if it was still that id's current connection.
     *
     * @return what was removed, or null if the connection was unknown
     */
    public @Nullable Removed remove(ConnectionInformation info, String clientId) {
        synchronized (lock) {
            ConnectionState state = connectionId(info).map(connections::remove).orElse(null);
            if (state == null) {
                return null;
            }
            boolean wasCurrent =
                    currentConnectionOfClient.remove(clientId, state.link().connectionId());
            return new Removed(state, wasCurrent);
        }
    }

    /** Whether the connection is still its client id's newest one (a reconnect replaces it). */
    public boolean isCurrent(LinkConnection connection) {
        return connection.connectionId().equals(currentConnectionOfClient.get(connection.clientId()));
    }

    private static Optional<String> connectionId(ConnectionInformation info) {
        return info.getConnectionAttributeStore().getAsString(CONNECTION_ID_ATTRIBUTE);
    }

    /**
     * A closed connection's state.
     *
     * @param state the connection's state
     * @param wasCurrent whether it was still its client id's current connection, i.e. no newer one took the session
     */
    public record Removed(ConnectionState state, boolean wasCurrent) {}
}
