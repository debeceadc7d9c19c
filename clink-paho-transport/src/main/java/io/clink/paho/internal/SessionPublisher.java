package io.clink.paho.internal;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * The publishing side of one {@link PahoSession}: a queue in the caller's order and an in-flight window the size the
 * CONNACK allows. Publishes are handed to Paho by one drainer at a time (the {@code draining} flag), which keeps the
 * caller's order on the wire even when acknowledgements on Paho's thread and new publishes on the caller's thread
 * both drain the queue. State is guarded by the session's lock, which is never held while calling Paho or completing
 * a future.
 */
final class SessionPublisher {
    /** Delay before retrying a publish Paho refused because its own window was still full. */
    private static final long PAHO_WINDOW_RETRY_MILLIS = 5;

    record PendingPublish(OutgoingPublish publish, CompletableFuture<PublishResult> future) {}

    private final PahoSession session;
    private final Object lock;
    private final ScheduledExecutorService timer;

    // All below guarded by lock.
    private int window = 1;
    private boolean draining;
    private boolean pahoWindowFull;
    private final ArrayDeque<PendingPublish> queue = new ArrayDeque<>();
    private final Set<PendingPublish> inflight = new LinkedHashSet<>();

    SessionPublisher(PahoSession session, Object lock, ScheduledExecutorService timer) {
        this.session = session;
        this.lock = lock;
        this.timer = timer;
    }

    /** Sets the in-flight window from the CONNACK. Holds lock. */
    void windowLocked(int window) {
        this.window = window;
    }

    /** Queues a publish behind the ones already queued; {@link #drain()} sends it. Holds lock. */
    void enqueueLocked(PendingPublish p) {
        queue.add(p);
    }

    /** Empties the window and the queue into {@code waiting}, in flight first; the caller fails them. Holds lock. */
    void abandonAllLocked(List<CompletableFuture<?>> waiting) {
        for (PendingPublish p : inflight) {
            waiting.add(p.future());
        }
        for (PendingPublish p : queue) {
            waiting.add(p.future());
        }
        inflight.clear();
        queue.clear();
    }

    void drain() {
        synchronized (lock) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            PendingPublish next;
            LinkMqttAsyncClient client = session.paho;
            synchronized (lock) {
                if (!session.isConnectedLocked()
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
                    finish(p, new PublishResult(code & 0xFF), null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    finish(p, null, failure);
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
                finish(p, null, e);
            }
        } catch (RuntimeException e) {
            finish(p, null, e);
        }
    }

    private void finish(PendingPublish p, @Nullable PublishResult result, @Nullable Throwable failure) {
        DisconnectReason reason;
        synchronized (lock) {
            if (!inflight.remove(p)) {
                return; // already failed by a connection loss or close
            }
            reason = session.downReasonLocked();
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
}
