package io.clink.hivemq.internal;

import static io.clink.hivemq.internal.Stubs.stub;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.clink.api.broker.LinkConnection;
import io.clink.testkit.RecordingHooks;
import io.clink.testkit.RecordingHooks.SessionEnded;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HiveMQ runs a connection's initializer, its connection-start event and its authentication-success event in no fixed
 * order; whatever the order, the connection must have one state, one connection id and its CONNECT's facts.
 */
class ConnectionRegistryTest {

    private static final String CLIENT = "sensor-1";

    private final ConnectionRegistry registry = new ConnectionRegistry(Set.of("clink"));
    private final RecordingHooks recorded = new RecordingHooks();
    private final AttachedHooks hooks = new AttachedHooks();
    private final SessionLifecycleListener lifecycle = new SessionLifecycleListener(registry, hooks);
    private final Map<String, String> attributes = new HashMap<>();
    private final ConnectionInformation info = connectionInformation("default", attributes);

    @BeforeEach
    void attach() {
        hooks.attach(recorded);
    }

    @Test
    void findOrRegister_initializerBeforeConnectionStart_oneStateCompletedWithConnect() {
        ConnectionState initializers = registry.findOrRegister(info, CLIENT);

        lifecycle.onMqttConnectionStart(connectionStart("alice", true, 0));

        ConnectionState state = registry.findOrRegister(info, CLIENT);
        assertThat(state).isSameAs(initializers);
        assertThat(state.link().username()).isEqualTo("alice");
        assertThat(state.link().connectionId()).isEqualTo(attributes.get("io.clink.connection-id"));
        assertThat(state.cleanStart()).isTrue();
        assertThat(state.sessionEndsOnClose()).isTrue();
        assertThat(state.connectKnown()).isTrue();
        assertThat(registry.isCurrent(state.link())).isTrue();
        assertThat(registry.find(state.link().connectionId())).isSameAs(state);
    }

    @Test
    void findOrRegister_connectionStartBeforeInitializer_sameStateForBoth() {
        lifecycle.onMqttConnectionStart(connectionStart("alice", false, 60));

        ConnectionState initializers = registry.findOrRegister(info, CLIENT);

        assertThat(initializers.link())
                .isEqualTo(new LinkConnection(
                        attributes.get("io.clink.connection-id"), CLIENT, "alice", "127.0.0.1", "default"));
        assertThat(initializers.cleanStart()).isFalse();
        assertThat(initializers.sessionEndsOnClose()).isFalse();
    }

    @Test
    void onDisconnect_initializerFirst_removesTheOnlyStateAndEndsTheSession() {
        ConnectionState state = registry.findOrRegister(info, CLIENT);
        lifecycle.onMqttConnectionStart(connectionStart("alice", false, 0));

        lifecycle.onDisconnect(disconnect());

        assertThat(registry.find(state.link().connectionId())).isNull();
        assertThat(registry.isCurrent(state.link())).isFalse();
        assertThat(recorded.events(SessionEnded.class))
                .extracting(SessionEnded::clientId)
                .containsExactly(CLIENT);
        assertThat(registry.remove(info, CLIENT)).as("nothing left behind").isNull();
    }

    @Test
    void onAuthenticationSuccessful_afterConnectionStartWithCleanStart_sessionEndReportedOnce() {
        registry.findOrRegister(info, CLIENT);
        lifecycle.onMqttConnectionStart(connectionStart(null, true, 60));
        assertThat(recorded.events(SessionEnded.class))
                .as("not authenticated yet")
                .isEmpty();

        lifecycle.onAuthenticationSuccessful(authenticated());

        assertThat(recorded.events(SessionEnded.class))
                .extracting(SessionEnded::clientId)
                .containsExactly(CLIENT);
    }

    @Test
    void onAuthenticationSuccessful_beforeConnectionStartWithCleanStart_sessionEndReportedOnceAtConnectionStart() {
        lifecycle.onAuthenticationSuccessful(authenticated());
        registry.findOrRegister(info, CLIENT);
        assertThat(recorded.events(SessionEnded.class))
                .as("clean start not known yet")
                .isEmpty();

        lifecycle.onMqttConnectionStart(connectionStart(null, true, 60));
        lifecycle.onMqttConnectionStart(connectionStart(null, true, 60));

        assertThat(recorded.events(SessionEnded.class))
                .extracting(SessionEnded::clientId)
                .containsExactly(CLIENT);
    }

