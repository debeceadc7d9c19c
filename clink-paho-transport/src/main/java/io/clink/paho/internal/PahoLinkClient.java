package io.clink.paho.internal;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LinkClient} over Paho's asynchronous MQTT v5 client.
 *
 * <p>Model. Every {@link #connect} creates a fresh {@link Session}: one Paho client, one network module, one
 * CONNACK's facts, one in-flight window and the subscriptions made on it. A session moves CONNECTING -> CONNECTED
 * -> DOWN, or CONNECTING -> DOWN, and never back; the client points at its latest session. Paho callbacks carry
 * their session, so a late callback from an old session (a connect that timed out, a connection already reported
 * lost) finds it DOWN and does nothing. Paho's own reconnect is off; nothing here retries.
 *
 * <p>Invariants, all guarded by {@code lock}: a CONNECTED session has a CONNACK; every publish future of a session
 * is either queued, in flight, or complete; {@code inflight.size() <= window}; a session's listener is called at
 * most once, and only for a session that reached CONNECTED; after {@link #close()} no session is CONNECTING or
 * CONNECTED.
 *
 * <p>Concurrency. One lock per client guards state changes; it is never held while calling Paho, completing a
 * future or calling user code. Publishes are handed to Paho by one drainer at a time (the {@code draining} flag),
 * which keeps the caller's order on the wire even when acknowledgements on Paho's thread and new publishes on the
 * caller's thread both drain the queue. Tearing a Paho client down can block, so it runs on the shared teardown
 * executor; {@link #close()} waits for it at most {@link #CLOSE_WAIT_MILLIS}.
 */
public final class PahoLinkClient implements LinkClient {

    private static final Logger LOG = LoggerFactory.getLogger(PahoLinkClient.class);

    /** How long close() waits for the DISCONNECT to be written before it returns anyway. */
    static final long CLOSE_WAIT_MILLIS = 700;
    /** How long Paho may take to write the DISCONNECT packet (a local socket write; Paho always waits the whole time). */
    private static final long DISCONNECT_FLUSH_MILLIS = 100;
    /** Delay before retrying a publish Paho refused because its own window was still full. */
    private static final long PAHO_WINDOW_RETRY_MILLIS = 5;

    private final LinkClientOptions options;
    private final ScheduledExecutorService timer;
    private final ExecutorService teardown;
    private final Object lock = new Object();
    private boolean closed; // guarded by lock
    private @Nullable Session session; // guarded by lock

    /**
     * Creates an unconnected client.
     *
     * @param options validated options
     * @param timer the transport's timer (connect timeouts, retries)
     * @param teardown the transport's executor for blocking Paho shutdowns
     */
    public PahoLinkClient(LinkClientOptions options, ScheduledExecutorService timer, ExecutorService teardown) {
        this.options = Objects.requireNonNull(options, "options");
        this.timer = timer;
        this.teardown = teardown;
    }

    private enum State {
        CONNECTING,
        CONNECTED,
        DOWN
    }

    @Override
    public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        Session s;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (session != null && session.state != State.DOWN) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.ILLEGAL_STATE,
                        "connect called while " + session.state.name().toLowerCase(java.util.Locale.ROOT) + " ("
                                + describeTarget() + ")",
                        null,
                        null));
            }
            s = new Session(listener);
            session = s;
        }
        s.start();
        return s.connectFuture;
    }

    @Override
    public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
        Objects.requireNonNull(publish, "publish");
        CompletableFuture<PublishResult> future = new CompletableFuture<>();
        Session s;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            s = session;
            if (s == null || s.state != State.CONNECTED) {
                return CompletableFuture.failedFuture(notConnected("publish to '" + publish.topic() + "'", s));
            }
            long size = PublishSizes.encodedSize(publish, s.topicAliasPossible);
            if (size > s.maximumPacketSize) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.PACKET_TOO_LARGE,
                        "publish to '" + publish.topic() + "' is " + size
                                + " bytes, larger than the peer's Maximum-Packet-Size" + " of " + s.maximumPacketSize
                                + " bytes; not sent",
                        null,
                        null));
            }
            s.queue.add(new PendingPublish(publish, future));
        }
        s.drain();
        return future;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        if (qos < 0 || qos > 2) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("qos must be 0, 1 or 2: " + qos));
        }
        Session s;
        Subscription sub;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            s = session;
            if (s == null || s.state != State.CONNECTED) {
                return CompletableFuture.failedFuture(notConnected("subscribe to '" + filter + "'", s));
            }
            int id = s.subscriptionIdsAvailable ? s.nextSubscriptionId++ : 0;
            sub = new Subscription(filter, id, handler);
            s.subscriptions.add(sub);
        }
        return s.subscribe(sub, qos);
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return !closed && session != null && session.state == State.CONNECTED;
        }
    }

    @Override
    public void close() {
        Session s;
        State previous;
        List<CompletableFuture<?>> toFail;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            if (s == null) {
                return;
            }
            previous = s.state;
            toFail = s.goDownLocked();
        }
        LinkTransportException closedError = closedException();
        for (CompletableFuture<?> f : toFail) {
            f.completeExceptionally(closedError);
        }
        if (previous == State.CONNECTED) {
            Future<?> done = s.teardownAsync(true);
            try {
                done.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.debug(
                        "link client {}: DISCONNECT not flushed within {} ms; closing anyway",
                        options.clientId(),
                        CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debug("link client {}: teardown failed", options.clientId(), e.getCause());
            }
        } else if (previous == State.CONNECTING) {
            // Break a stalled TCP connect or TLS handshake now; Paho's own shutdown follows in the background.
            s.module.stop();
            s.teardownAsync(false);
        }
    }

    private String describeTarget() {
        return options.clientId() + " -> " + options.host() + ":" + options.port();
    }

    private LinkTransportException closedException() {
        return new LinkTransportException(Kind.CLOSED, "link client " + describeTarget() + " is closed", null, null);
    }

    private LinkTransportException notConnected(String what, @Nullable Session s) {
        DisconnectReason reason = s == null ? null : s.downReason;
        return new LinkTransportException(
                Kind.NOT_CONNECTED,
                what + " failed: not connected (" + describeTarget() + (reason == null ? "" : ", " + reason) + ")",
                reason,
                null);
    }

    private record PendingPublish(OutgoingPublish publish, CompletableFuture<PublishResult> future) {}

    private record Subscription(String filter, int id, InboundPublishHandler handler) {}

    /** One connect attempt and, if it succeeds, the connection it made. */
    private final class Session implements MqttCallback {
        final ConnectionListener listener;
        final CompletableFuture<ConnectResult> connectFuture = new CompletableFuture<>();
        final LinkNetworkModule module;
        // Set once in start(); volatile because close() on another thread may race with start().
        volatile @Nullable LinkMqttAsyncClient paho;
        volatile @Nullable ScheduledFuture<?> connectTimeout;

        // All below guarded by lock.
        State state = State.CONNECTING;

        @Nullable
        DisconnectReason downReason;

        long maximumPacketSize = ConnectResult.UNLIMITED;
        boolean topicAliasPossible;
        boolean subscriptionIdsAvailable;
        int window = 1;
        int nextSubscriptionId = 1;
        boolean draining;
        boolean pahoWindowFull;
        final ArrayDeque<PendingPublish> queue = new ArrayDeque<>();
        final Set<PendingPublish> inflight = new LinkedHashSet<>();
        final Set<CompletableFuture<Integer>> pendingSubscribes = new LinkedHashSet<>();
        // Read by Paho's callback thread without the lock.
        final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

        Session(ConnectionListener listener) {
            this.listener = listener;
            long timeoutMillis = Math.max(1, options.connectTimeout().toMillis());
            this.module = new LinkNetworkModule(
                    options.host(),
                    options.port(),
                    (int) Math.min(Integer.MAX_VALUE, timeoutMillis),
                    options.tls().orElse(null));
        }

        void start() {
            try {
                LinkMqttAsyncClient client =
                        new LinkMqttAsyncClient(options.host(), options.port(), options.clientId(), module);
                client.setCallback(this);
                paho = client;
                synchronized (lock) {
                    if (state != State.CONNECTING) {
                        // close() won the race before Paho started: nothing to stop but the unused client.
                        teardownAsync(false);
                        return;
                    }
                }
                connectTimeout = timer.schedule(
                        this::onConnectTimeout, options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
                client.connect(pahoOptions(), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        onConnected(token);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        onConnectFailed(ReasonClassifier.connectFailure(failure), failure);
                    }
                });
            } catch (MqttException | RuntimeException e) {
                onConnectFailed(ReasonClassifier.connectFailure(e), e);
            }
        }

        private MqttConnectionOptions pahoOptions() {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(options.cleanStart());
            if (options.sessionExpiryIntervalSeconds() > 0) {
                o.setSessionExpiryInterval(options.sessionExpiryIntervalSeconds());
            }
            o.setKeepAliveInterval((int) options.keepAlive().getSeconds());
            // Paho's own timeout only bounds its socket modules, which are not used; ours is the scheduled one.
            o.setConnectionTimeout((int) Math.max(1, (options.connectTimeout().toMillis() + 999) / 1000));
            o.setAutomaticReconnect(false);
            // Subscription identifiers are assigned here, not by Paho (whose automatic assignment never sends them).
            o.setUseSubscriptionIdentifiers(false);
            options.username().ifPresent(o::setUserName);
            options.password().ifPresent(o::setPassword);
            return o;
        }

        private void onConnected(IMqttToken token) {
            MqttProperties props = token.getResponseProperties();
            Long maxPacket = props == null ? null : props.getMaximumPacketSize();
            Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
            Integer aliasMaximum = props == null ? null : props.getTopicAliasMaximum();
            boolean subIds = props == null || props.isSubscriptionIdentifiersAvailable();
            long maximum = maxPacket == null || maxPacket <= 0 ? ConnectResult.UNLIMITED : maxPacket;
            ConnectResult result = new ConnectResult(maximum, token.getSessionPresent());
            synchronized (lock) {
                if (state != State.CONNECTING) {
                    // Timed out or closed while the CONNACK was on its way: the caller already has its answer.
                    teardownAsync(false);
                    return;
                }
                state = State.CONNECTED;
                maximumPacketSize = maximum;
                topicAliasPossible = aliasMaximum != null && aliasMaximum > 0;
                subscriptionIdsAvailable = subIds;
                window = Math.max(1, Math.min(options.maxInflight(), receiveMaximum == null ? 65_535 : receiveMaximum));
            }
            cancelTimeout();
            LOG.info(
                    "link client {} connected (maximum packet size {}, in-flight window {})",
                    describeTarget(),
                    maximum,
                    window);
            connectFuture.complete(result);
        }

        private void onConnectTimeout() {
            onConnectFailed(
                    new DisconnectReason(
                            Cause.CONNECT_TIMEOUT,
                            DisconnectReason.NO_REASON_CODE,
                            "no CONNACK within " + options.connectTimeout().toMillis() + " ms"),
                    null);
        }

        private void onConnectFailed(DisconnectReason reason, @Nullable Throwable failure) {
            synchronized (lock) {
                if (state != State.CONNECTING) {
                    return;
                }
                state = State.DOWN;
                downReason = reason;
            }
            cancelTimeout();
            // No automatic retry: the engine owns backoff, so a refused connect costs the peer exactly one attempt.
            module.stop();
            teardownAsync(false);
            LOG.info("link client {} could not connect: {}", describeTarget(), reason);
            connectFuture.completeExceptionally(new LinkTransportException(
                    Kind.CONNECT_FAILED, "connect " + describeTarget() + " failed: " + reason, reason, failure));
        }

        private void cancelTimeout() {
            ScheduledFuture<?> t = connectTimeout;
            if (t != null) {
                t.cancel(false);
            }
        }

        /** Moves to DOWN and returns every future still waiting; the caller completes them. Holds lock. */
        List<CompletableFuture<?>> goDownLocked() {
            List<CompletableFuture<?>> waiting = new ArrayList<>();
            if (state == State.CONNECTING) {
                waiting.add(connectFuture);
            }
            state = State.DOWN;
            for (PendingPublish p : inflight) {
                waiting.add(p.future());
            }
            for (PendingPublish p : queue) {
                waiting.add(p.future());
            }
            inflight.clear();
            queue.clear();
            waiting.addAll(pendingSubscribes);
            pendingSubscribes.clear();
            return waiting;
        }

        Future<?> teardownAsync(boolean sendDisconnect) {
            LinkMqttAsyncClient client = paho;
            if (client == null) {
                return CompletableFuture.completedFuture(null);
            }
            try {
                return teardown.submit(() -> {
                    try {
                        client.disconnectForcibly(0, sendDisconnect ? DISCONNECT_FLUSH_MILLIS : 0, sendDisconnect);
                    } catch (MqttException | RuntimeException e) {
                        LOG.debug("link client {}: Paho disconnect: {}", describeTarget(), e.toString());
                    } finally {
                        module.stop();
                    }
                    try {
                        client.close(true);
                    } catch (MqttException | RuntimeException e) {
                        LOG.debug("link client {}: Paho close: {}", describeTarget(), e.toString());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The transport is closed: release the socket at least.
                module.stop();
                return CompletableFuture.completedFuture(null);
            }
        }

        // ---- publishing

        void drain() {
            synchronized (lock) {
                if (draining) {
                    return;
                }
                draining = true;
            }
            while (true) {
                PendingPublish next;
                LinkMqttAsyncClient client = paho;
                synchronized (lock) {
                    if (state != State.CONNECTED
                            || queue.isEmpty()
                            || inflight.size() >= window
                            || pahoWindowFull
                            || client == null) {
                        draining = false;
                        return;
                    }
                    next = queue.poll();
                    inflight.add(next);
                }
                send(client, next);
            }
        }

        private void send(LinkMqttAsyncClient client, PendingPublish p) {
            OutgoingPublish out = p.publish();
            MqttProperties props = new MqttProperties();
            if (out.responseTopic() != null) {
                props.setResponseTopic(out.responseTopic());
            }
            if (out.correlationData() != null) {
                props.setCorrelationData(out.correlationData());
            }
            MqttMessage message = new MqttMessage(out.payload(), out.qos(), out.retain(), props);
            try {
                client.publish(out.topic(), message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] codes = token.getReasonCodes();
                        int code = out.qos() == 0 || codes == null || codes.length == 0 ? 0 : codes[0];
                        finishPublish(p, new PublishResult(code & 0xFF), null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        finishPublish(p, null, failure);
                    }
                });
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    // Paho frees a slot of its window slightly after reporting a QoS 0 publish done: retry shortly.
                    synchronized (lock) {
                        if (inflight.remove(p)) {
                            queue.addFirst(p);
                            pahoWindowFull = true;
                        }
                    }
                    timer.schedule(
                            () -> {
                                synchronized (lock) {
                                    pahoWindowFull = false;
                                }
                                drain();
                            },
                            PAHO_WINDOW_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                } else {
                    finishPublish(p, null, e);
                }
            } catch (RuntimeException e) {
                finishPublish(p, null, e);
            }
        }

        private void finishPublish(PendingPublish p, @Nullable PublishResult result, @Nullable Throwable failure) {
            DisconnectReason reason;
            synchronized (lock) {
                if (!inflight.remove(p)) {
                    return; // already failed by a connection loss or close
                }
                reason = downReason;
            }
            if (result != null) {
                p.future().complete(result);
            } else {
                p.future()
                        .completeExceptionally(new LinkTransportException(
                                Kind.NOT_CONNECTED,
                                "publish to '" + p.publish().topic() + "' not acknowledged: "
                                        + (reason != null ? reason.toString() : String.valueOf(failure)),
                                reason,
                                failure));
            }
            drain();
        }

        // ---- subscribing

        CompletableFuture<Integer> subscribe(Subscription sub, int qos) {
            CompletableFuture<Integer> future = new CompletableFuture<>();
            synchronized (lock) {
                pendingSubscribes.add(future);
            }
            MqttProperties props = new MqttProperties();
            if (sub.id() > 0) {
                props.setSubscriptionIdentifier(sub.id());
            }
            LinkMqttAsyncClient client = Objects.requireNonNull(paho);
            try {
                client.subscribe(
                        new MqttSubscription[] {new MqttSubscription(sub.filter(), qos)},
                        null,
                        new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                int[] codes = token.getReasonCodes();
                                int code = codes == null || codes.length == 0 ? qos : codes[0];
                                finishSubscribe(sub, future, code, null);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable failure) {
                                int code = failure instanceof MqttException
                                        ? ((MqttException) failure).getReasonCode()
                                        : -1;
                                finishSubscribe(sub, future, code >= 0x80 && code <= 0xFF ? code : -1, failure);
                            }
                        },
                        (IMqttMessageListener[]) null,
                        props);
            } catch (MqttException | RuntimeException e) {
                finishSubscribe(sub, future, -1, e);
            }
            return future;
        }

        private void finishSubscribe(
                Subscription sub, CompletableFuture<Integer> future, int code, @Nullable Throwable failure) {
            DisconnectReason down;
            synchronized (lock) {
                if (!pendingSubscribes.remove(future)) {
                    return;
                }
                down = downReason;
            }
            if (code >= 0 && code < 0x80) {
                future.complete(code);
                return;
            }
            subscriptions.remove(sub);
            if (code >= 0x80) {
                // DisconnectReason has no "refused operation" cause; CONNECT_REFUSED is the nearest and the message
                // says
                // what was refused.
                DisconnectReason reason = new DisconnectReason(
                        Cause.CONNECT_REFUSED,
                        code,
                        "subscription to '" + sub.filter() + "' refused: " + ReasonClassifier.reasonName(code));
                future.completeExceptionally(new LinkTransportException(
                        Kind.REFUSED, "SUBACK refused '" + sub.filter() + "' with " + reason, reason, failure));
            } else {
                future.completeExceptionally(new LinkTransportException(
                        Kind.NOT_CONNECTED,
                        "subscribe to '" + sub.filter() + "' not acknowledged: "
                                + (down != null ? down.toString() : String.valueOf(failure)),
                        down,
                        failure));
            }
        }

        // ---- Paho callbacks (Paho's threads)

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            MqttException failure = response.getException();
            DisconnectReason reason = failure == null
                    ? ReasonClassifier.brokerDisconnect(response.getReturnCode(), response.getReasonString())
                    : ReasonClassifier.connectionLost(failure);
            List<CompletableFuture<?>> toFail;
            synchronized (lock) {
                if (state == State.CONNECTING) {
                    toFail = null;
                } else if (state == State.CONNECTED) {
                    downReason = reason;
                    toFail = goDownLocked();
                } else {
                    return;
                }
            }
            if (toFail == null) {
                onConnectFailed(reason, failure);
                return;
            }
            LOG.warn("link connection {} lost: {}", describeTarget(), reason);
            teardownAsync(false);
            try {
                listener.onConnectionLost(reason);
            } catch (RuntimeException | AssertionError | LinkageError e) {
                LOG.error("link client {}: connection listener threw", describeTarget(), e);
            }
            LinkTransportException lost = new LinkTransportException(
                    Kind.NOT_CONNECTED,
                    "connection " + describeTarget() + " lost before the acknowledgement: " + reason,
                    reason,
                    failure);
            for (CompletableFuture<?> f : toFail) {
                f.completeExceptionally(lost);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("link client {}: MQTT error: {}", describeTarget(), exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttProperties props = message.getProperties();
            List<Integer> ids = props == null ? List.of() : props.getSubscriptionIdentifiers();
            boolean first = true;
            for (Subscription sub : subscriptions) {
                // With subscription identifiers the broker says which subscriptions matched; without, match filters
                // here.
                boolean matches =
                        ids.isEmpty() ? MqttTopicValidator.isMatched(sub.filter(), topic) : ids.contains(sub.id());
                if (!matches) {
                    continue;
                }
                byte[] payload =
                        first ? message.getPayload() : message.getPayload().clone();
                byte @Nullable [] correlation = props == null ? null : props.getCorrelationData();
                if (correlation != null && !first) {
                    correlation = correlation.clone();
                }
                first = false;
                // NullAway does not read the type-use nullness of an array component from clink-api's class files.
                @SuppressWarnings("NullAway")
                InboundPublish inbound = new InboundPublish(
                        topic,
                        payload,
                        message.getQos(),
                        message.isRetained(),
                        props == null ? null : props.getResponseTopic(),
                        correlation);
                try {
                    sub.handler().onPublish(inbound);
                } catch (RuntimeException | AssertionError | LinkageError e) {
                    // Caught here because Paho drops the whole connection when a callback throws an Error.
                    LOG.error(
                            "link client {}: handler of '{}' threw on a message to '{}'",
                            describeTarget(),
                            sub.filter(),
                            topic,
                            e);
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Completion is handled per publish by its action listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // Handled by the connect action listener.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            LOG.warn("link client {}: unexpected AUTH packet (reason code {}) ignored", describeTarget(), reasonCode);
        }
    }
}
