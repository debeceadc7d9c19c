package io.clink.paho.internal;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.InboundPublishHandler;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions made on one {@link PahoSession}: SUBSCRIBE with a subscription identifier of clink's own (Paho's
 * automatic assignment never sends them), the SUBACK's verdict, and handing each arriving message to the handlers of
 * the subscriptions it matched. Bookkeeping is guarded by the session's lock, never held while calling Paho,
 * completing a future or calling a handler.
 */
final class SessionSubscriptions {
    // The client's logger, so that logging configured for PahoLinkClient keeps covering its subscriptions.
    private static final Logger LOG = LoggerFactory.getLogger(PahoLinkClient.class);

    record Subscription(String filter, int id, InboundPublishHandler handler) {}

    private final PahoSession session;
    private final Object lock;
    private final String target;

    // Guarded by lock.
    private boolean idsAvailable;
    private int nextId = 1;
    private final Set<CompletableFuture<Integer>> pending = new LinkedHashSet<>();
    // Read by Paho's callback thread without the lock.
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    SessionSubscriptions(PahoSession session, Object lock, String target) {
        this.session = session;
        this.lock = lock;
        this.target = target;
    }

    /** Whether the broker said it supports subscription identifiers (the CONNACK's default: yes). Holds lock. */
    void identifiersAvailableLocked(boolean available) {
        this.idsAvailable = available;
    }

    /** Registers a subscription before its SUBSCRIBE is sent, so no message to it can arrive unseen. Holds lock. */
    Subscription addLocked(String filter, InboundPublishHandler handler) {
        int id = idsAvailable ? nextId++ : 0;
        Subscription sub = new Subscription(filter, id, handler);
        subscriptions.add(sub);
        return sub;
    }

    /** Moves every SUBSCRIBE still waiting for its SUBACK into {@code waiting}; the caller fails them. Holds lock. */
    void abandonAllLocked(List<CompletableFuture<?>> waiting) {
        waiting.addAll(pending);
        pending.clear();
    }

    CompletableFuture<Integer> subscribe(Subscription sub, int qos) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        synchronized (lock) {
            pending.add(future);
        }
        MqttProperties props = new MqttProperties();
        if (sub.id() > 0) {
            props.setSubscriptionIdentifier(sub.id());
        }
        LinkMqttAsyncClient client = Objects.requireNonNull(session.paho);
        try {
            client.subscribe(
                    new MqttSubscription[] {new MqttSubscription(sub.filter(), qos)},
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            int[] codes = token.getReasonCodes();
                            int code = codes == null || codes.length == 0 ? qos : codes[0];
                            finish(sub, future, code, null);
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            int code =
                                    failure instanceof MqttException ? ((MqttException) failure).getReasonCode() : -1;
                            finish(sub, future, code >= 0x80 && code <= 0xFF ? code : -1, failure);
                        }
                    },
                    (IMqttMessageListener[]) null,
                    props);
        } catch (MqttException | RuntimeException e) {
            finish(sub, future, -1, e);
        }
        return future;
    }

    private void finish(Subscription sub, CompletableFuture<Integer> future, int code, @Nullable Throwable failure) {
        DisconnectReason down;
        synchronized (lock) {
            if (!pending.remove(future)) {
                return;
            }
            down = session.downReasonLocked();
        }
        if (code >= 0 && code < 0x80) {
            future.complete(code);
            return;
        }
        subscriptions.remove(sub);
        if (code >= 0x80) {
            // DisconnectReason has no "refused operation" cause; CONNECT_REFUSED is the nearest and the message says
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

    /** Hands an arriving message to each matching subscription's handler. Paho's callback thread. */
    void dispatch(String topic, MqttMessage message) {
        MqttProperties props = message.getProperties();
        List<Integer> ids = props == null ? List.of() : props.getSubscriptionIdentifiers();
        boolean first = true;
        for (Subscription sub : subscriptions) {
            // With subscription identifiers the broker says which subscriptions matched; without, match filters here.
            boolean matches =
                    ids.isEmpty() ? MqttTopicValidator.isMatched(sub.filter(), topic) : ids.contains(sub.id());
            if (!matches) {
                continue;
            }
            byte[] payload = first ? message.getPayload() : message.getPayload().clone();
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
                LOG.error("link client {}: handler of '{}' threw on a message to '{}'", target, sub.filter(), topic, e);
            }
        }
    }
}
