package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.clink.api.broker.ClusterLinkHooks;
import java.util.Objects;

/*
 * HiveMQ's client lifecycle events as clink needs them: a connection's identity at CONNECT, session ends, and
 * connection closes.
 *
 * Invariants: HiveMQ reports no unsubscribe when a session ends, so clink is told ClusterLinkHooks.onSessionEnd (a)
 * when a CONNECT with clean start has authenticated, for the session it discards (once, at whichever of the
 * connection-start and authentication-success events comes second: HiveMQ does not order them), and (b) when a connection with
 * session expiry 0 closes while it is still its client id's current connection (a newer connection owns the session
 * otherwise, and its own CONNECT decided about the old one). onConnectionClosed is reported only for connections
 * that passed a $LINK publish to clink. Every connection is removed from the registry at its close, engine attached
 * or not, so the registry never grows with closed connections.
 *
 * Threads: HiveMQ's lifecycle-event threads, one event at a time per client, different clients concurrently.
 */
/** Registers connections at CONNECT and reports session ends and link connection closes to clink. */
public final class SessionLifecycleListener implements ClientLifecycleEventListener {

    private final ConnectionRegistry registry;
    private final AttachedHooks hooks;

    public SessionLifecycleListener(ConnectionRegistry registry, AttachedHooks hooks) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        connectSeen(
                input.getConnectionInformation(), input.getClientInformation().getClientId(), input.getConnectPacket());
    }

    /**
     * The CONNECT's facts, from whichever of the CONNECT interceptor and the connection-start event runs first (only
     * the first counts). The interceptor runs inside the CONNECT's handling, before any PUBLISH of the connection is
     * read, so a publish interceptor always finds the user name; the connection-start event has no such order.
     * A CONNECT with an empty client id is left to the connection-start event, which carries the id HiveMQ assigned.
     */
    public void connectSeen(ConnectionInformation info, String clientId, ConnectPacket connect) {
        if (clientId.isEmpty()) {
            return;
        }
        ConnectionState state = registry.findOrRegister(info, clientId);
        if (state.connectReceived(
                connect.getUserName().orElse(null), connect.getCleanStart(), connect.getSessionExpiryInterval() == 0)) {
            reportSessionEnd(clientId);
        }
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        ConnectionState state = registry.findOrRegister(input.getConnectionInformation(), clientId);
        if (state.authenticationSucceeded()) {
            reportSessionEnd(clientId);
        }
    }

    /** Clean start has discarded any earlier session of this client id, without an unsubscribe event. */
    private void reportSessionEnd(String clientId) {
        ClusterLinkHooks h = hooks.current();
        if (h != null) {
            AttachedHooks.guard("session end of " + clientId, () -> h.onSessionEnd(clientId));
        }
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        String clientId = input.getClientInformation().getClientId();
        ConnectionRegistry.Removed removed = registry.remove(input.getConnectionInformation(), clientId);
        if (removed == null) {
            return;
        }
        ConnectionState state = removed.state();
        ClusterLinkHooks h = hooks.current();
        if (h == null) {
            return;
        }
        if (state.linkUsed()) {
            AttachedHooks.guard("close of " + clientId, () -> h.onConnectionClosed(state.link()));
        }
        // A newer connection of the client id owns the session now; its own CONNECT decided about the old one.
        if (state.sessionEndsOnClose() && removed.wasCurrent()) {
            AttachedHooks.guard("session end of " + clientId, () -> h.onSessionEnd(clientId));
        }
    }
}
