package io.clink.hivemq.internal;

import io.clink.api.broker.LinkConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the adapter remembers about one MQTT connection, from CONNECT to its close.
 *
 * <p>Concurrency: created on the connection's first lifecycle event; afterwards read and written by that client's
 * interceptors and lifecycle events, which HiveMQ runs one at a time per client, and read by clink threads ({@link
 * #markDisconnected}, {@link #isDisconnected}). The flags are volatile; the pending-subscribe map is concurrent.
 */
public final class ConnectionState {

    private final LinkConnection link;
    private final boolean onLinkListener;
    private final boolean cleanStart;
    private final boolean sessionEndsOnClose;
    private final Map<Integer, List<String>> pendingSubscribes = new ConcurrentHashMap<>();
    private volatile @Nullable String allowedCluster;
    private volatile boolean linkUsed;
    private volatile boolean disconnected;

    /**
     * @param link the handle clink sees for this connection
     * @param onLinkListener whether it arrived on the link listener (only then may it use {@code $LINK/...})
     * @param cleanStart the CONNECT's clean-start flag: an earlier session of the client id is discarded
     * @param sessionEndsOnClose session expiry 0: the session and its subscriptions end with the connection
     */
    public ConnectionState(
            LinkConnection link, boolean onLinkListener, boolean cleanStart, boolean sessionEndsOnClose) {
        this.link = link;
        this.onLinkListener = onLinkListener;
        this.cleanStart = cleanStart;
        this.sessionEndsOnClose = sessionEndsOnClose;
    }

    public LinkConnection link() {
        return link;
    }

    public String clientId() {
        return link.clientId();
    }

    public boolean onLinkListener() {
        return onLinkListener;
    }

    public boolean cleanStart() {
        return cleanStart;
    }

    public boolean sessionEndsOnClose() {
        return sessionEndsOnClose;
    }

    /**
     * Limits the connection's {@code $LINK/...} publishes to one remote cluster's route and message topics (set for
     * authenticated link users).
     */
    public void restrictTo(@Nullable String cluster) {
        allowedCluster = cluster;
    }

    /** Whether the connection may publish to a {@code $LINK/...} topic: always, unless restricted to a cluster. */
    public boolean mayPublishLinkTopic(String topic) {
        String cluster = allowedCluster;
        return cluster == null
                || topic.equals("$LINK/cluster/route/" + cluster)
                || topic.equals("$LINK/cluster/msg/" + cluster);
    }

    /** What the adapter does with a {@code $LINK/...} publish, decided by {@link #checkLinkPublish}. */
    public enum LinkPublishVerdict {
        /** Pass it to clink. */
        ACCEPT,
        /** Not on the link listener: refuse the publish (PUBACK 0x87); the client is an ordinary one, keep it. */
        REFUSE_NOT_LINK_LISTENER,
        /**
         * A link user publishing for a cluster other than its own, or to a topic no client may publish to: refuse it
         * (PUBACK 0x87) and close the connection with DISCONNECT 0x87, as clink closes a peer that breaks the
         * protocol. The connection is marked disconnected, so publishes racing with the close are refused too.
         */
        DISCONNECT_NOT_AUTHORIZED,
        /** Already being closed: refuse it, nothing else. */
        REFUSE_CLOSING
    }

    /**
     * Decides about a publish to {@code topic}, a {@code $LINK/...} topic. Marks the connection disconnected when
     * the verdict is {@link LinkPublishVerdict#DISCONNECT_NOT_AUTHORIZED}.
     *
     * @param topic the publish's topic, under {@code $LINK/}
     * @return the verdict
     */
    public LinkPublishVerdict checkLinkPublish(String topic) {
        if (!onLinkListener) {
            return LinkPublishVerdict.REFUSE_NOT_LINK_LISTENER;
        }
        if (disconnected) {
            return LinkPublishVerdict.REFUSE_CLOSING;
        }
        if (!mayPublishLinkTopic(topic)) {
            disconnected = true;
            return LinkPublishVerdict.DISCONNECT_NOT_AUTHORIZED;
        }
        return LinkPublishVerdict.ACCEPT;
    }

    /** Remembers a SUBSCRIBE until its SUBACK says which filters were granted. */
    public void subscribeSent(int packetId, List<String> filters) {
        pendingSubscribes.put(packetId, List.copyOf(filters));
    }

    /** The filters of the SUBSCRIBE a SUBACK answers, in order; empty if unknown. */
    public List<String> subackSent(int packetId) {
        List<String> filters = pendingSubscribes.remove(packetId);
        return filters == null ? List.of() : filters;
    }

    /** The connection has passed a {@code $LINK/...} publish to clink, so clink wants to hear of its close. */
    public void markLinkUsed() {
        linkUsed = true;
    }

    public boolean linkUsed() {
        return linkUsed;
    }

    /** clink asked to disconnect it: its further publishes are refused instead of passed on. */
    public void markDisconnected() {
        disconnected = true;
    }

    public boolean isDisconnected() {
        return disconnected;
    }
}
