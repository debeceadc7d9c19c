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
 * Threads: register runs on HiveMQ's lifecycle thread (connection start) or, if the initializer comes first, on its
 * initializer thread; find runs on HiveMQ's lifecycle and interceptor threads; isCurrent and find(connectionId) also
 * on clink's threads (disconnect). HiveMQ runs one client's events one at a time, different clients concurrently, so
 * both maps are concurrent.
 */
/** The open connections of one HiveMQ broker and the current connection of each client id. Thread-safe. */
public final class ConnectionRegistry {

    private static final String CONNECTION_ID_ATTRIBUTE = "io.clink.connection-id";

    private final Set<String> linkListenerNames;
    private final String connectionIdPrefix;
    private final AtomicLong connectionCounter = new AtomicLong();
    private final ConcurrentMap<String, ConnectionState> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> currentConnectionOfClient = new ConcurrentHashMap<>();

    /**
     * @param linkListenerNames the listeners on which {@code $LINK/...} traffic is accepted, validated by the caller
     */
    public ConnectionRegistry(Set<String> linkListenerNames) {
        this.linkListenerNames = Set.copyOf(Objects.requireNonNull(linkListenerNames, "linkListenerNames"));
        // Connection ids must differ between brokers of one JVM too: they key clink's per-connection state.
        this.connectionIdPrefix = Integer.toHexString(System.identityHashCode(this)) + "-";
    }

    /** Registers a new connection, makes it its client id's current one and tags it with its connection id. */
    public ConnectionState register(
            ConnectionInformation info,
            String clientId,
            @Nullable String username,
            boolean cleanStart,
            boolean sessionEndsOnClose) {
        String id = connectionIdPrefix + connectionCounter.incrementAndGet();
        String listener = info.getListener().map(Listener::getName).orElse(null);
        String peer = info.getInetAddress().map(a -> a.getHostAddress()).orElse(null);
        LinkConnection link = new LinkConnection(id, clientId, username, peer, listener);
        ConnectionState state = new ConnectionState(
                link, listener != null && linkListenerNames.contains(listener), cleanStart, sessionEndsOnClose);
        info.getConnectionAttributeStore().putAsString(CONNECTION_ID_ATTRIBUTE, id);
        connections.put(id, state);
        currentConnectionOfClient.put(clientId, id);
        return state;
    }

    /** The state of the connection HiveMQ describes, or null if it was never registered or has closed. */
    public @Nullable ConnectionState find(ConnectionInformation info) {
        return connectionId(info).map(connections::get).orElse(null);
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
        ConnectionState state = connectionId(info).map(connections::remove).orElse(null);
        if (state == null) {
            return null;
        }
        boolean wasCurrent =
                currentConnectionOfClient.remove(clientId, state.link().connectionId());
        return new Removed(state, wasCurrent);
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
