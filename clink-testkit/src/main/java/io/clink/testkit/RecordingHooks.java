package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link ClusterLinkHooks} that records every call, for tests of broker adapters (the {@link
 * LocalBrokerContract}) and of code that drives hooks. What {@link #onLinkPublish} returns, and anything it does
 * meanwhile (for example answering through {@link io.clink.api.broker.LocalBroker#reply}), is set with {@link
 * #onLinkPublish(LinkPublishHandler)}; {@link #throwing(boolean)} makes every method throw after recording, to
 * check that a broker survives a misbehaving hooks object.
 *
 * <p>Tests against a real broker, whose hooks run on its threads, wait with {@link #await}, {@link #awaitCount} and
 * {@link #waitFor} (bounded by a timeout, woken by each recorded call) and check what came before an event with
 * {@link #before}.
 *
 * <p>Thread-safe: the broker may call it from any thread; {@link #events()} returns consistent snapshots.
 *
 * @since 0.1.0
 */
public final class RecordingHooks implements ClusterLinkHooks {

    /**
     * What {@link RecordingHooks#onLinkPublish} does and returns.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface LinkPublishHandler {
        /**
         * Handles one link publish, on the broker's thread.
         *
         * @param connection the publishing connection
         * @param topic the {@code $LINK/...} topic
         * @param payload the payload (do not keep it)
         * @param properties the publish's properties
         * @return the PUBACK reason code to answer with
         * @since 0.1.0
         */
        int handle(LinkConnection connection, String topic, byte[] payload, PublishProperties properties);
    }

    /**
     * One recorded hook call.
     *
     * @since 0.1.0
     */
    public sealed interface Event
            permits Subscribed, Unsubscribed, SessionEnded, Published, LinkPublished, ConnectionClosed {
        /**
         * The name of the thread the broker called on.
         *
         * @return the thread name
         * @since 0.1.0
         */
        String thread();
    }

    /**
     * {@link ClusterLinkHooks#onSubscribe}.
     *
     * @param clientId the subscriber
     * @param subscription the subscription as reported
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record Subscribed(String clientId, String subscription, String thread) implements Event {}

    /**
     * {@link ClusterLinkHooks#onUnsubscribe}.
     *
     * @param clientId the subscriber
     * @param subscription the subscription as reported
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record Unsubscribed(String clientId, String subscription, String thread) implements Event {}

    /**
     * {@link ClusterLinkHooks#onSessionEnd}.
     *
     * @param clientId the client whose session ended
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record SessionEnded(String clientId, String thread) implements Event {}

    /**
     * {@link ClusterLinkHooks#onPublish}.
     *
     * @param message the message
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record Published(MqttMessage message, String thread) implements Event {}

    /**
     * {@link ClusterLinkHooks#onLinkPublish}.
     *
     * @param connection the publishing connection
     * @param topic the topic
     * @param payload a copy of the payload
     * @param properties the properties
     * @param reasonCode what the call returned ({@link ReasonCodes#UNSPECIFIED_ERROR} if it threw)
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record LinkPublished(
            LinkConnection connection,
            String topic,
            byte[] payload,
            PublishProperties properties,
            int reasonCode,
            String thread)
            implements Event {}

    /**
     * {@link ClusterLinkHooks#onConnectionClosed}.
     *
     * @param connection the closed connection
     * @param thread the calling thread's name
     * @since 0.1.0
     */
    public record ConnectionClosed(LinkConnection connection, String thread) implements Event {}

    private final List<Event> events = new ArrayList<>();
    private volatile LinkPublishHandler linkPublishHandler = (c, t, p, props) -> ReasonCodes.SUCCESS;
    private volatile boolean throwing;

    /**
     * Creates hooks that record, return {@link ReasonCodes#SUCCESS} from {@link #onLinkPublish} and do not throw.
     *
     * @since 0.1.0
     */
    public RecordingHooks() {
        // Defaults above.
    }

    /**
     * Sets what {@link #onLinkPublish} does and returns from now on.
     *
     * @param handler the behaviour, not null
     * @return this object
     * @since 0.1.0
     */
    public RecordingHooks onLinkPublish(LinkPublishHandler handler) {
        this.linkPublishHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Makes {@link #onLinkPublish} return {@code reasonCode} without doing anything else.
     *
     * @param reasonCode a PUBACK reason code, 0..255
     * @return this object
     * @throws IllegalArgumentException if the code is out of range
     * @since 0.1.0
     */
    public RecordingHooks linkPublishReasonCode(int reasonCode) {
        if (reasonCode < 0 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("reasonCode must be in 0..255: " + reasonCode);
        }
        return onLinkPublish((c, t, p, props) -> reasonCode);
    }

    /**
     * Whether every method throws an {@link IllegalStateException} after recording its call (the PUBACK code
     * recorded for a link publish is then {@link ReasonCodes#UNSPECIFIED_ERROR}).
     *
     * @param throwing {@code true} to throw
     * @return this object
     * @since 0.1.0
     */
    public RecordingHooks throwing(boolean throwing) {
        this.throwing = throwing;
        return this;
    }

    /**
     * Every call so far, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * The recorded calls of one kind, oldest first.
     *
     * @param <T> the event type
     * @param type the event class, for example {@code Subscribed.class}
     * @return a snapshot copy
     * @since 0.1.0
     */
    public <T extends Event> List<T> events(Class<T> type) {
        return ofType(type, events());
    }

    /**
     * Whether a recorded call of the given kind satisfies {@code condition}.
     *
     * @param <T> the event type
     * @param type the event class
     * @param condition the test, not null
     * @return {@code true} if at least one matches
     * @since 0.1.0
     */
    public <T extends Event> boolean any(Class<T> type, Predicate<? super T> condition) {
        return events(type).stream().anyMatch(condition);
    }

    /**
     * Waits until the recorded calls of one kind satisfy {@code condition}, checking after each new call. Thread: the
     * test's; blocks at most {@code timeout}.
     *
     * @param <T> the event type
     * @param type the event class
     * @param condition the test over all recorded calls of that kind, oldest first; not null
     * @param timeout how long to wait, not negative; zero checks once
     * @return {@code true} if it held within the timeout, {@code false} if not (for asserting that something does
     *     not happen within a window)
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public <T extends Event> boolean waitFor(Class<T> type, Predicate<? super List<T>> condition, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(condition, "condition");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                if (condition.test(ofType(type, events))) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /**
     * Waits for the first recorded call of one kind that satisfies {@code condition}. Thread: the test's; blocks at
     * most {@code timeout}.
     *
     * @param <T> the event type
     * @param type the event class
     * @param condition the test, not null
     * @param timeout how long to wait, not negative
     * @return the oldest matching call
     * @throws AssertionError if none came within the timeout, listing every recorded call
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public <T extends Event> T await(Class<T> type, Predicate<? super T> condition, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        if (!waitFor(type, l -> l.stream().anyMatch(condition), timeout)) {
            throw new AssertionError(
                    "no matching " + type.getSimpleName() + " within " + timeout + "; recorded: " + events());
        }
        return events(type).stream().filter(condition).findFirst().orElseThrow();
    }

    /**
     * Waits until at least {@code count} calls of one kind were recorded. Thread: the test's; blocks at most {@code
     * timeout}.
     *
     * @param <T> the event type
     * @param type the event class
     * @param count how many, at least 1
     * @param timeout how long to wait, not negative
     * @return every recorded call of that kind, oldest first (at least {@code count})
     * @throws AssertionError if fewer came within the timeout, listing every recorded call
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public <T extends Event> List<T> awaitCount(Class<T> type, int count, Duration timeout)
            throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        if (!waitFor(type, l -> l.size() >= count, timeout)) {
            throw new AssertionError("fewer than " + count + " " + type.getSimpleName() + " within " + timeout
                    + "; recorded: " + events());
        }
        return events(type);
    }

    /**
     * The calls recorded before {@code event}, oldest first: for checking that something did not happen before a
     * later sentinel call.
     *
     * @param event a call this object recorded (compared by identity)
     * @return a snapshot copy of the calls before it
     * @throws IllegalArgumentException if {@code event} is not among the recorded calls (for example after {@link
     *     #clear})
     * @since 0.1.0
     */
    public List<Event> before(Event event) {
        Objects.requireNonNull(event, "event");
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) == event) {
                    return List.copyOf(events.subList(0, i));
                }
            }
        }
        throw new IllegalArgumentException("not a recorded call of these hooks: " + event);
    }

    /**
     * Forgets every recorded call.
     *
     * @since 0.1.0
     */
    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    @Override
    public void onSubscribe(String clientId, String subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        record(new Subscribed(clientId, subscription, thread()));
    }

    @Override
    public void onUnsubscribe(String clientId, String subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        record(new Unsubscribed(clientId, subscription, thread()));
    }

    @Override
    public void onSessionEnd(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        record(new SessionEnded(clientId, thread()));
    }

    @Override
    public void onPublish(MqttMessage message) {
        Objects.requireNonNull(message, "message");
        record(new Published(message, thread()));
    }

    @Override
    public int onLinkPublish(LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (throwing) {
            record(new LinkPublished(
                    connection, topic, payload.clone(), properties, ReasonCodes.UNSPECIFIED_ERROR, thread()));
            return ReasonCodes.UNSPECIFIED_ERROR;
        }
        int code = linkPublishHandler.handle(connection, topic, payload, properties);
        record(new LinkPublished(connection, topic, payload.clone(), properties, code, thread()));
        return code;
    }

    @Override
    public void onConnectionClosed(LinkConnection connection) {
        Objects.requireNonNull(connection, "connection");
        record(new ConnectionClosed(connection, thread()));
    }

    private static <T extends Event> List<T> ofType(Class<T> type, List<Event> all) {
        List<T> out = new ArrayList<>();
        for (Event e : all) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    private void record(Event e) {
        synchronized (events) {
            events.add(e);
            events.notifyAll();
        }
        if (throwing) {
            throw new IllegalStateException(
                    "RecordingHooks set to throw: " + e.getClass().getSimpleName());
        }
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    @Override
    public String toString() {
        return "RecordingHooks" + events();
    }
}
