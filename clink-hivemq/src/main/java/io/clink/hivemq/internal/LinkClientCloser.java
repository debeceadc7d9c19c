package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.clink.api.broker.LinkConnection;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Sends DISCONNECT to one connection's client through HiveMQ's ClientService.
 *
 * Invariant: HiveMQ disconnects by client id, not by connection, so the DISCONNECT is sent only while the connection
 * is still its client id's current one; a client that has reconnected since keeps its newer connection. Never blocks:
 * the outcome is only logged.
 *
 * Threads: clink's threads (LocalBroker.disconnect) and HiveMQ's publish-interceptor threads (a link user publishing
 * for another cluster).
 */
/** Closes a connection unless its client id has connected again since. Thread-safe, non-blocking. */
public final class LinkClientCloser {

    private static final Logger LOG = LoggerFactory.getLogger(LinkClientCloser.class);

    private final ConnectionRegistry registry;
    private final ClientService clientService;

    public LinkClientCloser(ConnectionRegistry registry, ClientService clientService) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clientService = Objects.requireNonNull(clientService, "clientService");
    }

    /** Sends DISCONNECT with {@code reasonCode} (an MQTT 5 reason code) to the connection's client, if still current. */
    public void close(ConnectionState state, int reasonCode, String reasonString) {
        LinkConnection connection = state.link();
        if (!registry.isCurrent(connection)) {
            return;
        }
        clientService
                .disconnectClient(connection.clientId(), false, Codes.disconnect(reasonCode), reasonString)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.warn("Could not disconnect link client {}: {}", connection.clientId(), error.toString());
                    }
                });
        LOG.info(
                "Disconnecting link client {} (0x{}): {}",
                connection.clientId(),
                Integer.toHexString(reasonCode),
                reasonString);
    }
}
