package io.clink.api.link;

import java.util.Objects;

/**
 * One route a remote cluster replicated into this cluster: a publish whose topic matches {@code filter} is forwarded
 * to that cluster. {@code routeId} names the remote's local route that produced it (its subscription filter, or
 * {@code $s/<group>/<filter>} for a shared subscription); two routes with one filter and different ids are distinct.
 *
 * @param filter the replicated topic filter (the intersection of the remote subscription with its link topics)
 * @param routeId the remote's route identity
 * @since 0.1.0
 */
public record RemoteRoute(String filter, String routeId) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public RemoteRoute {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(routeId, "routeId");
    }
}
