package io.clink.core.internal.forward;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
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
 * A scripted transport: clients connect when the test accepts (or at once with {@link #autoConnect}), publishes wait
 * for the test to acknowledge them, and connection loss happens when the test drops a client. Futures complete on
 * the test thread, as a real transport completes them on its own threads.
 */
final class FakeTransport implements LinkTransport {
    final List<FakeClient> clients = new ArrayList<>();
    boolean autoConnect;

    @Nullable
    Consumer<OutgoingPublish> wire;

    @Nullable
    IllegalArgumentException validateFailure;

    int validations;

    @Override
    public void validate(LinkClientOptions options) {
        validations++;
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

    /** The client of forwarding connection {@code n} (1-based). */
    FakeClient client(int n) {
        return clients.get(n - 1);
    }

    List<OutgoingPublish> allSent() {
        List<OutgoingPublish> all = new ArrayList<>();
        for (FakeClient c : clients) {
            for (Sent s : c.sent) {
                all.add(s.publish);
            }
        }
        return all;
    }

    static final class Sent {
        final OutgoingPublish publish;
        final CompletableFuture<PublishResult> future = new CompletableFuture<>();

        Sent(OutgoingPublish publish) {
            this.publish = publish;
        }
    }

    final class FakeClient implements LinkClient {
        final LinkClientOptions options;
        final List<Sent> sent = new ArrayList<>();
        final ArrayDeque<Sent> unacked = new ArrayDeque<>();
        long maximumPacketSize = ConnectResult.UNLIMITED;

        @Nullable
        ConnectionListener listener;

        @Nullable
        CompletableFuture<ConnectResult> pendingConnect;

        boolean connected;
        boolean closed;
        int connectCalls;

        FakeClient(LinkClientOptions options) {
            this.options = options;
        }

        @Override
        public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
            connectCalls++;
            if (closed) {
                return CompletableFuture.failedFuture(new LinkTransportException(Kind.CLOSED, "closed", null, null));
            }
            if (connected || pendingConnect != null) {
                return CompletableFuture.failedFuture(
                        new LinkTransportException(Kind.ILLEGAL_STATE, "already connected", null, null));
            }
            this.listener = listener;
            CompletableFuture<ConnectResult> f = new CompletableFuture<>();
            pendingConnect = f;
            if (autoConnect) {
                accept();
            }
            return f;
        }

        boolean connecting() {
            return pendingConnect != null;
        }

        void accept() {
            CompletableFuture<ConnectResult> f = require(pendingConnect);
            pendingConnect = null;
            connected = true;
            f.complete(new ConnectResult(maximumPacketSize, false));
        }

        void refuse(DisconnectReason reason) {
            CompletableFuture<ConnectResult> f = require(pendingConnect);
            pendingConnect = null;
            f.completeExceptionally(new LinkTransportException(Kind.CONNECT_FAILED, "refused", reason, null));
        }

        @Override
        public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
            if (closed) {
                return CompletableFuture.failedFuture(new LinkTransportException(Kind.CLOSED, "closed", null, null));
            }
            if (!connected) {
                return CompletableFuture.failedFuture(
                        new LinkTransportException(Kind.NOT_CONNECTED, "not connected", null, null));
            }
            if (publish.payload().length > maximumPacketSize) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.PACKET_TOO_LARGE, "packet of " + publish.payload().length + " bytes", null, null));
            }
            Sent s = new Sent(publish);
            sent.add(s);
            Consumer<OutgoingPublish> w = wire;
            if (w != null) {
                w.accept(publish);
            }
            if (publish.qos() == 0) {
                s.future.complete(PublishResult.SUCCESS);
            } else {
                unacked.add(s);
            }
            return s.future;
        }

        /** Acknowledges the oldest unacknowledged publish. */
        void ack(int reasonCode) {
            require(unacked.poll()).future.complete(new PublishResult(reasonCode));
        }

        void ackAll(int reasonCode) {
            while (!unacked.isEmpty()) {
                ack(reasonCode);
            }
        }

        /** The connection drops: unacknowledged publishes fail as a transport fails them, then the listener hears. */
        void drop(DisconnectReason reason) {
            connected = false;
            failUnacked(new LinkTransportException(Kind.NOT_CONNECTED, "connection lost", reason, null));
            require(listener).onConnectionLost(reason);
        }

        /** The connection drops and the listener hears first; the publishes' futures never complete. */
        void dropSilently(DisconnectReason reason) {
            connected = false;
            unacked.clear();
            require(listener).onConnectionLost(reason);
        }

        private void failUnacked(LinkTransportException e) {
            for (Sent s = unacked.poll(); s != null; s = unacked.poll()) {
                s.future.completeExceptionally(e);
            }
        }

        @Override
        public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
            throw new UnsupportedOperationException("forwarding connections never subscribe");
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void close() {
            closed = true;
            connected = false;
            failUnacked(new LinkTransportException(Kind.CLOSED, "closed", null, null));
            CompletableFuture<ConnectResult> f = pendingConnect;
            pendingConnect = null;
            if (f != null) {
                f.completeExceptionally(new LinkTransportException(Kind.CLOSED, "closed", null, null));
            }
        }

        private <T> T require(@Nullable T value) {
            if (value == null) {
                throw new AssertionError("nothing pending on " + options.clientId());
            }
            return value;
        }
    }
}
