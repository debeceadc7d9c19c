package io.clink.api.link;

import java.util.Objects;

/**
 * One route a remote cluster replicated into this cluster: a publish whose topic matches {@code filter} is forwarded
 * to that cluster. {@code routeId} names the remote's local route that produced it (its subscription filter,
 * {@code $s/<group>/<filter>} for a shared subscription, {@code $p/<client-id>/<filter>} or
 * {@code $sp/<group>/<client-id>/<filter>} for a durable session); two routes with one filter and different ids are
 * distinct.
 *
 * <p>On the wire a route id is opaque bytes: EMQX does not check that the client ids inside durable-session ids are
 * UTF-8, and clink keys, reference-counts and deletes ids by their exact bytes. Here the id is shown as text: each
 * well-formed UTF-8 sequence as its character, a backslash as {@code \\}, and every byte that is not part of
 * well-formed UTF-8 as {@code \x} followed by two upper-case hex digits (so the client id {@code 0x63 0x61 0x66
 * 0xE9}, "caf\u00e9" in Latin-1, shows as {@code caf\xE9}). The form is unambiguous: a backslash in it always
 * starts {@code \\} or {@code \xNN}. Ids that are valid UTF-8 without a backslash, which is all of them in
 * practice, show unchanged.
 *
 * @param filter the replicated topic filter (the intersection of the remote subscription with its link topics)
 * @param routeId the remote's route identity, escaped as described above
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
