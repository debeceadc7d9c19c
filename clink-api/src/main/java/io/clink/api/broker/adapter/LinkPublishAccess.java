package io.clink.api.broker.adapter;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who may publish to {@code $LINK/...} topics on one client connection, and what the adapter does with such a
 * publish: one instance per connection, created when the adapter learns which listener the connection arrived on.
 *
 * <p>The rules, the same on every broker: only a connection on a link listener may publish to {@code $LINK/...}; a
 * connection {@link #restrictTo restricted} to a cluster (an authenticated link user) may publish only to that
 * cluster's {@code $LINK/cluster/route/<cluster>} and {@code $LINK/cluster/msg/<cluster>}, and is closed when it
 * publishes anywhere else under {@code $LINK/}, as clink closes a peer that breaks the protocol; once clink or the
 * adapter has started closing a connection, its further link publishes are refused instead of passed on.
 *
 * <p>Thread-safe: the flags are volatile, so the broker thread of the connection and clink's threads ({@link
 * #markDisconnected}, {@link #isDisconnected}) may call it concurrently. {@link #check} reads and then marks, which
 * is enough because a broker handles one client's publishes one at a time.
 *
 * @since 0.1.0
 */
public final class LinkPublishAccess {

    private static final String ROUTE_TOPIC_PREFIX = "$LINK/cluster/route/";
    private static final String MSG_TOPIC_PREFIX = "$LINK/cluster/msg/";

    /**
     * What the adapter does with a {@code $LINK/...} publish, decided by {@link #check}.
     *
     * @since 0.1.0
     */
    public enum Verdict {
        /** Pass it to clink ({@link io.clink.api.broker.ClusterLinkHooks#onLinkPublish}). */
        ACCEPT,
        /**
         * Not on a link listener: refuse the publish (0x87 where the protocol version has a code); the client is an
         * ordinary one, keep it connected.
         */
        REFUSE_NOT_LINK_LISTENER,
        /**
         * A restricted connection publishing for a cluster other than its own, or to a topic no client may publish
         * to: refuse it (0x87) and close the connection (DISCONNECT 0x87). The connection is already marked
         * disconnected, so publishes racing with the close are refused too.
         */
        DISCONNECT_NOT_AUTHORIZED,
        /** The connection is already being closed: refuse the publish, nothing else. */
        REFUSE_CLOSING
    }

    private final boolean onLinkListener;
    private volatile @Nullable String allowedCluster;
    private volatile boolean linkUsed;
    private volatile boolean disconnected;

    /**
     * Creates the access of a new connection: unrestricted, not disconnected, not yet used for a link publish.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @param onLinkListener whether the connection arrived on a link listener (only then may it use {@code $LINK/})
     * @since 0.1.0
     */
    public LinkPublishAccess(boolean onLinkListener) {
        this.onLinkListener = onLinkListener;
    }

    /**
     * Whether the connection arrived on a link listener.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @return the value given at creation
     * @since 0.1.0
     */
    public boolean onLinkListener() {
        return onLinkListener;
    }

    /**
     * Limits the connection's {@code $LINK/...} publishes to one remote cluster's route and message topics, or lifts
     * the limit. Adapters call it when a link user has authenticated.
     *
     * <p>Thread: any; the connection's next {@link #check} sees it. Blocking: never. Exceptions: none.
     *
     * @param cluster the one cluster the connection speaks for, or null for no limit
     * @since 0.1.0
     */
    public void restrictTo(@Nullable String cluster) {
        allowedCluster = cluster;
    }

    /**
     * Whether the connection may publish to {@code topic}: always, unless {@linkplain #restrictTo restricted}, and
     * then only to its cluster's route and message topics, exactly (no deeper levels). Does not look at the listener
     * or at {@link #isDisconnected()}; {@link #check} does.
     *
     * <p>Thread: any. Blocking: never.
     *
     * @param topic a topic name, not null
     * @return whether the topic is allowed
     * @throws NullPointerException if {@code topic} is null
     * @since 0.1.0
     */
    public boolean mayPublish(String topic) {
        Objects.requireNonNull(topic, "topic");
        String cluster = allowedCluster;
        return cluster == null
                || topic.equals(ROUTE_TOPIC_PREFIX + cluster)
                || topic.equals(MSG_TOPIC_PREFIX + cluster);
    }

    /**
     * Decides about a publish to {@code topic}, a {@code $LINK/...} topic, and marks the connection disconnected when
     * the verdict is {@link Verdict#DISCONNECT_NOT_AUTHORIZED} (the caller then closes it).
     *
     * <p>Thread: the connection's broker thread (one publish at a time per connection). Blocking: never.
     *
     * @param topic the publish's topic, not null
     * @return the verdict, not null
     * @throws NullPointerException if {@code topic} is null, with nothing changed
     * @since 0.1.0
     */
    public Verdict check(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (!onLinkListener) {
            return Verdict.REFUSE_NOT_LINK_LISTENER;
        }
        if (disconnected) {
            return Verdict.REFUSE_CLOSING;
        }
        if (!mayPublish(topic)) {
            disconnected = true;
            return Verdict.DISCONNECT_NOT_AUTHORIZED;
        }
        return Verdict.ACCEPT;
    }

    /**
     * Notes that the connection has passed a {@code $LINK/...} publish to clink, so clink wants to hear of its close
     * ({@link io.clink.api.broker.ClusterLinkHooks#onConnectionClosed}).
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @since 0.1.0
     */
    public void markLinkUsed() {
        linkUsed = true;
    }

    /**
     * Whether {@link #markLinkUsed()} was called.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @return whether clink must be told of the connection's close
     * @since 0.1.0
     */
    public boolean linkUsed() {
        return linkUsed;
    }

    /**
     * Notes that the connection is being closed (clink asked for it, or a {@link Verdict#DISCONNECT_NOT_AUTHORIZED});
     * its further link publishes are refused.
     *
     * <p>Thread: any, typically one of clink's. Blocking: never. Exceptions: none.
     *
     * @since 0.1.0
     */
    public void markDisconnected() {
        disconnected = true;
    }

    /**
     * Whether the connection is being closed.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @return whether {@link #markDisconnected()} was called or a check decided to disconnect
     * @since 0.1.0
     */
    public boolean isDisconnected() {
        return disconnected;
    }
}
