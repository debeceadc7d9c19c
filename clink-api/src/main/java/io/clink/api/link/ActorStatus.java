package io.clink.api.link;

import io.clink.api.transport.DisconnectReason;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one route-replication actor of a link: its state, since when, and why it last failed.
 *
 * @param actorName the actor's name as sent on the wire (for example {@code clink@host-a}), not empty
 * @param incarnation the actor's current incarnation (wall-clock milliseconds when it started)
 * @param state the current state
 * @param sinceMillis wall-clock milliseconds (Unix epoch) when the actor entered {@code state}
 * @param lastDisconnect why the actor's connection last went down, or null if it never did
 * @param lastError the last error that is not a disconnect (for example {@code handshake_rejected:
 *     unknown_cluster} or {@code handshake_timeout}), or null if none
 * @param endpoint the endpoint of the link's {@code server} list the actor is connected to, canonical {@code
 *     [mqtts://]host:port}, or null while it is not {@link ActorState#ONLINE} (since 0.2.0)
 * @since 0.1.0
 */
public record ActorStatus(
        String actorName,
        long incarnation,
        ActorState state,
        long sinceMillis,
        @Nullable DisconnectReason lastDisconnect,
        @Nullable String lastError,
        @Nullable String endpoint) {

    /**
     * A status without an endpoint, as before 0.2.0.
     *
     * @throws NullPointerException if {@code actorName} or {@code state} is null
     * @throws IllegalArgumentException if the actor name is empty or {@code sinceMillis} is negative
     */
    public ActorStatus(
            String actorName,
            long incarnation,
            ActorState state,
            long sinceMillis,
            @Nullable DisconnectReason lastDisconnect,
            @Nullable String lastError) {
        this(actorName, incarnation, state, sinceMillis, lastDisconnect, lastError, null);
    }

    /**
     * This status with the given endpoint in use. Thread: any.
     *
     * @param endpoint the endpoint, or null for none
     * @return a copy
     * @since 0.2.0
     */
    public ActorStatus withEndpoint(@Nullable String endpoint) {
        return new ActorStatus(actorName, incarnation, state, sinceMillis, lastDisconnect, lastError, endpoint);
    }

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if {@code actorName} or {@code state} is null
     * @throws IllegalArgumentException if the actor name is empty or {@code sinceMillis} is negative
     */
    public ActorStatus {
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(state, "state");
        if (actorName.isEmpty()) {
            throw new IllegalArgumentException("actorName must not be empty");
        }
        if (sinceMillis < 0) {
            throw new IllegalArgumentException("sinceMillis must not be negative: " + sinceMillis);
        }
    }

    /**
     * The last disconnect reason, as an optional.
     *
     * @return the reason, or empty if the connection never went down
     * @since 0.1.0
     */
    public Optional<DisconnectReason> lastDisconnectReason() {
        return Optional.ofNullable(lastDisconnect);
    }

    /**
     * The last non-disconnect error, as an optional.
     *
     * @return the error, or empty if none
     * @since 0.1.0
     */
    public Optional<String> lastErrorMessage() {
        return Optional.ofNullable(lastError);
    }

    /**
     * The endpoint in use, as an optional.
     *
     * @return the endpoint, or empty while not connected
     * @since 0.2.0
     */
    public Optional<String> endpointInUse() {
        return Optional.ofNullable(endpoint);
    }
}
