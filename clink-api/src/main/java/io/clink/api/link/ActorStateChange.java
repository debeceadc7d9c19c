package io.clink.api.link;

import io.clink.api.transport.DisconnectReason;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One state change of a route-replication actor, as delivered to a {@link ActorStateListener}.
 *
 * @param linkName the link's name
 * @param actorName the actor's name
 * @param from the state before; always allowed to move to {@code to} ({@link ActorState#canTransitionTo})
 * @param to the state after
 * @param atMillis wall-clock milliseconds of the change
 * @param reason the disconnect that caused the change (when {@code to} is {@link ActorState#DISCONNECTED}
 *     because a connection went down), or null
 * @param error a short description of a non-disconnect failure that caused the change (for example {@code
 *     handshake_timeout}), or null
 * @since 0.1.0
 */
public record ActorStateChange(
        String linkName,
        String actorName,
        ActorState from,
        ActorState to,
        long atMillis,
        @Nullable DisconnectReason reason,
        @Nullable String error) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if a non-nullable field is null
     * @throws IllegalStateTransitionException if {@code from} may not move to {@code to}
     * @throws IllegalArgumentException if {@code atMillis} is negative
     */
    public ActorStateChange {
        Objects.requireNonNull(linkName, "linkName");
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        from.transitionTo(to);
        if (atMillis < 0) {
            throw new IllegalArgumentException("atMillis must not be negative: " + atMillis);
        }
    }

    /**
     * The disconnect reason, as an optional.
     *
     * @return the reason, or empty
     * @since 0.1.0
     */
    public Optional<DisconnectReason> disconnectReason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The error description, as an optional.
     *
     * @return the error, or empty
     * @since 0.1.0
     */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(error);
    }
}
