package io.clink.artemis.internal;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.adapter.LinkPublishAccess;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the adapter remembers about one MQTT connection, from its CONNECT to its close.
 *
 * <p>Concurrency: written on the connection's Netty event loop only (every packet of a channel passes its one event
 * loop, in order); the few fields clink's threads read ({@link #link}, the flags of {@link #linkAccess}) are
 * volatile. The maps are plain because only the event loop touches them; each is bounded by MQTT's 16-bit packet ids
 * and topic aliases, so a misbehaving client cannot grow them past 65,535 entries.
 */
public final class ConnectionState {

    /** MQTT 5's SUBACK and PUBACK "not authorized", and MQTT 3.1.1's SUBACK "failure". */
    public static final int NOT_AUTHORIZED_V5 = 0x87;

    public static final int SUBACK_FAILURE_V3 = 0x80;

    private final String connectionId;
    private final @Nullable String username;
    private final @Nullable String peerHost;
    private final @Nullable String listener;
    private final LinkPublishAccess linkAccess;
    private final boolean cleanStart;
    private final boolean sessionEndsOnClose;
    private final int protocolVersion;
    private volatile @Nullable LinkConnection link;
    private final Map<Integer, PendingSubscribe> pendingSubscribes = new HashMap<>();
    private final Map<Integer, List<String>> pendingUnsubscribes = new HashMap<>();
    private final Map<Integer, String> topicAliases = new HashMap<>();
    private final Set<Integer> linkQos2AwaitingRelease = new HashSet<>();
    private int topicAliasMaximum;
    private @Nullable String replacedConnectionId;
    private volatile @Nullable ConnectionHandler handler;

    /**
     * @param connectionId the adapter's id for the connection
     * @param username the CONNECT's user name, or null
     * @param peerHost the peer's address, or null
     * @param listener the Artemis acceptor the connection arrived on, or null if not found
     * @param onLinkListener whether that acceptor is a link acceptor (only then may it use {@code $LINK/...})
     * @param cleanStart the CONNECT's clean-start (3.1.1: clean-session) flag
     * @param sessionEndsOnClose whether the session ends with the connection (MQTT 5: expiry 0; 3.1.1: clean session)
     * @param protocolVersion 3, 4 or 5
     */
    public ConnectionState(
            String connectionId,
            @Nullable String username,
            @Nullable String peerHost,
            @Nullable String listener,
            boolean onLinkListener,
            boolean cleanStart,
            boolean sessionEndsOnClose,
            int protocolVersion) {
        this.connectionId = connectionId;
        this.username = username;
        this.peerHost = peerHost;
        this.listener = listener;
        this.linkAccess = new LinkPublishAccess(onLinkListener);
        this.cleanStart = cleanStart;
        this.sessionEndsOnClose = sessionEndsOnClose;
        this.protocolVersion = protocolVersion;
    }

    public String connectionId() {
        return connectionId;
    }

    /** Fixes the client id (at CONNECT, or at CONNACK when Artemis assigned one). */
    public void identify(String clientId) {
        link = new LinkConnection(connectionId, clientId, username, peerHost, listener);
    }

    /** Whether the client id is known yet. */
    public boolean identified() {
        return link != null;
    }

    /** The handle clink sees; only valid once {@link #identified()}. */
    public LinkConnection link() {
        LinkConnection l = link;
        if (l == null) {
            throw new IllegalStateException("connection " + connectionId + " has no client id yet");
        }
        return l;
    }

    public String clientId() {
        return link().clientId();
    }

    public @Nullable String username() {
        return username;
    }

    public @Nullable String peerHost() {
        return peerHost;
    }

    public boolean cleanStart() {
        return cleanStart;
    }

    public boolean sessionEndsOnClose() {
        return sessionEndsOnClose;
    }

    public int protocolVersion() {
        return protocolVersion;
    }

    public boolean isMqtt5() {
        return protocolVersion >= 5;
    }

    /** The SUBACK code that refuses a subscription in this connection's protocol version. */
    public int subackRefusal() {
        return isMqtt5() ? NOT_AUTHORIZED_V5 : SUBACK_FAILURE_V3;
    }

    /**
     * A SUBSCRIBE waiting for its SUBACK.
     *
     * @param filters every filter the client sent, in order
     * @param refused for each of them, whether the adapter cut it out before Artemis saw it
     */
    public record PendingSubscribe(List<String> filters, List<Boolean> refused) {}

    public void subscribeSent(int packetId, PendingSubscribe pending) {
        pendingSubscribes.put(packetId, pending);
    }

    public @Nullable PendingSubscribe subackSent(int packetId) {
        return pendingSubscribes.remove(packetId);
    }

    public void unsubscribeSent(int packetId, List<String> filters) {
        pendingUnsubscribes.put(packetId, List.copyOf(filters));
    }

    public @Nullable List<String> unsubackSent(int packetId) {
        return pendingUnsubscribes.remove(packetId);
    }

    /** The connection this one replaced as its client id's current one when its CONNECT was read, if any. */
    public void replaced(@Nullable String connectionId) {
        replacedConnectionId = connectionId;
    }

    public @Nullable String replacedConnectionId() {
        return replacedConnectionId;
    }

    /** The Topic Alias Maximum Artemis granted in its CONNACK (0: no aliases). */
    public void topicAliasMaximum(int maximum) {
        topicAliasMaximum = maximum;
    }

    /** Whether an inbound alias is within what Artemis granted; outside it the alias map would grow unbounded. */
    public boolean aliasAllowed(int alias) {
        return alias >= 1 && alias <= topicAliasMaximum;
    }

    /**
     * Resolves an inbound MQTT 5 topic alias the way the receiver must: a topic with an alias sets it, an empty topic
     * uses it. Check {@link #aliasAllowed} first.
     *
     * @return the topic, or null if the alias was never set
     */
    public @Nullable String resolveTopic(String topic, @Nullable Integer alias) {
        if (alias == null) {
            return topic;
        }
        if (!topic.isEmpty()) {
            topicAliases.put(alias, topic);
            return topic;
        }
        return topicAliases.get(alias);
    }

    /** Remembers a consumed QoS 2 link publish until its PUBREL; false if the id is already waiting (a DUP). */
    public boolean linkQos2Received(int packetId) {
        return linkQos2AwaitingRelease.add(packetId);
    }

    /** Whether a PUBREL belongs to a consumed link publish (and forgets it). */
    public boolean linkQos2Released(int packetId) {
        return linkQos2AwaitingRelease.remove(packetId);
    }

    /** The connection's Netty handler, which can close it. */
    public void handler(ConnectionHandler handler) {
        this.handler = handler;
    }

    public @Nullable ConnectionHandler handler() {
        return handler;
    }

    /** Who may publish to {@code $LINK/...} here, and whether clink used or is closing the connection. */
    public LinkPublishAccess linkAccess() {
        return linkAccess;
    }
}
