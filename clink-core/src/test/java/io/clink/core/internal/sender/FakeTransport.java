package io.clink.core.internal.sender;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A scripted transport: records every client, connect, subscribe and publish, and lets the test complete the futures,
 * fire a connection loss or deliver an inbound publish. Futures complete on the test's thread.
 */
final class FakeTransport implements LinkTransport {

    final List<FakeClient> clients = new ArrayList<>();
    final List<LinkClientOptions> validated = new ArrayList<>();

    @Nullable
    RuntimeException validateFailure;

    @Override
    public void validate(LinkClientOptions options) {
        validated.add(options);
        if (validateFailure != null) {
            throw validateFailure;
        }
    }

    @Override
    public LinkClient createClient(LinkClientOptions options) {
        FakeClient c = new FakeClient(options);
        clients.add(c);
        return c;
    }

    FakeClient last() {
        if (clients.isEmpty()) {
            throw new AssertionError("no client was created");
        }
        return clients.get(clients.size() - 1);
    }

    /** Connects whose future was completed successfully, over all clients. */
    long successfulConnects() {
        return clients.stream().filter(c -> c.connected || c.everConnected).count();
    }

    static LinkTransportException notConnected(DisconnectReason reason) {
        return new LinkTransportException(LinkTransportException.Kind.NOT_CONNECTED, "connection lost", reason, null);
    }

    /** One recorded publish and its pending result. */
    record Publish(OutgoingPublish message, CompletableFuture<PublishResult> result) {
        boolean pending() {
            return !result.isDone();
        }
    }

    /** One recorded subscribe. */
    record Subscribe(String filter, int qos, InboundPublishHandler handler, CompletableFuture<Integer> result) {}

    static final class FakeClient implements LinkClient {
        final LinkClientOptions options;
        final List<Publish> publishes = new ArrayList<>();
        final List<Subscribe> subscribes = new ArrayList<>();

        @Nullable
        CompletableFuture<ConnectResult> connect;

        @Nullable
        ConnectionListener listener;

        int connectCalls;
        boolean connected;
        boolean everConnected;
        boolean closed;

        FakeClient(LinkClientOptions options) {
            this.options = options;
        }

        @Override
        public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
            connectCalls++;
            this.listener = listener;
            CompletableFuture<ConnectResult> f = new CompletableFuture<>();
            connect = f;
            if (closed) {
                f.completeExceptionally(closedException());
            }
            return f;
        }

        @Override
        public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
            CompletableFuture<PublishResult> f = new CompletableFuture<>();
            publishes.add(new Publish(publish, f));
            if (!connected) {
                f.completeExceptionally(new LinkTransportException(
                        LinkTransportException.Kind.NOT_CONNECTED, "not connected", null, null));
            }
            return f;
        }

        @Override
        public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            subscribes.add(new Subscribe(filter, qos, handler, f));
            if (!connected) {
                f.completeExceptionally(new LinkTransportException(
                        LinkTransportException.Kind.NOT_CONNECTED, "not connected", null, null));
            }
            return f;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            connected = false;
            LinkTransportException e = closedException();
            if (connect != null) {
                connect.completeExceptionally(e);
            }
            subscribes.forEach(s -> s.result().completeExceptionally(e));
            publishes.forEach(p -> p.result().completeExceptionally(e));
        }

        private static LinkTransportException closedException() {
            return new LinkTransportException(LinkTransportException.Kind.CLOSED, "client closed", null, null);
        }

        // --- scripting ---

        boolean connectPending() {
            return connect != null && !connect.isDone();
        }

        void completeConnect(long maximumPacketSize) {
            connected = true;
            everConnected = true;
            requirePending().complete(new ConnectResult(maximumPacketSize, false));
        }

        void failConnect(DisconnectReason reason) {
            requirePending()
                    .completeExceptionally(new LinkTransportException(
                            LinkTransportException.Kind.CONNECT_FAILED, "connect failed", reason, null));
        }

        private CompletableFuture<ConnectResult> requirePending() {
            if (!connectPending()) {
                throw new AssertionError("no connect pending");
            }
            return connect;
        }

        @Nullable
        Subscribe pendingSubscribe() {
            return subscribes.stream()
                    .filter(s -> !s.result().isDone())
                    .findFirst()
                    .orElse(null);
        }

        /** The peer drops the connection: pending futures fail as a transport would fail them, then the listener. */
        void loseConnection(DisconnectReason reason) {
            loseConnection(reason, false);
        }

        /**
         * The peer drops the connection. A real transport may report the loss before or after failing the pending
         * futures; {@code listenerFirst} picks the order.
         */
        void loseConnection(DisconnectReason reason, boolean listenerFirst) {
            if (!connected) {
                throw new AssertionError("not connected");
            }
            connected = false;
            if (listenerFirst) {
                listener.onConnectionLost(reason);
            }
            subscribes.forEach(s -> s.result().completeExceptionally(notConnected(reason)));
            publishes.forEach(p -> p.result().completeExceptionally(notConnected(reason)));
            if (!listenerFirst) {
                listener.onConnectionLost(reason);
            }
        }

        List<Publish> pendingPublishes() {
            return publishes.stream().filter(Publish::pending).toList();
        }

        /** Delivers an inbound publish to the handler of the subscription on {@code filter}. */
        void deliver(String filter, byte[] payload, byte @Nullable [] correlationData) {
            Subscribe s = subscribes.stream()
                    .filter(x -> x.filter().equals(filter))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no subscription on " + filter));
            s.handler().onPublish(new InboundPublish(filter, payload, 1, false, null, correlationData));
        }
    }
}
