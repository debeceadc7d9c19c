package io.clink.core.internal.node;

import io.clink.api.broker.LinkConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/*
 * The link access rules, decided in the engine from what the adapter reports about a connection (its listener and
 * user name in LinkConnection), so an adapter that forgets a rule cannot open a hole:
 *
 *   - a $LINK publish on a listener that is not a link listener is refused (the adapter should have refused it
 *     already; the client is an ordinary one and stays connected);
 *   - a link user (a user name configured for one remote cluster on one link listener) may publish only to that
 *     cluster's $LINK/cluster/route/<cluster> and $LINK/cluster/msg/<cluster>; anything else under $LINK/ is refused
 *     and the connection closed with 0x87, as clink closes a peer that breaks the protocol.
 *
 * Connections that report no listener (a broker without named listeners) skip the listener rule, and connections
 * without a configured link user are not confined (anonymous link listeners, or a broker that authenticates link
 * connections its own way). Immutable after construction; any thread.
 */
/** Decides whether a connection may publish to a {@code $LINK/...} topic. */
public final class LinkAccess {

    /** What the engine does with a {@code $LINK} publish. */
    public enum Verdict {
        /** Handle it. */
        ACCEPT,
        /** Refuse it (0x87); keep the connection. */
        REFUSE,
        /** Refuse it (0x87) and close the connection. */
        DISCONNECT
    }

    /** A user name allowed on one link listener, for one remote cluster. */
    record LinkUserKey(String listener, String username) {}

    private static final String ROUTE_PREFIX = "$LINK/cluster/route/";
    private static final String MSG_PREFIX = "$LINK/cluster/msg/";

    /** No rules: every listener counts as a link listener, nobody is confined. */
    public static final LinkAccess OPEN = new LinkAccess(Set.of(), Map.of());

    /** A link user's cluster and the only two topics it may publish to, built once, not per publish. */
    private record Confinement(String cluster, String routeTopic, String msgTopic) {
        Confinement(String cluster) {
            this(cluster, ROUTE_PREFIX + cluster, MSG_PREFIX + cluster);
        }
    }

    private final Set<String> linkListeners;
    /** Listener, then user name: two lookups without allocating a key on the publish path. */
    private final Map<String, Map<String, Confinement>> confined;

    private LinkAccess(Set<String> linkListeners, Map<LinkUserKey, String> clusterOfUser) {
        this.linkListeners = Set.copyOf(linkListeners);
        Map<String, Map<String, Confinement>> byListener = new HashMap<>();
        clusterOfUser.forEach((k, cluster) -> byListener
                .computeIfAbsent(k.listener(), l -> new HashMap<>())
                .put(k.username(), new Confinement(cluster)));
        Map<String, Map<String, Confinement>> frozen = new HashMap<>();
        byListener.forEach((l, users) -> frozen.put(l, Map.copyOf(users)));
        this.confined = Map.copyOf(frozen);
    }

    /**
     * @param linkListeners the broker's link listener names; empty if the broker does not name them
     * @param clusterOfUser each link user's cluster, by listener and user name
     */
    public static LinkAccess of(Set<String> linkListeners, Map<LinkUserKey, String> clusterOfUser) {
        return new LinkAccess(linkListeners, clusterOfUser);
    }

    /** Collects link users, refusing one user name given two clusters on one listener. */
    public static final class Users {
        private final Map<LinkUserKey, String> users = new HashMap<>();

        /**
         * @throws IllegalArgumentException if the user already speaks for another cluster on that listener
         */
        public void add(String listener, String username, String cluster) {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(cluster, "cluster");
            if (listener.isEmpty() || username.isEmpty() || cluster.isEmpty()) {
                throw new IllegalArgumentException("a link user needs a listener, a user name and a cluster: listener '"
                        + listener + "', username '" + username + "', cluster '" + cluster + "'");
            }
            String before = users.putIfAbsent(new LinkUserKey(listener, username), cluster);
            if (before != null && !before.equals(cluster)) {
                throw new IllegalArgumentException("link user " + username + " on listener " + listener
                        + " is given two clusters: " + before + " and " + cluster);
            }
        }

        /** The rules with these users. */
        public LinkAccess build(Set<String> linkListeners) {
            return of(linkListeners, users);
        }
    }

    /** The confinement of a connection's link user, or null if it is not a configured link user. */
    private @Nullable Confinement confinementOf(LinkConnection c) {
        String listener = c.listener();
        String username = c.username();
        if (listener == null || username == null) {
            return null;
        }
        Map<String, Confinement> users = confined.get(listener);
        return users == null ? null : users.get(username);
    }

    /** The cluster a connection's link user speaks for, or null if it is not a configured link user. */
    @Nullable
    String clusterOf(LinkConnection c) {
        Confinement k = confinementOf(c);
        return k == null ? null : k.cluster();
    }

    /**
     * The verdict on a {@code $LINK/...} publish.
     *
     * @param c the connection, as the adapter reported it
     * @param topic the topic, under {@code $LINK/}
     */
    public Verdict check(LinkConnection c, String topic) {
        String listener = c.listener();
        if (listener != null && !linkListeners.isEmpty() && !linkListeners.contains(listener)) {
            return Verdict.REFUSE;
        }
        Confinement k = confinementOf(c);
        if (k != null && !topic.equals(k.routeTopic()) && !topic.equals(k.msgTopic())) {
            return Verdict.DISCONNECT;
        }
        return Verdict.ACCEPT;
    }

    /** Why {@link #check} closed the connection, for the DISCONNECT's reason string and the log. */
    String disconnectReason(LinkConnection c, String topic) {
        return "link user " + c.username() + " speaks only for cluster " + clusterOf(c) + " and may not publish to "
                + topic;
    }
}
