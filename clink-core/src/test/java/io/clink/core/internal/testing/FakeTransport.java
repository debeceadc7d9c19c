package io.clink.core.internal.testing;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A scripted transport for the engine's state machines (the route actor and the forwarding pool): it records every
 * client, validation, connect, subscribe and publish, and the test decides what happens next: it accepts or refuses
 * a connect, acknowledges publishes, drops a connection or delivers an inbound publish. Every future completes on the
 * test's thread, as a real transport completes them on its own threads.
 *
 * <p>It behaves as a transport must where the engine relies on it: a connect while one is pending or established,
 * and any call after {@link FakeClient#close()}, fail at once; a publish or subscribe while not connected fails with
 * {@code NOT_CONNECTED} and is not recorded; a publish bigger than the peer's Maximum-Packet-Size fails with {@code
 * PACKET_TOO_LARGE}; QoS 0 completes when written; a connection loss fails what is pending with {@code
 * NOT_CONNECTED} and tells the listener. Not thread-safe: the tests drive it from one thread.
 *
 * <p>Testkit's {@code InMemoryTransport} is the other fake: a network of endpoints with real MQTT semantics for
 * adapter and end-to-end tests, where this one lets a test place each transport event exactly.
 */
public final class FakeTransport implements LinkTransport {

    /** Every client created, in creation order. */
    public final List<FakeClient> clients = new ArrayList<>();
    /** The options of every {@link #validate} call, in order. */
    public final List<LinkClientOptions> validated = new ArrayList<>();

    /** If set, {@link #validate} throws it (after recording the options). */
    public @Nullable RuntimeException validateFailure;

    /** If set, sees every publish as it is written, before its future is returned (a loopback to a receiver). */
    public @Nullable Consumer<OutgoingPublish> wire;

