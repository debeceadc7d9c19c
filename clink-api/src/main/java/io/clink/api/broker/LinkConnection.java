package io.clink.api.broker;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Identifies one client connection on this broker that publishes to {@code $LINK/...}: a remote cluster's route
 * actor or forwarding client. The broker adapter creates it and passes it to {@link ClusterLinkHooks#onLinkPublish}
 * and {@link ClusterLinkHooks#onConnectionClosed}; clink passes it back to {@link LocalBroker#reply} and {@link
 * LocalBroker#disconnect}.
 *
 * <p>clink keeps the handshake state of a remote actor per connection (protocol document section 2.3) and uses this
 * value as the key, so the adapter must pass <em>equal</em> values for every call about the same connection, and a
 * new {@code connectionId} when the same client id connects again (session takeover, reconnect). Two values are
 * equal when all fields are equal.
 *
 * @param connectionId an id the adapter assigns, unique among this broker's connections for the life of the
 *     process (for example a counter or the channel id); not empty
 * @param clientId the connection's MQTT client id, not empty
 * @param username the user name it authenticated with, or null if none
 * @param peerHost the peer's IP address or host name, or null if unknown
 * @param listener the name of the listener it connected to (for example {@code clink}), or null if the broker has
 *     no named listeners
 * @since 0.1.0
 */
public record LinkConnection(
        String connectionId,
        String clientId,
        @Nullable String username,
        @Nullable String peerHost,
        @Nullable String listener) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if {@code connectionId} or {@code clientId} is null
     * @throws IllegalArgumentException if {@code connectionId} or {@code clientId} is empty
     */
    public LinkConnection {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(clientId, "clientId");
        if (connectionId.isEmpty()) {
            throw new IllegalArgumentException("connectionId must not be empty");
        }
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty (connection " + connectionId + ")");
        }
    }

    /**
     * A connection known only by its id and client id.
     *
     * @param connectionId the adapter's connection id
     * @param clientId the MQTT client id
     * @return the handle
     * @since 0.1.0
     */
    public static LinkConnection of(String connectionId, String clientId) {
        return new LinkConnection(connectionId, clientId, null, null, null);
    }

    /**
     * The user name, as an optional.
     *
     * @return the user name, or empty
     * @since 0.1.0
     */
    public Optional<String> usernameIfAny() {
        return Optional.ofNullable(username);
    }

    /**
     * The listener name, as an optional.
     *
     * @return the listener name, or empty
     * @since 0.1.0
     */
    public Optional<String> listenerIfAny() {
        return Optional.ofNullable(listener);
    }
}
