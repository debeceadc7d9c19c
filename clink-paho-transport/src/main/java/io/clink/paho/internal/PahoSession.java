package io.clink.paho.internal;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connect attempt of a {@link PahoLinkClient} and, if it succeeds, the connection it made: one Paho client, one
 * network module, one CONNACK's facts, and its {@link SessionPublisher publishing} and {@link SessionSubscriptions
 * subscribing} sides. Moves CONNECTING -> CONNECTED -> DOWN, or CONNECTING -> DOWN, and never back. Paho callbacks
 * carry their session, so a late callback (a connect that timed out, a connection already reported lost) finds it
 * DOWN and does nothing. Paho's own reconnect is off; nothing here retries.
 *
 * <p>State is guarded by the client's lock, shared by the session's parts and never held while calling Paho,
 * completing a future or calling user code. Tearing a Paho client down can block, so it runs on the transport's
 * teardown executor.
 */
final class PahoSession implements MqttCallback {
    // The client's logger, so that logging configured for PahoLinkClient keeps covering its sessions.
    private static final Logger LOG = LoggerFactory.getLogger(PahoLinkClient.class);

    /** How long Paho may take to write the DISCONNECT packet (a local socket write; Paho always waits the whole time). */
    private static final long DISCONNECT_FLUSH_MILLIS = 100;

    enum State {
        CONNECTING,
        CONNECTED,
        DOWN
    }

    final CompletableFuture<ConnectResult> connectFuture = new CompletableFuture<>();
    final LinkNetworkModule module;
    final SessionPublisher publisher;
    final SessionSubscriptions subscriptions;
    // Set once in start(); volatile because close() on another thread may race with start().
    volatile @Nullable LinkMqttAsyncClient paho;

    private final LinkClientOptions options;
    private final ScheduledExecutorService timer;
    private final ExecutorService teardown;
    private final Object lock;
    private final String target;
    private final ConnectionListener listener;
    private volatile @Nullable ScheduledFuture<?> connectTimeout;

    // All below guarded by lock.
    private State state = State.CONNECTING;
    private @Nullable DisconnectReason downReason;
    private long maximumPacketSize = ConnectResult.UNLIMITED;
    private boolean topicAliasPossible;

    PahoSession(
            LinkClientOptions options,
            ScheduledExecutorService timer,
            ExecutorService teardown,
            Object lock,
            String target,
            ConnectionListener listener) {
        this.options = options;
        this.timer = timer;
        this.teardown = teardown;
        this.lock = lock;
        this.target = target;
        this.listener = listener;
        long timeoutMillis = Math.max(1, options.connectTimeout().toMillis());
        this.module = new LinkNetworkModule(
                options.host(),
                options.port(),
                (int) Math.min(Integer.MAX_VALUE, timeoutMillis),
                options.tls().orElse(null),
                options.tcpOptions());
        this.publisher = new SessionPublisher(this, lock, timer);
        this.subscriptions = new SessionSubscriptions(this, lock, target);
    }

    /** Holds lock. */
    State stateLocked() {
        return state;
    }

    /** Holds lock. */
    boolean isConnectedLocked() {
        return state == State.CONNECTED;
    }

    /** Why the session went down, or null while it is not down (or went down by close()). Holds lock. */
    @Nullable
    DisconnectReason downReasonLocked() {
        return downReason;
    }

    /** The peer's Maximum-Packet-Size from the CONNACK. Holds lock. */
    long maximumPacketSizeLocked() {
        return maximumPacketSize;
    }

    /** Whether the peer allows topic aliases, which makes a PUBLISH one property larger at most. Holds lock. */
    boolean topicAliasPossibleLocked() {
        return topicAliasPossible;
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
            client.connect(pahoOptions(options), null, new MqttActionListener() {
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

    private static MqttConnectionOptions pahoOptions(LinkClientOptions options) {
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
        int window = Math.max(1, Math.min(options.maxInflight(), receiveMaximum == null ? 65_535 : receiveMaximum));
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
            subscriptions.identifiersAvailableLocked(subIds);
            publisher.windowLocked(window);
        }
        cancelTimeout();
        LOG.info("link client {} connected (maximum packet size {}, in-flight window {})", target, maximum, window);
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
        LOG.info("link client {} could not connect: {}", target, reason);
        connectFuture.completeExceptionally(new LinkTransportException(
                Kind.CONNECT_FAILED, "connect " + target + " failed: " + reason, reason, failure));
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
        publisher.abandonAllLocked(waiting);
        subscriptions.abandonAllLocked(waiting);
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
                    LOG.debug("link client {}: Paho disconnect: {}", target, e.toString());
                } finally {
                    module.stop();
                }
                try {
                    client.close(true);
                } catch (MqttException | RuntimeException e) {
                    LOG.debug("link client {}: Paho close: {}", target, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // The transport is closed: release the socket at least.
            module.stop();
            return CompletableFuture.completedFuture(null);
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
        LOG.warn("link connection {} lost: {}", target, reason);
        teardownAsync(false);
        try {
            listener.onConnectionLost(reason);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            LOG.error("link client {}: connection listener threw", target, e);
        }
        LinkTransportException lost = new LinkTransportException(
                Kind.NOT_CONNECTED,
                "connection " + target + " lost before the acknowledgement: " + reason,
                reason,
                failure);
        for (CompletableFuture<?> f : toFail) {
            f.completeExceptionally(lost);
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("link client {}: MQTT error: {}", target, exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        subscriptions.dispatch(topic, message);
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
        LOG.warn("link client {}: unexpected AUTH packet (reason code {}) ignored", target, reasonCode);
    }
}
