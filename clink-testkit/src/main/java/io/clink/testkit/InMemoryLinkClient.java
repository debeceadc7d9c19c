package io.clink.testkit;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.time.Cancellable;
import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.testkit.InflightWindow.Pending;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/*
 * One in-memory link client. State machine: IDLE -connect-> CONNECTING -accept-> CONNECTED -lose-> IDLE, any
 * -close-> CLOSED. Every connect attempt takes a new generation; every asynchronous step (connect answer, message
 * arrival, broker-side delivery, loss) carries the generation it belongs to and does nothing if it no longer
 * matches, so a late event of an old connection never touches a newer one. All state is guarded by the network's
 * lock; futures, listeners, handlers and broker calls run as ManualTime tasks without the lock.
 */
final class InMemoryLinkClient implements LinkClient {

    private enum State {
        IDLE,
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    private final InMemoryLinkNetwork net;
    private final Object lock;
    private final LinkClientOptions options;
    private final LinkClientErrors errors;
    private State state = State.IDLE;
    private long generation;
    private @Nullable CompletableFuture<ConnectResult> connectFuture;
    private @Nullable Cancellable connectTimer;
    private @Nullable ConnectionListener listener;
    private @Nullable FakeBrokerClient brokerClient;
    private @Nullable InMemoryConnection connection;
    private long peerMaximumPacketSize = ConnectResult.UNLIMITED;
    private final InflightWindow window = new InflightWindow();
    private final InboundHandlers handlers = new InboundHandlers();

    InMemoryLinkClient(InMemoryLinkNetwork net, LinkClientOptions options) {
        this.net = net;
        this.lock = net.lock;
        this.options = options;
        this.errors = new LinkClientErrors(options);
    }

    LinkClientOptions options() {
        return options;
    }

    boolean isClosed() {
        synchronized (lock) {
            return state == State.CLOSED;
        }
    }

