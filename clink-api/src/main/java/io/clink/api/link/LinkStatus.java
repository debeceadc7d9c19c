package io.clink.api.link;

import io.clink.api.transport.DisconnectReason;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one link on this node: whether it is enabled, each route-replication actor's state, and
 * the forwarding pool's status.
 *
 * @param linkName the link's name (the remote cluster's name)
 * @param enabled whether the link is enabled in the configuration
 * @param actors the link's route-replication actors on this node (one today; the multi-node design may add more),
 *     empty when the link is disabled; copied into an immutable list
 * @param forwarding the forwarding pool's status as EMQX reports it ({@link ForwardingStatus#DISCONNECTED} when
 *     disabled)
 * @param forwardingLastDisconnect why a forwarding connection last went down, or null if none did
 * @param sinceMillis wall-clock milliseconds when {@code forwarding} last changed
 * @param forwardingEndpoints the distinct endpoints of the link's {@code server} list that the forwarding pool's
 *     connected connections use, canonical {@code [mqtts://]host:port}, in configuration order; empty while none is
 *     connected (since 0.2.0); copied into an immutable list
 * @since 0.1.0
 */
public record LinkStatus(
        String linkName,
        boolean enabled,
        List<ActorStatus> actors,
        ForwardingStatus forwarding,
        @Nullable DisconnectReason forwardingLastDisconnect,
        long sinceMillis,
        List<String> forwardingEndpoints) {

    /**
     * A status without forwarding endpoints, as before 0.2.0.
     *
     * @throws NullPointerException if a non-nullable field or an actor is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public LinkStatus(
            String linkName,
            boolean enabled,
            List<ActorStatus> actors,
            ForwardingStatus forwarding,
            @Nullable DisconnectReason forwardingLastDisconnect,
            long sinceMillis) {
        this(linkName, enabled, actors, forwarding, forwardingLastDisconnect, sinceMillis, List.of());
    }

    /**
     * Validates and copies the fields.
     *
     * @throws NullPointerException if a non-nullable field or an actor is null
     * @throws IllegalArgumentException if the link name is empty, {@code sinceMillis} is negative, or a disabled
     *     link has actors or a forwarding status other than disconnected
     */
    public LinkStatus {
        Objects.requireNonNull(linkName, "linkName");
        actors = List.copyOf(Objects.requireNonNull(actors, "actors"));
        Objects.requireNonNull(forwarding, "forwarding");
        forwardingEndpoints = List.copyOf(Objects.requireNonNull(forwardingEndpoints, "forwardingEndpoints"));
        if (linkName.isEmpty()) {
            throw new IllegalArgumentException("linkName must not be empty");
        }
        if (sinceMillis < 0) {
            throw new IllegalArgumentException("sinceMillis must not be negative: " + sinceMillis);
        }
        if (!enabled && (!actors.isEmpty() || forwarding != ForwardingStatus.DISCONNECTED)) {
            throw new IllegalArgumentException("a disabled link has no actors and is disconnected: link " + linkName
                    + ", actors " + actors + ", forwarding " + forwarding);
        }
    }

    /**
     * The status of a disabled link.
     *
     * @param linkName the link's name
     * @param sinceMillis wall-clock milliseconds when it was disabled
     * @return a status with no actors and a disconnected forwarding pool
     * @since 0.1.0
     */
    public static LinkStatus disabled(String linkName, long sinceMillis) {
        return new LinkStatus(linkName, false, List.of(), ForwardingStatus.DISCONNECTED, null, sinceMillis);
    }

    /**
     * The forwarding pool's last disconnect reason, as an optional.
     *
     * @return the reason, or empty
     * @since 0.1.0
     */
    public Optional<DisconnectReason> forwardingLastDisconnectReason() {
        return Optional.ofNullable(forwardingLastDisconnect);
    }

    /**
     * Whether every actor is {@link ActorState#ONLINE} and the forwarding pool is {@link ForwardingStatus#CONNECTED}:
     * routes flow both ways and messages can be forwarded.
     *
     * @return {@code true} when the link is fully up on this node
     * @since 0.1.0
     */
    public boolean isHealthy() {
        return enabled
                && forwarding == ForwardingStatus.CONNECTED
                && !actors.isEmpty()
                && actors.stream().allMatch(a -> a.state() == ActorState.ONLINE);
    }
}
