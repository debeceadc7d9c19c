package io.clink.core.internal.connection;

import io.clink.api.config.ServerAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which endpoint of a link's {@code server} list the next connect attempt of one connection uses. Every failed
 * attempt, and every loss of an established connection, moves on to the next endpoint, wrapping around; the
 * reconnect backoff itself stays with {@link ReconnectingConnection}. With one endpoint it always answers that one.
 *
 * <p>Not thread-safe: used from the owning connection's serial executor only.
 */
public final class EndpointRotation {

    private final List<ServerAddress> endpoints;
    private int next;
    private @Nullable ServerAddress inUse;

    public EndpointRotation(List<ServerAddress> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints must not be empty");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoint for the next attempt; advances the rotation so a failure of this attempt tries another one. */
    public ServerAddress nextAttempt() {
        ServerAddress a = endpoints.get(next);
        next = (next + 1) % endpoints.size();
        inUse = null;
        return a;
    }

    /** Records that the attempt on {@code endpoint} succeeded; it is the endpoint in use until {@link #lost()}. */
    public void connected(ServerAddress endpoint) {
        inUse = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Records the loss of the established connection. */
    public void lost() {
        inUse = null;
    }

    /** The endpoint of the established connection, or null while not connected. */
    public @Nullable ServerAddress inUse() {
        return inUse;
    }
}