    @Override
    public void validate(LinkClientOptions options) {
        validated.add(options);
        RuntimeException failure = validateFailure;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public LinkClient createClient(LinkClientOptions options) {
        FakeClient c = new FakeClient(options);
        clients.add(c);
        return c;
    }

    /** The {@code n}-th client created (1-based): in a forwarding pool, the client of connection {@code n}. */
    public FakeClient client(int n) {
        return clients.get(n - 1);
    }

    /** The client created last. */
    public FakeClient last() {
        if (clients.isEmpty()) {
            throw new AssertionError("no client was created");
        }
        return clients.get(clients.size() - 1);
    }

    /** How many clients ever completed a connect. */
    public long successfulConnects() {
        return clients.stream().filter(c -> c.everConnected).count();
    }

    /** Every publish written, over all clients, client by client. */
    public List<OutgoingPublish> allSent() {
        List<OutgoingPublish> all = new ArrayList<>();
        for (FakeClient c : clients) {
            for (Publish p : c.publishes) {
                all.add(p.message());
            }
        }
        return all;
    }

    /** One publish written, and the result the test completes (or a drop or close fails). */
    public record Publish(OutgoingPublish message, CompletableFuture<PublishResult> result) {
        public boolean pending() {
            return !result.isDone();
        }
    }

    /** One subscribe sent, and the result (the granted QoS) the test completes. */
    public record Subscribe(String filter, int qos, InboundPublishHandler handler, CompletableFuture<Integer> result) {}

    /** One scripted client; see the class comment for what it does on its own. */
    public final class FakeClient implements LinkClient {
        public final LinkClientOptions options;
        /** Every publish written on this client, over all its connections, in order. */
        public final List<Publish> publishes = new ArrayList<>();
        /** Every subscribe sent on this client, in order. */
        public final List<Subscribe> subscribes = new ArrayList<>();
        /** QoS 1 and 2 publishes of the current connection awaiting {@link #ack}, oldest first. */
        public final ArrayDeque<Publish> unacked = new ArrayDeque<>();
        /** The peer's Maximum-Packet-Size that {@link #accept()} reports and publishes are held to. */
        public long maximumPacketSize = ConnectResult.UNLIMITED;

        public int connectCalls;
        public boolean connected;
        public boolean everConnected;
        public boolean closed;

        private @Nullable ConnectionListener listener;
        private @Nullable CompletableFuture<ConnectResult> pendingConnect;

        FakeClient(LinkClientOptions options) {
            this.options = options;
        }

        @Override
        public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
            connectCalls++;
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (connected || pendingConnect != null) {
                return CompletableFuture.failedFuture(
                        new LinkTransportException(Kind.ILLEGAL_STATE, "already connected", null, null));
            }
            this.listener = listener;
            CompletableFuture<ConnectResult> f = new CompletableFuture<>();
            pendingConnect = f;
            return f;
        }

        @Override
        public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (!connected) {
                return CompletableFuture.failedFuture(notConnected(null));
            }
            if (publish.payload().length > maximumPacketSize) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.PACKET_TOO_LARGE, "packet of " + publish.payload().length + " bytes", null, null));
            }
            Publish p = new Publish(publish, new CompletableFuture<>());
            publishes.add(p);
            Consumer<OutgoingPublish> w = wire;
            if (w != null) {
                w.accept(publish);
            }
            if (publish.qos() == 0) {
                p.result().complete(PublishResult.SUCCESS);
            } else {
                unacked.add(p);
            }
            return p.result();
        }

        @Override
        public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (!connected) {
                return CompletableFuture.failedFuture(notConnected(null));
            }
            Subscribe s = new Subscribe(filter, qos, handler, new CompletableFuture<>());
            subscribes.add(s);
            return s.result();
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
            failPending(closedException());
            CompletableFuture<ConnectResult> f = pendingConnect;
            pendingConnect = null;
            if (f != null) {
                f.completeExceptionally(closedException());
            }
        }

        // --- scripting: connect ---

        public boolean connecting() {
            return pendingConnect != null;
        }

        /** The pending connect succeeds, reporting {@link #maximumPacketSize}. */
        public void accept() {
            CompletableFuture<ConnectResult> f = require(pendingConnect, "connect");
            pendingConnect = null;
            connected = true;
            everConnected = true;
            f.complete(new ConnectResult(maximumPacketSize, false));
        }

        /** The pending connect succeeds with the peer's Maximum-Packet-Size {@code maximumPacketSize}. */
        public void accept(long maximumPacketSize) {
            this.maximumPacketSize = maximumPacketSize;
            accept();
        }

        /** The pending connect fails with {@code reason}. */
        public void refuse(DisconnectReason reason) {
            CompletableFuture<ConnectResult> f = require(pendingConnect, "connect");
            pendingConnect = null;
            f.completeExceptionally(new LinkTransportException(Kind.CONNECT_FAILED, "refused", reason, null));
        }

        // --- scripting: publishes and subscribes ---

        /** Acknowledges the oldest unacknowledged publish of the current connection with {@code reasonCode}. */
        public void ack(int reasonCode) {
            Publish p = unacked.poll();
            // A test may have completed a publish's result itself; the next one awaiting an ack is meant then.
            while (p != null && !p.pending()) {
                p = unacked.poll();
            }
            require(p, "unacknowledged publish").result().complete(new PublishResult(reasonCode));
        }

        public void ackAll(int reasonCode) {
            for (Publish p = unacked.poll(); p != null; p = unacked.poll()) {
                p.result().complete(new PublishResult(reasonCode));
            }
        }

        public List<Publish> pendingPublishes() {
            return publishes.stream().filter(Publish::pending).toList();
        }

        /** The oldest subscribe still awaiting its SUBACK, if any. */
        public @Nullable Subscribe pendingSubscribe() {
            return subscribes.stream()
                    .filter(s -> !s.result().isDone())
                    .findFirst()
                    .orElse(null);
        }

        /** Delivers an inbound QoS 1 publish to the handler of the latest subscription on {@code filter}. */
        public void deliver(String filter, byte[] payload, byte @Nullable [] correlationData) {
            Subscribe s = subscribes.stream()
                    .filter(x -> x.filter().equals(filter))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no subscription on " + filter));
            s.handler().onPublish(new InboundPublish(filter, payload, 1, false, null, correlationData));
        }

        // --- scripting: connection loss ---

        /** The connection drops: what is pending fails as a transport fails it, then the listener hears. */
        public void drop(DisconnectReason reason) {
            ConnectionListener l = lose();
            failPending(notConnected(reason));
            l.onConnectionLost(reason);
        }

        /**
         * The connection drops and the listener hears before the pending futures fail: a real transport may report a
         * loss in either order.
         */
        public void dropListenerFirst(DisconnectReason reason) {
            ConnectionListener l = lose();
            l.onConnectionLost(reason);
            failPending(notConnected(reason));
        }

        /** The connection drops and the listener hears; the pending publishes' futures never complete. */
        public void dropSilently(DisconnectReason reason) {
            ConnectionListener l = lose();
            unacked.clear();
            l.onConnectionLost(reason);
        }

        private ConnectionListener lose() {
            if (!connected) {
                throw new AssertionError(options.clientId() + " is not connected");
            }
            connected = false;
            return require(listener, "listener");
        }

        private void failPending(LinkTransportException e) {
            for (Publish p = unacked.poll(); p != null; p = unacked.poll()) {
                p.result().completeExceptionally(e);
            }
            subscribes.forEach(s -> s.result().completeExceptionally(e));
        }

        private <T> T require(@Nullable T value, String what) {
            if (value == null) {
                throw new AssertionError("no " + what + " pending on " + options.clientId());
            }
            return value;
        }
    }

    private static LinkTransportException notConnected(@Nullable DisconnectReason reason) {
        return new LinkTransportException(
                Kind.NOT_CONNECTED, reason == null ? "not connected" : "connection lost", reason, null);
    }

    private static LinkTransportException closedException() {
        return new LinkTransportException(Kind.CLOSED, "closed", null, null);
    }
}