    @Override
    public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        CompletableFuture<ConnectResult> f = new CompletableFuture<>();
        long gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return failLater(f, errors.closed());
            }
            if (state != State.IDLE) {
                return failLater(f, errors.connectWhile(state.name().toLowerCase(java.util.Locale.ROOT)));
            }
            state = State.CONNECTING;
            gen = ++generation;
            connectFuture = f;
            this.listener = listener;
        }
        net.time.executor().execute(() -> answerConnect(gen));
        return f;
    }

    private void answerConnect(long gen) {
        CompletableFuture<ConnectResult> f;
        InMemoryLinkNetwork.Endpoint endpoint;
        int authCode;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTING) {
                return;
            }
            // CONNECTING always holds its future: connect() sets both under the lock.
            f = Objects.requireNonNull(connectFuture, "CONNECTING without a connect future");
            endpoint = net.endpoint(options.host(), options.port()).orElse(null);
            if (endpoint == null || !endpoint.isOpen()) {
                failConnect(
                        f,
                        new DisconnectReason(
                                Cause.SOCKET_ERROR,
                                DisconnectReason.NO_REASON_CODE,
                                "connection refused: nothing listens on " + target()));
                return;
            }
            switch (endpoint.mode()) {
                case STALL:
                    return;
                case TIME_OUT:
                    connectTimer = net.time.scheduler().schedule(() -> timeOut(gen), options.connectTimeout());
                    return;
                case REFUSE:
                    failConnect(f, LinkClientErrors.refused(endpoint.refuseCode()));
                    return;
                default:
                    break;
            }
            authCode = endpoint.authenticate(options.username(), options.password());
            if (authCode != 0) {
                failConnect(f, LinkClientErrors.refused(authCode));
                return;
            }
        }
        Side side = new Side(gen);
        FakeBrokerClient bc = endpoint.broker()
                .open(
                        options.clientId(),
                        options.cleanStart(),
                        options.username().orElse(null),
                        InMemoryLinkNetwork.PEER_HOST,
                        endpoint.listener(),
                        side,
                        false,
                        options.keepAlive());
        ConnectResult result;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTING) {
                // Closed while the broker opened the session: undo it on the broker side.
                net.time.executor().execute(bc::disconnect);
                return;
            }
            state = State.CONNECTED;
            connectFuture = null;
            brokerClient = bc;
            connection = new InMemoryConnection(lock, endpoint, bc.connection(), this, gen);
            endpoint.add(connection);
            peerMaximumPacketSize = endpoint.maxPacketSize();
            result = new ConnectResult(peerMaximumPacketSize, false);
        }
        f.complete(result);
    }

    private void timeOut(long gen) {
        CompletableFuture<ConnectResult> f;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTING) {
                return;
            }
            f = connectFuture;
            failConnect(
                    f,
                    new DisconnectReason(
                            Cause.CONNECT_TIMEOUT,
                            DisconnectReason.NO_REASON_CODE,
                            "no CONNACK within " + options.connectTimeout()));
        }
    }

    /** Fails the current connect; called under the lock, completes the future as a task. */
    private void failConnect(@Nullable CompletableFuture<ConnectResult> f, DisconnectReason reason) {
        state = State.IDLE;
        connectFuture = null;
        listener = null;
        if (f != null) {
            failLater(f, errors.connectFailed(reason));
        }
    }

    @Override
    public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
        Objects.requireNonNull(publish, "publish");
        // A real client rejects an invalid topic name before anything is sent.
        MqttMessage.builder().topic(publish.topic());
        CompletableFuture<PublishResult> f = new CompletableFuture<>();
        Pending p;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return failLater(f, errors.closed());
            }
            if (state != State.CONNECTED) {
                return failLater(f, errors.notConnected("publish to " + publish.topic()));
            }
            long size = InMemoryLinkNetwork.publishPacketSize(publish);
            if (size > peerMaximumPacketSize) {
                return failLater(f, errors.packetTooLarge(publish.topic(), size, peerMaximumPacketSize));
            }
            p = window.next(publish, f);
            if (window.queueIfFull(p, options.maxInflight())) {
                return f;
            }
            send(p);
        }
        return f;
    }

    /** Puts a publish on the wire; called under the lock while connected. */
    private void send(Pending p) {
        InMemoryConnection c = Objects.requireNonNull(connection);
        long gen = generation;
        c.countPublish(p.publish());
        if (p.publish().qos() > 0) {
            window.sent(p);
        } else {
            completeLater(p.future(), PublishResult.SUCCESS);
        }
        if (c.drops(p.publish().topic())) {
            return;
        }
        Duration delay = c.delay();
        Runnable arrive = () -> arrive(gen, p);
        if (delay.isZero()) {
            net.time.executor().execute(arrive);
        } else {
            net.time.scheduler().schedule(arrive, delay);
        }
    }

    private void arrive(long gen, Pending p) {
        FakeBrokerClient bc;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTED || brokerClient == null) {
                return;
            }
            bc = brokerClient;
        }
        OutgoingPublish out = p.publish();
        PublishProperties.Builder props = PublishProperties.builder();
        props.responseTopic(out.responseTopic());
        props.correlationData(out.correlationData());
        MqttMessage m = MqttMessage.builder()
                .topic(out.topic())
                .payload(out.payload())
                .qos(out.qos())
                .retain(out.retain())
                .properties(props.build())
                .timestampMillis(net.time.wallClockMillis())
                .build();
        int code;
        try {
            code = bc.publish(m);
        } catch (IllegalStateException e) {
            // The broker closed the connection meanwhile; the loss fails the future.
            return;
        }
        if (out.qos() == 0) {
            return;
        }
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTED || !window.acknowledged(p)) {
                return;
            }
            Pending next = window.nextWaiting();
            if (next != null) {
                send(next);
            }
        }
        p.future().complete(new PublishResult(code));
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
        CompletableFuture<Integer> f = new CompletableFuture<>();
        long gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return failLater(f, errors.closed());
            }
            if (state != State.CONNECTED) {
                return failLater(f, errors.notConnected("subscribe to " + filter));
            }
            gen = generation;
        }
        net.time.executor().execute(() -> {
            FakeBrokerClient bc;
            synchronized (lock) {
                if (gen != generation || state != State.CONNECTED || brokerClient == null) {
                    f.completeExceptionally(errors.notConnected("subscribe to " + filter));
                    return;
                }
                bc = brokerClient;
                // Registered before the broker grants, so that retained messages sent on subscribe are not missed.
                handlers.add(filter, handler);
            }
            int code;
            try {
                code = bc.subscribe(filter, qos);
            } catch (IllegalStateException e) {
                f.completeExceptionally(errors.notConnected("subscribe to " + filter));
                return;
            }
            if (code >= 0x80) {
                synchronized (lock) {
                    handlers.remove(filter, handler);
                }
                f.completeExceptionally(errors.subscriptionRefused(filter, code));
                return;
            }
            f.complete(code);
        });
        return f;
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return state == State.CONNECTED;
        }
    }

    @Override
    public void close() {
        CompletableFuture<ConnectResult> pendingConnect;
        List<Pending> pending;
        FakeBrokerClient bc;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            generation++;
            pendingConnect = connectFuture;
            connectFuture = null;
            if (connectTimer != null) {
                connectTimer.cancel();
                connectTimer = null;
            }
            pending = window.drain();
            bc = brokerClient;
            brokerClient = null;
            if (connection != null) {
                connection.open = false;
            }
            listener = null;
            handlers.clear();
        }
        if (bc != null) {
            net.time.executor().execute(bc::disconnect);
        }
        if (pendingConnect != null) {
            failLater(pendingConnect, errors.closed());
        }
        for (Pending p : pending) {
            failLater(p.future(), errors.closed());
        }
    }

    /**
     * Ends the connection of generation {@code gen} with {@code reason}.
     *
     * @param closeBrokerSide whether the broker still has to learn of it (a cut), as opposed to the broker having
     *     closed it
     * @return {@code true} if that connection was open
     */
    boolean lose(long gen, DisconnectReason reason, boolean closeBrokerSide) {
        List<Pending> pending;
        FakeBrokerClient bc;
        ConnectionListener l;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTED) {
                return false;
            }
            state = State.IDLE;
            pending = window.drain();
            bc = brokerClient;
            brokerClient = null;
            if (connection != null) {
                connection.open = false;
            }
            l = listener;
            listener = null;
            handlers.clear();
        }
        if (closeBrokerSide && bc != null) {
            net.time.executor().execute(bc::disconnect);
        }
        for (Pending p : pending) {
            failLater(p.future(), errors.lostBeforePuback(p.publish().topic(), reason));
        }
        if (l != null) {
            ConnectionListener listenerToCall = l;
            net.time.executor().execute(() -> {
                try {
                    listenerToCall.onConnectionLost(reason);
                } catch (RuntimeException e) {
                    net.callbackFailed(e);
                }
            });
        }
        return true;
    }

    private void inbound(long gen, FakeLocalBroker.Delivery d) {
        List<InboundPublishHandler> matching;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTED) {
                return;
            }
            matching = handlers.matching(d.topic());
            if (connection != null) {
                connection.countDelivery(d.topic());
            }
        }
        InboundHandlers.deliver(matching, d, net::callbackFailed);
    }

    /** What the broker tells this client about the connection of one generation. */
    private final class Side implements FakeLocalBroker.ConnectionSide {
        private final long gen;

        Side(long gen) {
            this.gen = gen;
        }

        @Override
        public void deliver(FakeLocalBroker.Delivery delivery) {
            synchronized (lock) {
                if (gen != generation || state != State.CONNECTED || connection == null) {
                    return;
                }
                if (connection.drops(delivery.topic())) {
                    connection.countDelivery(delivery.topic());
                    return;
                }
                Duration delay = connection.delay();
                Runnable task = () -> inbound(gen, delivery);
                if (delay.isZero()) {
                    net.time.executor().execute(task);
                } else {
                    net.time.scheduler().schedule(task, delay);
                }
            }
        }

        @Override
        public void closedByBroker(int reasonCode, String reasonString) {
            lose(gen, new DisconnectReason(Cause.BROKER_DISCONNECT, reasonCode, reasonString), false);
        }
    }

    private <T> CompletableFuture<T> failLater(CompletableFuture<T> f, Throwable t) {
        net.time.executor().execute(() -> f.completeExceptionally(t));
        return f;
    }

    private <T> void completeLater(CompletableFuture<T> f, T value) {
        net.time.executor().execute(() -> f.complete(value));
    }

    private String target() {
        return errors.target();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryLinkClient{" + options.clientId() + " -> " + target() + ", " + state + '}';
        }
    }
}
