package io.clink.testkit;

import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LinkTransport} whose clients connect to the endpoints of an {@link InMemoryLinkNetwork}; obtained from
 * {@link InMemoryLinkNetwork#newTransport()}. See the network for the semantics and the fault injection.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; creating a client after it throws {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public final class InMemoryTransport implements LinkTransport {

    private final InMemoryLinkNetwork network;
    private final List<InMemoryLinkClient> clients = new ArrayList<>();
    private boolean closed;

    InMemoryTransport(InMemoryLinkNetwork network) {
        this.network = network;
    }

    @Override
    public LinkClient createClient(LinkClientOptions options) {
        Objects.requireNonNull(options, "options");
        validate(options);
        synchronized (network.lock) {
            if (closed) {
                throw new IllegalStateException(
                        "InMemoryTransport is closed: cannot create a client for " + options.clientId());
            }
            InMemoryLinkClient c = new InMemoryLinkClient(network, options);
            clients.add(c);
            return c;
        }
    }

    /**
     * Every client created so far, in creation order.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<LinkClient> clients() {
        synchronized (network.lock) {
            return List.copyOf(clients);
        }
    }

    /**
     * The clients not closed yet: after an engine stops this should be zero, or it leaks connections.
     *
     * @return the count
     * @since 0.1.0
     */
    public int openClients() {
        synchronized (network.lock) {
            return (int) clients.stream().filter(c -> !c.isClosed()).count();
        }
    }

    /**
     * The options of every client created so far, in creation order (client ids, credentials, keepalive...).
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<LinkClientOptions> clientOptions() {
        synchronized (network.lock) {
            return clients.stream().map(InMemoryLinkClient::options).toList();
        }
    }

    @Override
    public void close() {
        synchronized (network.lock) {
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "InMemoryTransport{clients=" + clients().size() + '}';
    }
}
