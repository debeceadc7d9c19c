package io.clink.hivemq.internal;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.adapter.LinkPublishAccess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the adapter remembers about one MQTT connection, from CONNECT to its close.
 *
 * <p>Concurrency: created on the connection's first lifecycle event; afterwards read and written by that client's
 * interceptors and lifecycle events, which HiveMQ runs one at a time per client, and read by clink threads ({@link
 * #markDisconnected}, {@link #isDisconnected}). The link-publish flags live in a thread-safe {@link LinkPublishAccess};
 * the pending-subscribe map is concurrent.
 */
public final class ConnectionState {

    private final LinkConnection link;
    private final LinkPublishAccess linkAccess;
    private final boolean cleanStart;
    private final boolean sessionEndsOnClose;
    private final Map<Integer, List<String>> pendingSubscribes = new ConcurrentHashMap<>();

    /**
     * @param link the handle clink sees for this connection
     * @param onLinkListener whether it arrived on the link listener (only then may it use {@code $LINK/...})
     * @param cleanStart the CONNECT's clean-start flag: an earlier session of the client id is discarded
     * @param sessionEndsOnClose session expiry 0: the session and its subscriptions end with the connection
     */
    public ConnectionState(
            LinkConnection link, boolean onLinkListener, boolean cleanStart, boolean sessionEndsOnClose) {
        this.link = link;
        this.linkAccess = new LinkPublishAccess(onLinkListener);
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
        return linkAccess.onLinkListener();
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
        linkAccess.restrictTo(cluster);
    }

    /**
     * Decides about a publish to {@code topic}, a {@code $LINK/...} topic (see {@link LinkPublishAccess#check}).
     *
     * @param topic the publish's topic, under {@code $LINK/}
     * @return the verdict
     */
    public LinkPublishAccess.Verdict checkLinkPublish(String topic) {
        return linkAccess.check(topic);
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
        linkAccess.markLinkUsed();
    }

    public boolean linkUsed() {
        return linkAccess.linkUsed();
    }

    /** clink asked to disconnect it: its further publishes are refused instead of passed on. */
    public void markDisconnected() {
        linkAccess.markDisconnected();
    }

    public boolean isDisconnected() {
        return linkAccess.isDisconnected();
    }
}