    @Test
    void onAuthenticationSuccessful_withoutCleanStartInEitherOrder_noSessionEnd() {
        ConnectionInformation other = connectionInformation("default", new HashMap<>());
        lifecycle.onAuthenticationSuccessful(authenticated());
        lifecycle.onMqttConnectionStart(connectionStart(null, false, 60));
        lifecycle.onMqttConnectionStart(input(
                ConnectionStartInput.class,
                Map.of(
                        "getConnectPacket", connect(null, false, 60),
                        "getClientInformation", clientInformation("sensor-2"),
                        "getConnectionInformation", other)));
        lifecycle.onAuthenticationSuccessful(input(
                AuthenticationSuccessfulInput.class,
                Map.of("getClientInformation", clientInformation("sensor-2"), "getConnectionInformation", other)));

        assertThat(recorded.events(SessionEnded.class)).isEmpty();
    }

    @Test
    void findOrRegister_afterTheConnectionClosed_detachedStateNotStored() {
        ConnectionState state = registry.findOrRegister(info, CLIENT);
        lifecycle.onDisconnect(disconnect());

        ConnectionState late = registry.findOrRegister(info, CLIENT);

        assertThat(late).isNotSameAs(state);
        assertThat(late.isDisconnected()).isTrue();
        assertThat(late.link().connectionId()).isEqualTo(state.link().connectionId());
        assertThat(registry.find(late.link().connectionId())).isNull();
        assertThat(registry.remove(info, CLIENT)).isNull();
    }

    @Test
    void findOrRegister_newConnectionOfTheSameClient_becomesCurrentAndOldCloseKeepsIt() {
        ConnectionState old = registry.findOrRegister(info, CLIENT);
        ConnectionInformation newer = connectionInformation("default", new HashMap<>());
        ConnectionState current = registry.findOrRegister(newer, CLIENT);

        ConnectionRegistry.Removed removed = registry.remove(info, CLIENT);

        assertThat(current.link().connectionId()).isNotEqualTo(old.link().connectionId());
        assertThat(removed).isNotNull();
        assertThat(removed.wasCurrent()).isFalse();
        assertThat(registry.isCurrent(current.link())).isTrue();
    }

    @Test
    void findOrRegister_linkListener_stateMayUseLinkTopics() {
        ConnectionState state = registry.findOrRegister(connectionInformation("clink", new HashMap<>()), CLIENT);

        assertThat(state.onLinkListener()).isTrue();
        assertThat(registry.findOrRegister(info, "other").onLinkListener()).isFalse();
    }

    private ConnectionStartInput connectionStart(String username, boolean cleanStart, long sessionExpiry) {
        return input(
                ConnectionStartInput.class,
                Map.of(
                        "getConnectPacket", connect(username, cleanStart, sessionExpiry),
                        "getClientInformation", clientInformation(CLIENT),
                        "getConnectionInformation", info));
    }

    private AuthenticationSuccessfulInput authenticated() {
        return input(
                AuthenticationSuccessfulInput.class,
                Map.of("getClientInformation", clientInformation(CLIENT), "getConnectionInformation", info));
    }

    private DisconnectEventInput disconnect() {
        return input(
                DisconnectEventInput.class,
                Map.of("getClientInformation", clientInformation(CLIENT), "getConnectionInformation", info));
    }

    private static ConnectPacket connect(String username, boolean cleanStart, long sessionExpiry) {
        return input(
                ConnectPacket.class,
                Map.of(
                        "getUserName", Optional.ofNullable(username),
                        "getCleanStart", cleanStart,
                        "getSessionExpiryInterval", sessionExpiry));
    }

    private static ClientInformation clientInformation(String clientId) {
        return input(ClientInformation.class, Map.of("getClientId", clientId));
    }

    private static ConnectionInformation connectionInformation(String listener, Map<String, String> attributes) {
        ConnectionAttributeStore store = stub(ConnectionAttributeStore.class, (name, args) -> switch (name) {
            case "putAsString" -> attributes.put((String) args[0], (String) args[1]);
            case "getAsString" -> Optional.ofNullable(attributes.get((String) args[0]));
            default -> throw new UnsupportedOperationException(name);
        });
        return input(
                ConnectionInformation.class,
                Map.of(
                        "getConnectionAttributeStore", store,
                        "getListener", Optional.of(input(Listener.class, Map.of("getName", listener))),
                        "getInetAddress", Optional.of(InetAddress.getLoopbackAddress())));
    }

    /** A stand-in answering the given getters; any other call fails the test. */
    private static <T> T input(Class<T> type, Map<String, Object> answers) {
        return stub(type, (name, args) -> {
            if (!answers.containsKey(name)) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + name);
            }
            return answers.get(name);
        });
    }
}
