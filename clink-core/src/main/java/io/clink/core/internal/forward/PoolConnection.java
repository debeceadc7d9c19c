package io.clink.core.internal.forward;

import io.clink.api.config.ServerAddress;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.time.Ticker;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.PublishResult;
import io.clink.core.internal.connection.ConnectionFailure;
import io.clink.core.internal.connection.EndpointRotation;
import io.clink.core.internal.connection.ReconnectingConnection;
import io.clink.core.internal.engine.LinkCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the forwarding pool (a slot) and its FIFO: a lock-free queue that publisher threads append to,
 * an executor-owned retry deque served before it, and the in-flight window of at most min({@code max_inflight},
 * {@code resource_opts.inflight_window}) messages awaiting their PUBACK. It keeps the pool's ordering and
 * at-least-once rules for its share of the messages (see {@link Forwarder}): it sends strictly in queue order, and
 * after a connection loss its unacknowledged QoS 1+ messages go back to the head, oldest first, while QoS 0 ones are
 * dropped.
 *
 * <p>A PUBACK settles a message (forwarded below 0x80, failed from 0x80); a send error that {@link
 * ConnectionFailure#isConnectionLost() loses the connection} takes the slot down, any other fails that message
 * alone, since the others still can be sent.
 *
 * <p>Thread: apart from {@link #enqueue}, {@link #isUp()} and {@link #closeClient()}, every method runs on the
 * pool's serial executor; transport callbacks hop onto it and carry the generation of their connection, so a late
 * one of an older connection drops itself.
 */
final class PoolConnection {

    // Same category as the pool's own lines, so a log configuration for Forwarder keeps covering them.
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    /** What the slot tells its pool, on the pool's serial executor. */
    interface Pool {
        /** Whether the pool was stopped: then callbacks do nothing. */
        boolean stopped();

        /** A connection of the pool went down or failed to connect, for {@code lastDisconnectReason}. */
        void disconnected(DisconnectReason reason);

        /** A slot's state changed: the pool's status may too. */
        void stateChanged();

        /** The slot's backlog changed: the pool's expiry timer may need to fire earlier. */
        void backlogChanged(long now);
    }

    private final int number;
    private final String linkName;
    private final ReconnectingConnection conn;
    private final Pool pool;
    private final Ticker ticker;
    private final ForwardingBuffer buffer;
    private final LinkCounters counters;
    private final int maxInflight;
    private final long ttlNanos;

    private final ConcurrentLinkedQueue<HeldMessage> queue = new ConcurrentLinkedQueue<>();
    /** Read by publisher threads to drop QoS 0 at once while down. */
    private volatile boolean up;

    private volatile @Nullable LinkClient client;

    // Endpoint rotation; executor-confined but for the initial set-up in client(...).
    private @Nullable EndpointRotation endpoints;
    private @Nullable Function<ServerAddress, LinkClient> clientFactory;
    private @Nullable ServerAddress clientEndpoint;
    private boolean firstAttemptMade;
    /** The endpoint of the established connection for status readers; null while down. */
    private volatile @Nullable ServerAddress endpointInUse;

    // Executor-confined.
    private final ArrayDeque<HeldMessage> retry = new ArrayDeque<>();
    private final LinkedHashSet<HeldMessage> inflight = new LinkedHashSet<>();
    private ForwardingStatus state = ForwardingStatus.DISCONNECTED;

    /**
     * @param number the slot's number, from 1: part of its client id and of log lines
     * @param linkName the link's name, for log lines
     * @param conn the slot's generations and reconnect backoff; its timers run on the pool's serial executor
     * @param pool told of changes the pool aggregates
     * @param ticker the clock of expiry
     * @param buffer where held messages are released
     * @param counters the link's counters
     * @param maxInflight most messages awaiting their PUBACK at once
     * @param ttlNanos {@code request_ttl}: a message waiting longer is dropped instead of sent
     */
    PoolConnection(
            int number,
            String linkName,
            ReconnectingConnection conn,
            Pool pool,
            Ticker ticker,
            ForwardingBuffer buffer,
            LinkCounters counters,
            int maxInflight,
            long ttlNanos) {
        this.number = number;
        this.linkName = Objects.requireNonNull(linkName, "linkName");
        this.conn = Objects.requireNonNull(conn, "conn");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.maxInflight = maxInflight;
        this.ttlNanos = ttlNanos;
    }

    int number() {
        return number;
    }

    /** Gives the slot the client it connects with (once, before {@link #connect()}). Thread: any. */
    void client(LinkClient c) {
        client = Objects.requireNonNull(c, "client");
    }

    /**
     * Gives the slot the endpoints of the link's {@code server} to rotate through and how to make a client for one
     * (once, before {@link #connect()}, instead of {@link #client}). The first client is made here, so a transport
     * that refuses the options fails the caller. With one endpoint the slot keeps that client for good, as with
     * {@link #client}. Thread: any.
     */
    void clients(EndpointRotation rotation, Function<ServerAddress, LinkClient> factory) {
        endpoints = Objects.requireNonNull(rotation, "rotation");
        clientFactory = Objects.requireNonNull(factory, "factory");
        ServerAddress first = rotation.nextAttempt();
        client = factory.apply(first);
        clientEndpoint = first;
    }

    /** The endpoint this slot is connected to, or null while it is down. Thread: any; a volatile read. */
    @Nullable
    ServerAddress endpointInUse() {
        return endpointInUse;
    }

    /** Closes the client, if any, at once: a stalled connect returns within a second. Thread: any. */
    void closeClient() {
        LinkClient c = client;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing forwarding connection {} failed", linkName, number, e);
            }
        }
    }

    /** Whether the connection is up. Thread: any; a volatile read. */
    boolean isUp() {
        return up;
    }

    /** Appends a message to the slot's FIFO. Thread: any; lock-free. */
    void enqueue(HeldMessage message) {
        queue.offer(message);
    }

    ForwardingStatus state() {
        return state;
    }

    /** The pool starts: first connections are being made. */
    void starting() {
        state = ForwardingStatus.CONNECTING;
    }

    /** The message that has waited longest and is not in flight, or null. */
    @Nullable
    HeldMessage oldestWaiting() {
        HeldMessage r = retry.peekFirst();
        return r != null ? r : queue.peek();
    }

    void connect() {
        LinkClient c;
        try {
            c = clientForNextEndpoint();
        } catch (RuntimeException e) {
            // Retried like a connection failure: a TLS file, for example, may be fixed meanwhile.
            LOG.warn("[{}] forwarding connection {} cannot start a connection: {}", linkName, number, e.toString());
            state = ForwardingStatus.DISCONNECTED;
            pool.stateChanged();
            scheduleReconnect();
            return;
        }
        long gen = conn.nextGeneration();
        conn.connect(c, reason -> onLost(gen, reason), (result, error) -> onConnect(gen, error));
    }

    /**
     * The client for this attempt. The first attempt uses the client made in {@link #clients}; every later one moves
     * on to the next endpoint (after a failure and after a lost connection alike), replacing the client when the
     * endpoint differs. The old client is closed first so its connection cannot outlive the switch.
     */
    private LinkClient clientForNextEndpoint() {
        EndpointRotation r = endpoints;
        Function<ServerAddress, LinkClient> factory = clientFactory;
        LinkClient current = Objects.requireNonNull(client, "client");
        if (r == null || factory == null) {
            return current;
        }
        if (!firstAttemptMade) {
            firstAttemptMade = true;
            return current;
        }
        ServerAddress attempt = clientEndpoint;
        ServerAddress next = r.nextAttempt();
        if (next.equals(attempt)) {
            return current;
        }
        closeClient();
        LinkClient fresh = factory.apply(next);
        client = fresh;
        clientEndpoint = next;
        if (pool.stopped()) {
            // stop() may have closed the previous client while this one was being made
            closeClient();
        }
        return fresh;
    }

    private void onConnect(long gen, @Nullable Throwable error) {
        if (pool.stopped() || !conn.isCurrent(gen)) {
            return;
        }
        if (error == null) {
            LOG.info("[{}] forwarding connection {} up", linkName, number);
            state = ForwardingStatus.CONNECTED;
            up = true;
            endpointInUse = clientEndpoint;
            conn.resetBackoff();
            pool.stateChanged();
            long now = ticker.nanoTime();
            pump(now);
            pool.backlogChanged(now);
            return;
        }
        DisconnectReason reason = ConnectionFailure.of(error).reasonOrSocketError();
        LOG.warn("[{}] forwarding connection {} failed to connect: {}", linkName, number, reason);
        pool.disconnected(reason);
        state = ForwardingStatus.DISCONNECTED;
        pool.stateChanged();
        scheduleReconnect();
    }

    private void onLost(long gen, DisconnectReason reason) {
        if (pool.stopped() || !conn.isCurrent(gen)) {
            return;
        }
        down(reason);
    }

    /** The connection is gone: unacknowledged QoS 1+ back to the head (oldest first), QoS 0 dropped. */
    private void down(DisconnectReason reason) {
        LOG.warn("[{}] forwarding connection {} down: {}", linkName, number, reason);
        conn.nextGeneration();
        up = false;
        endpointInUse = null;
        state = ForwardingStatus.DISCONNECTED;
        pool.disconnected(reason);
        List<HeldMessage> unacked = new ArrayList<>(inflight);
        clearInflight();
        for (int i = unacked.size() - 1; i >= 0; i--) {
            HeldMessage e = unacked.get(i);
            if (e.qos == 0) {
                buffer.drop(e);
            } else {
                retry.addFirst(e);
                counters.retried.increment();
            }
        }
        for (Iterator<HeldMessage> it = queue.iterator(); it.hasNext(); ) {
            HeldMessage e = it.next();
            if (e.qos == 0) {
                it.remove();
                buffer.drop(e);
            }
        }
        pool.stateChanged();
        scheduleReconnect();
        pool.backlogChanged(ticker.nanoTime());
    }

    private void scheduleReconnect() {
        counters.reconnects.increment();
        conn.retry(() -> {
            if (!pool.stopped()) {
                connect();
            }
        });
    }

    /** Sends waiting messages, oldest first, while the connection is up and the in-flight window has room. */
    void pump(long now) {
        if (state != ForwardingStatus.CONNECTED) {
            return;
        }
        while (inflight.size() < maxInflight) {
            HeldMessage e = retry.pollFirst();
            if (e == null) {
                e = queue.poll();
            }
            if (e == null) {
                return;
            }
            if (e.expired(now, ttlNanos)) {
                buffer.drop(e);
                continue;
            }
            send(e);
        }
    }

    /* The in-flight gauge follows the set; every change of the set goes through these two methods or send(). */
    private void removeInflight(HeldMessage e) {
        if (inflight.remove(e)) {
            counters.inflightMessages.decrementAndGet();
        }
    }

    private void clearInflight() {
        counters.inflightMessages.addAndGet(-inflight.size());
        inflight.clear();
    }

    private void send(HeldMessage e) {
        LinkClient c = Objects.requireNonNull(client, "client");
        if (inflight.add(e)) {
            counters.inflightMessages.incrementAndGet();
        }
        long gen = conn.generation();
        conn.call(() -> c.publish(e.publish), (result, error) -> onPublished(gen, e, result, error));
    }

    private void onPublished(long gen, HeldMessage e, @Nullable PublishResult result, @Nullable Throwable error) {
        if (pool.stopped() || !conn.isCurrent(gen) || !inflight.contains(e)) {
            return;
        }
        if (error != null) {
            ConnectionFailure failure = ConnectionFailure.of(error);
            if (failure.isConnectionLost()) {
                down(failure.reasonOrSocketError());
                return;
            }
            // Unlike a route batch, one message that cannot be sent fails alone: the others still can.
            removeInflight(e);
            buffer.release(e);
            counters.failed.increment();
            LOG.warn(
                    "[{}] forwarding connection {} could not send a message: {}", linkName, number, failure.describe());
        } else {
            removeInflight(e);
            buffer.release(e);
            if (Objects.requireNonNull(result, "result").isSuccess()) {
                counters.forwarded.increment();
            } else {
                counters.failed.increment();
                LOG.debug(
                        "[{}] remote refused a forwarded message: PUBACK 0x{}",
                        linkName,
                        Integer.toHexString(result.reasonCode()));
            }
        }
        long now = ticker.nanoTime();
        pump(now);
        pool.backlogChanged(now);
    }

    /** Drops the waiting messages older than {@code request_ttl}; in-flight ones await their PUBACK. */
    void expireWaiting(long now) {
        for (HeldMessage e = retry.peekFirst(); e != null && e.expired(now, ttlNanos); e = retry.peekFirst()) {
            retry.pollFirst();
            buffer.drop(e);
        }
        // Only this executor takes from the queue, so the head seen by peek is the one poll removes.
        for (HeldMessage e = queue.peek(); e != null && e.expired(now, ttlNanos); e = queue.peek()) {
            queue.poll();
            buffer.drop(e);
        }
    }

    /** The pool stops: the connection is invalidated and every held message dropped. */
    void purge() {
        conn.nextGeneration(); // also calls a pending reconnect off
        up = false;
        state = ForwardingStatus.DISCONNECTED;
        for (HeldMessage e : inflight) {
            buffer.drop(e);
        }
        clearInflight();
        for (HeldMessage e = retry.pollFirst(); e != null; e = retry.pollFirst()) {
            buffer.drop(e);
        }
        for (HeldMessage e = queue.poll(); e != null; e = queue.poll()) {
            buffer.drop(e);
        }
    }
}
