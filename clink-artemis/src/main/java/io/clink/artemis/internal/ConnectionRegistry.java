package io.clink.artemis.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/*
 * Every open MQTT connection of one Artemis server that the adapter has seen CONNECT on, and the current connection of
 * each client id.
 *
 * Invariants: a connection id is unique among all brokers of the JVM (it keys clink's per-connection state). A client
 * id maps to its newest connection only, claimed when its CONNECT is read: Artemis steals the link of an older
 * connection with the same client id while it handles the new CONNECT, so the old connection's close must already
 * find itself replaced and must not end the session the new one takes over. Removal is remove-if-equal.
 *
 * Threads: claim and remove run on the connection's Netty event loop; find and isCurrent also on clink's threads.
 * Different connections use different event loops, so both maps are concurrent.
 */
/** The open connections of one Artemis server and the current connection of each client id. Thread-safe. */
public final class ConnectionRegistry {

    private final String connectionIdPrefix;
    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentMap<String, ConnectionState> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> currentConnectionOfClient = new ConcurrentHashMap<>();

    public ConnectionRegistry() {
        // Two brokers in one JVM must never hand out the same id: it keys clink's per-connection state.
        this.connectionIdPrefix = "artemis-" + Integer.toHexString(System.identityHashCode(this)) + "-";
    }

    /** A fresh connection id. */
    public String newConnectionId() {
        return connectionIdPrefix + counter.incrementAndGet();
    }

    /**
     * Adds an open connection whose client id is known and makes it that client id's current connection.
     *
     * @return the id of the connection it replaced as current, or null
     */
    public @Nullable String claim(ConnectionState state) {
        connections.put(state.connectionId(), state);
        return currentConnectionOfClient.put(state.clientId(), state.connectionId());
    }

    /**
     * Forgets a connection Artemis refused at CONNACK and gives the client id back to the connection it had claimed it
     * from, if that one is still open (a refused CONNECT takes no session over).
     */
    public void refuse(ConnectionState state, @Nullable String previousConnectionId) {
        connections.remove(state.connectionId(), state);
        if (currentConnectionOfClient.remove(state.clientId(), state.connectionId())
                && previousConnectionId != null
                && connections.containsKey(previousConnectionId)) {
            currentConnectionOfClient.putIfAbsent(state.clientId(), previousConnectionId);
        }
    }

    /** The open connection with this id, or null if unknown or closed. */
    public @Nullable ConnectionState find(String connectionId) {
        return connections.get(connectionId);
    }

    /**
     * Forgets a closed or refused connection.
     *
     * @return whether it was still its client id's current connection (no newer one took the session)
     */
    public boolean remove(ConnectionState state) {
        connections.remove(state.connectionId(), state);
        return currentConnectionOfClient.remove(state.clientId(), state.connectionId());
    }

    /** Whether the connection is still its client id's newest one. */
    public boolean isCurrent(ConnectionState state) {
        return state.connectionId().equals(currentConnectionOfClient.get(state.clientId()));
    }

    /** How many connections are open (for tests and metrics). */
    public int size() {
        return connections.size();
    }
}
