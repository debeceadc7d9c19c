package io.clink.paho.internal;

import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.ConnectionListener;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.paho.internal.PahoSession.State;
import io.clink.paho.internal.SessionPublisher.PendingPublish;
import io.clink.paho.internal.SessionSubscriptions.Subscription;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LinkClient} over Paho's asynchronous MQTT v5 client.
 *
 * <p>Model. Every {@link #connect} creates a fresh {@link PahoSession}: one Paho client, one network module, one
 * CONNACK's facts, one in-flight window ({@link SessionPublisher}) and the subscriptions made on it ({@link
 * SessionSubscriptions}). A session moves CONNECTING -> CONNECTED -> DOWN, or CONNECTING -> DOWN, and never back; the
 * client points at its latest session. Paho callbacks carry their session, so a late callback from an old session (a
 * connect that timed out, a connection already reported lost) finds it DOWN and does nothing. Paho's own reconnect is
 * off; nothing here retries.
 *
 * <p>Invariants, all guarded by {@code lock}: a CONNECTED session has a CONNACK; every publish future of a session
 * is either queued, in flight, or complete; {@code inflight.size() <= window}; a session's listener is called at
 * most once, and only for a session that reached CONNECTED; after {@link #close()} no session is CONNECTING or
 * CONNECTED.
 *
 * <p>Concurrency. One lock per client, shared by its sessions and their parts, guards state changes; it is never held while calling Paho, completing a
 * future or calling user code. Publishes are handed to Paho by one drainer at a time (the {@code draining} flag),
 * which keeps the caller's order on the wire even when acknowledgements on Paho's thread and new publishes on the
 * caller's thread both drain the queue. Tearing a Paho client down can block, so it runs on the shared teardown
 * executor; {@link #close()} waits for it at most {@link #CLOSE_WAIT_MILLIS}.
 */
public final class PahoLinkClient implements LinkClient {

    private static final Logger LOG = LoggerFactory.getLogger(PahoLinkClient.class);

    /** How long close() waits for the DISCONNECT to be written before it returns anyway. */
    static final long CLOSE_WAIT_MILLIS = 700;

    private final LinkClientOptions options;
    private final ScheduledExecutorService timer;
    private final ExecutorService teardown;
    private final Object lock = new Object();
    private boolean closed; // guarded by lock
    private @Nullable PahoSession session; // guarded by lock

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

    @Override
    public CompletableFuture<ConnectResult> connect(ConnectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        PahoSession s;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            PahoSession current = session;
            if (current != null && current.stateLocked() != State.DOWN) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.ILLEGAL_STATE,
                        "connect called while " + current.stateLocked().name().toLowerCase(Locale.ROOT) + " ("
                                + describeTarget() + ")",
                        null,
                        null));
            }
            s = new PahoSession(options, timer, teardown, lock, describeTarget(), listener);
            session = s;
        }
        s.start();
        return s.connectFuture;
    }

    @Override
    public CompletableFuture<PublishResult> publish(OutgoingPublish publish) {
        Objects.requireNonNull(publish, "publish");
        CompletableFuture<PublishResult> future = new CompletableFuture<>();
        PahoSession s;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            s = session;
            if (s == null || !s.isConnectedLocked()) {
                return CompletableFuture.failedFuture(notConnected("publish to '" + publish.topic() + "'", s));
            }
            long size = PublishSizes.encodedSize(publish, s.topicAliasPossibleLocked());
            long maximumPacketSize = s.maximumPacketSizeLocked();
            if (size > maximumPacketSize) {
                return CompletableFuture.failedFuture(new LinkTransportException(
                        Kind.PACKET_TOO_LARGE,
                        "publish to '" + publish.topic() + "' is " + size
                                + " bytes, larger than the peer's Maximum-Packet-Size" + " of " + maximumPacketSize
                                + " bytes; not sent",
                        null,
                        null));
            }
            s.publisher.enqueueLocked(new PendingPublish(publish, future));
        }
        s.publisher.drain();
        return future;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, InboundPublishHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        if (qos < 0 || qos > 2) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("qos must be 0, 1 or 2: " + qos));
        }
        PahoSession s;
        Subscription sub;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            s = session;
            if (s == null || !s.isConnectedLocked()) {
                return CompletableFuture.failedFuture(notConnected("subscribe to '" + filter + "'", s));
            }
            sub = s.subscriptions.addLocked(filter, handler);
        }
        return s.subscriptions.subscribe(sub, qos);
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            PahoSession s = session;
            return !closed && s != null && s.isConnectedLocked();
        }
    }

    @Override
    public void close() {
        PahoSession s;
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
            previous = s.stateLocked();
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
            } catch (ExecutionException e) {
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

    /** Holds lock. */
    private LinkTransportException notConnected(String what, @Nullable PahoSession s) {
        DisconnectReason reason = s == null ? null : s.downReasonLocked();
        return new LinkTransportException(
                Kind.NOT_CONNECTED,
                what + " failed: not connected (" + describeTarget() + (reason == null ? "" : ", " + reason) + ")",
                reason,
                null);
    }
}
