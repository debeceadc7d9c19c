package io.clink.testkit;

import io.clink.api.broker.LinkConnection;
import io.clink.api.transport.OutgoingPublish;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/*
 * Why this exists: a test that injects a fault into one link connection (cut it, drop or delay its messages, count
 * its traffic) needs a handle on that connection as the network sees it, apart from the endpoint that accepted it and
 * the client that opened it. State is guarded by the network's lock.
 */

/**
 * The network's view of one accepted connection: its identity on the broker, its faults and traffic, and a way
 * to cut it.
 *
 * @since 0.1.0
 */
public final class InMemoryConnection {
    private final Object lock;
    private final InMemoryLinkNetwork.Endpoint endpoint;
    private final LinkConnection linkConnection;
    private final InMemoryLinkClient client;
    private final long generation;
    private final InMemoryTraffic traffic = new InMemoryTraffic();
    private final MessageFaults faults = new MessageFaults();
    boolean open = true;

    InMemoryConnection(
            Object lock,
            InMemoryLinkNetwork.Endpoint endpoint,
            LinkConnection linkConnection,
            InMemoryLinkClient client,
            long generation) {
        this.lock = lock;
        this.endpoint = endpoint;
        this.linkConnection = linkConnection;
        this.client = client;
        this.generation = generation;
    }

    /**
     * The endpoint this connection was accepted on.
     *
     * @return the endpoint
     * @since 0.1.0
     */
    public InMemoryLinkNetwork.Endpoint endpoint() {
        return endpoint;
    }

    /**
     * The connection as the broker reports it to the hooks.
     *
     * @return the handle, equal to what {@code onLinkPublish} receives
     * @since 0.1.0
     */
    public LinkConnection linkConnection() {
        return linkConnection;
    }

    /**
     * The client id.
     *
     * @return the client id
     * @since 0.1.0
     */
    public String clientId() {
        return linkConnection.clientId();
    }

    /**
     * Whether the connection is still open.
     *
     * @return {@code true} while open
     * @since 0.1.0
     */
    public boolean isOpen() {
        synchronized (lock) {
            return open;
        }
    }

    /**
     * Cuts the connection as a network failure would: the client sees SOCKET_ERROR, the broker sees the
     * connection close.
     *
     * @return {@code true} if it was open
     * @since 0.1.0
     */
    public boolean cut() {
        return client.lose(
                generation,
                new io.clink.api.transport.DisconnectReason(
                        io.clink.api.transport.DisconnectReason.Cause.SOCKET_ERROR,
                        io.clink.api.transport.DisconnectReason.NO_REASON_CODE,
                        "connection reset (cut by test)"),
                true);
    }

    /**
     * Drops this connection's messages (both directions) whose topic satisfies {@code topics}, in addition to
     * the endpoint's rule.
     *
     * @param topics the rule
     * @return this connection
     * @since 0.1.0
     */
    public InMemoryConnection dropMessages(Predicate<String> topics) {
        Objects.requireNonNull(topics, "topics");
        synchronized (lock) {
            faults.drop = topics;
        }
        return this;
    }

    /**
     * Delays this connection's messages; the larger of this and the endpoint's delay applies.
     *
     * @param delay zero or positive
     * @return this connection
     * @since 0.1.0
     */
    public InMemoryConnection delayMessages(Duration delay) {
        MessageFaults.checkDelay(delay);
        synchronized (lock) {
            faults.delay = delay;
        }
        return this;
    }

    /**
     * The traffic of this connection.
     *
     * @return the live counters
     * @since 0.1.0
     */
    public InMemoryTraffic traffic() {
        return traffic;
    }

    /** Whether a message on {@code topic} is dropped; called under the lock. */
    boolean drops(String topic) {
        return faults.drop.test(topic) || endpoint.faults().drop.test(topic);
    }

    /** The delay for this connection's messages; called under the lock. */
    Duration delay() {
        Duration a = faults.delay;
        Duration b = endpoint.faults().delay;
        return a.compareTo(b) >= 0 ? a : b;
    }

    void countPublish(OutgoingPublish p) {
        long size = InMemoryLinkNetwork.publishPacketSize(p);
        traffic.publish(p.topic(), size);
        endpoint.traffic().publish(p.topic(), size);
    }

    void countDelivery(String topic) {
        traffic.delivery(topic);
        endpoint.traffic().delivery(topic);
    }

    @Override
    public String toString() {
        return "InMemoryConnection{" + linkConnection.connectionId() + ", " + linkConnection.clientId() + '}';
    }
}
