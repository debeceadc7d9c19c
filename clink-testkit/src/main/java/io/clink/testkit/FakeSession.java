package io.clink.testkit;

import io.clink.api.broker.LinkConnection;
import io.clink.api.topic.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: what a FakeLocalBroker keeps per client id, which outlives a connection when the client resumes
 * without clean start. Plain state; every field is guarded by the SessionTable's lock.
 */
final class FakeSession {

    /** One granted subscription: its parsed form, granted QoS, and a broker-wide order for share round-robin. */
    record Sub(Subscription parsed, int qos, long order) {}

    final String clientId;
    final Map<String, Sub> subscriptions = new LinkedHashMap<>();
    final List<FakeLocalBroker.Delivery> deliveries = new ArrayList<>();
    LinkConnection connection;
    boolean cleanStart;
    boolean connected;
    /** The current connection made a $LINK publish, so its close is reported to the hooks. */
    boolean linkPublished;
    /** The current connection was opened by an InMemoryLinkNetwork, so its close is reported to the hooks. */
    boolean networkConnection;
    /** The current connection speaks MQTT 3.1.1 (no properties, no reason codes in UNSUBACK). */
    boolean mqtt311;
    /** The listener of the current connection, null for the broker's ordinary one. */
    @Nullable
    String listener;
    /** The keepalive of the current connection in nanoseconds, 0 for none. */
    long keepAliveNanos;
    /** When the current connection last counted as alive (ticker nanos). */
    long lastActivityNanos;
    /** The topic aliases the current connection set (MQTT 5), alias to topic. */
    final Map<Integer, String> topicAliases = new LinkedHashMap<>();

    FakeLocalBroker.@Nullable ConnectionSide side;

    FakeSession(String clientId) {
        this.clientId = clientId;
        this.connection = LinkConnection.of("none", clientId);
    }

    /** Whether {@code c} is this session's open connection. */
    boolean isOpen(LinkConnection c) {
        return connected && connection.equals(c);
    }

    /** Whether the close of the current connection is reported through onConnectionClosed. */
    boolean reportsClose() {
        return linkPublished || networkConnection;
    }
}
