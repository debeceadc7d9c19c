package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LocalBroker} that records what clink asks of it: deliveries, replies and disconnects. On its own it has no
 * subscriptions and no clients (for engine unit tests); {@link #wrapping} puts it in front of a real adapter, which
 * then gets every call after it is recorded (for integration tests that tell a loss inside the broker from a loss on
 * the link).
 *
 * <p>It can be told to fail, as a faulty adapter might: {@link #failDeliveriesWith} throws from {@link #deliver}
 * instead of recording, {@link #failDisconnectsWith} throws from {@link #disconnect} after recording. Thread-safe; the
 * accessors return snapshots. {@link #keepDeliveries(boolean)} off keeps a flood from filling the heap while
 * {@link #onDeliver} still sees every message.
 *
 * @since 0.1.0
 */
public final class RecordingBroker implements LocalBroker {

    /**
     * A {@link #reply} clink asked for.
     *
     * @param connection the link connection the reply is for
     * @param message the reply
     * @since 0.1.0
     */
    public record Reply(LinkConnection connection, MqttMessage message) {}

    /**
     * A {@link #disconnect} clink asked for.
     *
     * @param connection the connection to close
     * @param reasonCode the MQTT 5 reason code of the DISCONNECT
     * @param reasonString the reason string
     * @since 0.1.0
     */
    public record Disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        /**
         * The connection id and the reason code in hexadecimal, for compact assertions.
         *
         * @return for example {@code "conn-1 0x83"}
         */
        public String summary() {
            return connection.connectionId() + " 0x" + Integer.toHexString(reasonCode);
        }
    }

    private final @Nullable LocalBroker delegate;
    private final List<MqttMessage> delivered = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private final List<Disconnect> disconnects = new ArrayList<>();
    private volatile Consumer<? super MqttMessage> onDeliver = m -> {};
    private volatile Consumer<? super LinkConnection> onDisconnect = c -> {};
    private volatile @Nullable RuntimeException deliverFailure;
    private volatile @Nullable RuntimeException disconnectFailure;
    private volatile boolean keepDeliveries = true;

    /** A broker with no subscriptions that only records. */
    public RecordingBroker() {
        this.delegate = null;
    }

    private RecordingBroker(LocalBroker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * A recorder in front of {@code delegate}: every call is recorded, then passed on.
     *
     * @param delegate the real adapter, not null
     * @return the recorder
     */
    public static RecordingBroker wrapping(LocalBroker delegate) {
        return new RecordingBroker(delegate);
    }

    /**
     * Sees every delivered message, on clink's thread, after it is recorded and before it is passed on.
     *
     * @param listener not null; must not block
     * @return this
     */
    public RecordingBroker onDeliver(Consumer<? super MqttMessage> listener) {
        this.onDeliver = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Runs inside {@link #disconnect}, after recording, as an adapter that closes at once and reports the close
     * synchronously would.
     *
     * @param action not null
     * @return this
     */
    public RecordingBroker onDisconnect(Consumer<? super LinkConnection> action) {
        this.onDisconnect = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Whether delivered messages are kept for {@link #delivered()} (the default); off for floods.
     *
     * @param keep whether to keep them
     * @return this
     */
    public RecordingBroker keepDeliveries(boolean keep) {
        this.keepDeliveries = keep;
        return this;
    }

    /**
     * Makes every later {@link #deliver} throw {@code failure} without recording, or with null, work again.
     *
     * @param failure what to throw, or null
     */
    public void failDeliveriesWith(@Nullable RuntimeException failure) {
        this.deliverFailure = failure;
    }

    /**
     * Makes every later {@link #disconnect} throw {@code failure} after recording (and after the
     * {@link #onDisconnect} action), or with null, work again.
     *
     * @param failure what to throw, or null
     */
    public void failDisconnectsWith(@Nullable RuntimeException failure) {
        this.disconnectFailure = failure;
    }

    /**
     * The messages delivered so far, oldest first.
     *
     * @return a snapshot copy
     */
    public synchronized List<MqttMessage> delivered() {
        return List.copyOf(delivered);
    }

    /**
     * The replies asked for so far, oldest first.
     *
     * @return a snapshot copy
     */
    public synchronized List<Reply> replies() {
        return List.copyOf(replies);
    }

    /**
     * The disconnects asked for so far, oldest first.
     *
     * @return a snapshot copy
     */
    public synchronized List<Disconnect> disconnects() {
        return List.copyOf(disconnects);
    }

    /** Forgets everything recorded so far. */
    public synchronized void clear() {
        delivered.clear();
        replies.clear();
        disconnects.clear();
    }

    @Override
    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
        LocalBroker d = delegate;
        if (d != null) {
            d.forEachSubscription(action);
        }
    }

    @Override
    public void deliver(MqttMessage message) {
        RuntimeException f = deliverFailure;
        if (f != null) {
            throw f;
        }
        if (keepDeliveries) {
            synchronized (this) {
                delivered.add(message);
            }
        }
        onDeliver.accept(message);
        LocalBroker d = delegate;
        if (d != null) {
            d.deliver(message);
        }
    }

    @Override
    public void reply(LinkConnection connection, MqttMessage reply) {
        synchronized (this) {
            replies.add(new Reply(connection, reply));
        }
        LocalBroker d = delegate;
        if (d != null) {
            d.reply(connection, reply);
        }
    }

    @Override
    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
        synchronized (this) {
            disconnects.add(new Disconnect(connection, reasonCode, reasonString));
        }
        onDisconnect.accept(connection);
        RuntimeException f = disconnectFailure;
        if (f != null) {
            throw f;
        }
        LocalBroker d = delegate;
        if (d != null) {
            d.disconnect(connection, reasonCode, reasonString);
        }
    }

    @Override
    public void attach(ClusterLinkHooks hooks) {
        LocalBroker d = delegate;
        if (d != null) {
            d.attach(hooks);
        }
    }

    @Override
    public void detach() {
        LocalBroker d = delegate;
        if (d != null) {
            d.detach();
        }
    }

    @Override
    public synchronized String toString() {
        return "RecordingBroker{delivered=" + delivered.size() + ", replies=" + replies.size() + ", disconnects="
                + disconnects.size() + (delegate == null ? "" : ", in front of " + delegate) + '}';
    }
}
