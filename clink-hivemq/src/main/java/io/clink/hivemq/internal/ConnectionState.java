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
 * <p>Concurrency: created by whichever of the connection's first callbacks runs first (HiveMQ runs its initializer and
 * its connection-start lifecycle event with no order between them); the CONNECT's facts (user name, clean start,
 * session expiry) arrive with the lifecycle event, so until then the state is incomplete and says so. Afterwards read
 * and written by that client's interceptors and lifecycle events, and read by clink threads ({@link
 * #markDisconnected}, {@link #isDisconnected}, {@link #link}). The handle and flags are volatile (the link-publish
 * flags live in a thread-safe {@link LinkPublishAccess}); the steps that
 * depend on one another (CONNECT facts arriving, authentication, the handle being given to clink) are synchronized on
 * the state; the pending-subscribe map is concurrent.
 */
public final class ConnectionState {

    private final LinkPublishAccess linkAccess;
    private final Map<Integer, List<String>> pendingSubscribes = new ConcurrentHashMap<>();
    private volatile LinkConnection link;
    private volatile boolean cleanStart;
    private volatile boolean sessionEndsOnClose;
    // Guarded by this.
    private boolean connectKnown;
    private boolean authenticated;
    private boolean sessionEndReported;

    /**
     * A connection whose CONNECT facts are not known yet: no user name, no clean start, session kept at close, until
     * {@link #connectReceived} says otherwise.
     *
     * @param link the handle clink sees for this connection; its connection id is the connection's for good
     * @param onLinkListener whether it arrived on the link listener (only then may it use {@code $LINK/...})
     */
    public ConnectionState(LinkConnection link, boolean onLinkListener) {
        this.link = link;
        this.linkAccess = new LinkPublishAccess(onLinkListener);
    }

    /**
     * A connection whose CONNECT facts are known.
     *
     * @param link the handle clink sees for this connection
     * @param onLinkListener whether it arrived on the link listener (only then may it use {@code $LINK/...})
     * @param cleanStart the CONNECT's clean-start flag: an earlier session of the client id is discarded
     * @param sessionEndsOnClose session expiry 0: the session and its subscriptions end with the connection
     */
    public ConnectionState(
            LinkConnection link, boolean onLinkListener, boolean cleanStart, boolean sessionEndsOnClose) {
        this(link, onLinkListener);
        this.cleanStart = cleanStart;
        this.sessionEndsOnClose = sessionEndsOnClose;
        this.connectKnown = true;
    }

    /**
     * Completes the state with its CONNECT's facts, keeping its connection id. The user name joins the handle unless
     * clink already holds the handle ({@link #markLinkUsed}): clink keys per-connection state by the handle's equality,
     * so a handle it has seen never changes. Only the first call counts.
     *
     * @param username the CONNECT's user name, or null if none
     * @param cleanStart the CONNECT's clean-start flag
     * @param sessionEndsOnClose whether the CONNECT's session expiry is 0
     * @return whether the discarded session's end is to be reported now: clean start, the connection has already
     *     authenticated, and it was not reported before
     */
    public synchronized boolean connectReceived(
            @Nullable String username, boolean cleanStart, boolean sessionEndsOnClose) {
        if (connectKnown) {
            return false;
        }
        LinkConnection old = link;
        if (!linkAccess.linkUsed()) {
            link = new LinkConnection(old.connectionId(), old.clientId(), username, old.peerHost(), old.listener());
        }
        this.cleanStart = cleanStart;
        this.sessionEndsOnClose = sessionEndsOnClose;
        connectKnown = true;
        return takeSessionEnd();
    }

    /**
     * The connection has authenticated.
     *
     * @return whether the discarded session's end is to be reported now: clean start is known, and it was not
     *     reported before
     */
    public synchronized boolean authenticationSucceeded() {
        authenticated = true;
        return takeSessionEnd();
    }

    private boolean takeSessionEnd() {
        if (!connectKnown || !authenticated || !cleanStart || sessionEndReported) {
            return false;
        }
        sessionEndReported = true;
        return true;
    }

    /** Whether the CONNECT's facts have arrived; before, {@link #link} has no user name. */
    public synchronized boolean connectKnown() {
        return connectKnown;
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

    /**
     * The connection passes a {@code $LINK/...} publish to clink, so clink wants to hear of its close.
     *
     * @return the handle to give clink, now fixed for the rest of the connection
     */
    public LinkConnection markLinkUsed() {
        // Called per $LINK publish: once marked, the handle never changes again (connectReceived checks the flag
        // under the lock before replacing it), so the volatile reads suffice and only the first use locks.
        if (linkAccess.linkUsed()) {
            return link;
        }
        synchronized (this) {
            linkAccess.markLinkUsed();
            return link;
        }
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
