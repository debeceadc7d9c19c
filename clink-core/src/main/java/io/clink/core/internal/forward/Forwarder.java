package io.clink.core.internal.forward;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.DispatchStrategy;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.time.Cancellable;
import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientIds;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import io.clink.core.internal.connection.ConnectionFailure;
import io.clink.core.internal.connection.GuardedScheduler;
import io.clink.core.internal.connection.ReconnectingConnection;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.LinkClientOptionsFactory;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.protocol.ForwardedMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards local publishes that match a remote cluster's routes to that cluster: a pool of {@code link.poolSize()}
 * MQTT connections publishing the encoded {@code #message{}} record on {@code $LINK/cluster/msg/<local>} at QoS
 * {@code min(1, qos)} (the record keeps the original QoS, which the receiver delivers with).
 *
 * <p><b>Buffer model.</b> Each pool connection (a slot) has its own FIFO: a lock-free queue that publisher threads
 * append to, plus an executor-owned retry deque of messages to send again, served before the queue. Admission is
 * per link: at most {@code forwardingBufferMaxMessages} messages and {@code forwardingBufferMaxBytes} bytes are held
 * at once, where held means queued, waiting for a resend, or sent and waiting for the PUBACK (kept for a resend).
 * The bytes counted are the encoded record, the link PUBLISH payload, so the limit bounds the memory really held.
 * A message is encoded exactly once, after admission; the same bytes serve every resend.
 *
 * <p><b>Ordering guarantee (per publisher).</b> With dispatch {@code per_clientid} a publisher's messages always
 * take the same slot (hash of its client id; of the topic when the client id is unknown). A slot sends strictly in
 * queue order, a connection delivers in order, and after a connection loss the unacknowledged messages go back to
 * the head of the slot, oldest first, ahead of everything queued later. The remote therefore sees each publisher's
 * messages in publish order: duplicates are possible after a reconnect, reordering is not. Dispatch {@code random}
 * spreads messages over the pool and keeps no order between them.
 *
 * <p><b>At-least-once rule.</b> A QoS 1 or 2 message is released only by a PUBACK (success or refusal), by a
 * non-recoverable send error, by {@code request_ttl} expiry while it waits, or by {@link #stop()}. A recoverable
 * error (connection lost, not connected) keeps it, and it is resent after the reconnect. QoS 0 is at-most-once:
 * while its connection is down a QoS 0 message is dropped, on arrival and when the connection drops with it queued
 * or in flight (one that races with the loss may still go out after the reconnect).
 *
 * <p><b>What is counted where</b> (the link's {@link LinkCounters}):
 * <ul>
 *   <li>{@code forwarded}: PUBACK below 0x80 (0x10 "no matching subscribers" included, as EMQX counts it); a QoS 0
 *       publish written;
 *   <li>{@code failed}: PUBACK 0x80 or above; {@code PACKET_TOO_LARGE} and every other non-recoverable send error;
 *       a message that cannot be encoded;
 *   <li>{@code dropped}: buffer full by count or bytes; older than {@code request_ttl} before it could be sent;
 *       QoS 0 while down; still held when {@link #stop()} runs; {@link #forward} after stop;
 *   <li>{@code retried}: each message put back for a resend after a connection loss;
 *   <li>gauges {@code bufferedMessages}/{@code bufferedBytes}: exactly what is held, adjusted on admission and on
 *       release.
 * </ul>
 * Every admitted message ends in exactly one of forwarded, failed or dropped ({@code retried} counts extra
 * attempts), so {@code matched = forwarded + failed + dropped + buffered} holds at rest.
 *
 * <p><b>Concurrency.</b> Publisher threads only map, reserve (two atomic counters, no lock), encode, append to a
 * slot's queue and make sure one drain task is pending; they never block and hold no lock while encoding. One
 * serial executor per link drives the pool: connects, reconnect backoff, sends, PUBACK handling, expiry and stop
 * all run there, so slot state is confined to it. Transport callbacks and timers only hop onto that executor, each
 * carrying the slot generation it belongs to (bumped on every connect attempt and every loss), so a late callback
 * of an older connection drops itself. Generations, backoff and failure classification come from each slot's
 * {@link ReconnectingConnection} (package {@code internal.connection}), shared with the route actor; timers go
 * through a {@link GuardedScheduler}, so a scheduler that throws cannot leave a slot down for good. A slot's
 * reconnect delay never exceeds {@link ReconnectingConnection#poolCap}: {@code reconnect.max_delay}, and at most
 * half of {@code request_ttl}. Readers see volatile snapshots (status, last disconnect reason).
 */
public final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final String MSG_TOPIC_PREFIX = "$LINK/cluster/msg/";

    private final LinkConfig link;
    private final String clientIdBase;
    private final String nodeName;
    private final LinkTransport transport;
    private final EngineTime time;
    private final DoubleSupplier random;
    private final Consumer<ForwardingStatus> statusListener;
    private final LinkCounters counters;
    private final MessageMapping mapping;
    private final Executor executor;
    private final GuardedScheduler timers;
    private final String topic;
    private final boolean randomDispatch;
    private final int maxMessages;
    private final long maxBytes;
    private final long ttlNanos;
    private final int maxInflight;
    private final Slot[] slots;

    /** Held by this forwarder (reservations); the link's gauges mirror them. */
    private final AtomicLong heldMessages = new AtomicLong();

    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicBoolean drainPending = new AtomicBoolean();

    private volatile boolean started;
    private volatile boolean stopped;
    private volatile ForwardingStatus status = ForwardingStatus.DISCONNECTED;
    private volatile @Nullable DisconnectReason lastDisconnectReason;

    // Executor-confined.
    private @Nullable Cancellable expiryTimer;
    private long expiryDeadline;

    /**
     * @param config the configuration in force when the link was made: its cluster name (the topic) and the link's
     *     client id base are read once, here
     * @param link the link's configuration (fixed for this forwarder's life; a change makes a new forwarder)
     * @param nodeName this broker node's name, part of every pool client id
     * @param transport opens the pool's connections
     * @param counters the link's counters
     * @param time the clock of expiry and the scheduler of reconnect and expiry timers
     * @param serial a serial executor of its own, which drives the pool
     * @param random uniform source in [0, 1) for backoff jitter and random dispatch
     * @param statusListener told of every change of {@link #status()}, on the link's executor; must not block
     */
    public Forwarder(
            ClusterLinkConfig config,
            LinkConfig link,
            String nodeName,
            LinkTransport transport,
            LinkCounters counters,
            EngineTime time,
            Executor serial,
            DoubleSupplier random,
            Consumer<ForwardingStatus> statusListener) {
        this.link = Objects.requireNonNull(link, "link");
        this.clientIdBase = config.clientIdOf(link);
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.time = Objects.requireNonNull(time, "time");
        this.executor = Objects.requireNonNull(serial, "serial");
        this.random = Objects.requireNonNull(random, "random");
        this.statusListener = Objects.requireNonNull(statusListener, "statusListener");
        this.mapping = new MessageMapping(nodeName, time.ticker());
        this.timers = new GuardedScheduler("[" + link.name() + "] forwarding", time.scheduler(), executor);
        this.topic = MSG_TOPIC_PREFIX + config.name();
        this.randomDispatch = link.resourceOptions().dispatchStrategy() == DispatchStrategy.RANDOM;
        this.maxMessages = link.forwardingBufferMaxMessages();
        this.maxBytes = link.forwardingBufferMaxBytes();
        this.ttlNanos = link.resourceOptions().requestTtl().toNanos();
        this.maxInflight = link.maxInflight();
        this.slots = new Slot[link.poolSize()];
        Duration cap = ReconnectingConnection.poolCap(
                link.reconnect(), link.resourceOptions().requestTtl());
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i + 1, new ReconnectingConnection(link.reconnect(), cap, timers, random));
        }
    }

    /**
     * Validates the connection options, creates the pool's clients and starts connecting them. Any thread; returns
     * at once.
     *
     * @throws IllegalStateException if already started or stopped
     * @throws IllegalArgumentException if the transport rejects the link's connection options (for example an
     *     unreadable TLS file)
     */
    public synchronized void start() {
        if (started || stopped) {
            throw new IllegalStateException("[" + link.name() + "] forwarder can start once, and not after stop");
        }
        transport.validate(options(1));
        for (Slot slot : slots) {
            slot.client = transport.createClient(options(slot.number));
        }
        started = true;
        executor.execute(() -> {
            if (stopped) {
                return;
            }
            for (Slot slot : slots) {
                slot.state = ForwardingStatus.CONNECTING;
            }
            publishStatus();
            for (Slot slot : slots) {
                slot.connect();
            }
        });
    }

    /**
     * Stops forwarding: closes every client now (the transport returns within a second even on a stalled
     * connect); then, on the link's executor, drops and counts whatever is still held and reports
     * {@link ForwardingStatus#DISCONNECTED}. Nothing is sent after this returns. Idempotent; any thread.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (Slot slot : slots) {
            LinkClient client = slot.client;
            if (client != null) {
                try {
                    client.close();
                } catch (RuntimeException e) {
                    LOG.warn("[{}] closing forwarding connection {} failed", link.name(), slot.number, e);
                }
            }
        }
        executor.execute(this::purgeAll);
    }

    /**
     * Queues a local publish for the remote cluster. Called on the publisher's thread; never blocks, never throws;
     * the caller has already excluded messages that came over a link. A message that cannot be held is dropped and
     * counted.
     *
     * @param message the local publish
     */
    public void forward(MqttMessage message) {
        if (stopped) {
            counters.dropped.increment();
            return;
        }
        Slot slot = pick(message);
        int qos = message.qos();
        if (qos == 0 && !slot.up) {
            counters.dropped.increment();
            return;
        }
        if (heldMessages.get() >= maxMessages) {
            // Cheap early exit before any allocation while the buffer is full.
            overflow(message);
            return;
        }
        ForwardedMessage record;
        int size;
        try {
            record = mapping.toForwarded(message);
            size = record.encodedSize();
        } catch (RuntimeException e) {
            counters.failed.increment();
            LOG.warn("[{}] cannot encode message on {} for forwarding", link.name(), message.topic(), e);
            return;
        }
        if (!reserve(size)) {
            overflow(message);
            return;
        }
        Entry entry;
        try {
            entry = new Entry(
                    OutgoingPublish.of(topic, record.encode(), Math.min(1, qos)),
                    qos,
                    size,
                    time.ticker().nanoTime());
        } catch (RuntimeException e) {
            unreserve(size);
            counters.failed.increment();
            LOG.warn("[{}] cannot encode message on {} for forwarding", link.name(), message.topic(), e);
            return;
        }
        slot.queue.offer(entry);
        if (drainPending.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /**
     * The pool's health (protocol section 6.2): {@link ForwardingStatus#CONNECTED} when every connection is up,
     * {@link ForwardingStatus#DISCONNECTED} when any is down (after a loss or a failed attempt, until it is back),
     * {@link ForwardingStatus#CONNECTING} while first connections are still being made. Before start and after stop:
     * disconnected. Any thread; a snapshot.
     *
     * @return the status
     */
    public ForwardingStatus status() {
        return status;
    }

    /**
     * Why a pool connection last went down or failed to connect; kept after it reconnects.
     *
     * @return the last reason, or empty if none went down yet
     */
    public Optional<DisconnectReason> lastDisconnectReason() {
        return Optional.ofNullable(lastDisconnectReason);
    }

    private LinkClientOptions options(int number) {
        return LinkClientOptionsFactory.options(link, LinkClientIds.message(clientIdBase, nodeName, number));
    }

    private Slot pick(MqttMessage message) {
        if (slots.length == 1) {
            return slots[0];
        }
        int index;
        if (randomDispatch) {
            index = (int) (uniform() * slots.length);
        } else {
            index = Math.floorMod(
                    spread(message.publisherClientId().orElse(message.topic()).hashCode()), slots.length);
        }
        return slots[index];
    }

    /** The injected random value, clamped into [0, 1) so a sloppy source cannot break backoff or dispatch. */
    private double uniform() {
        double r = random.getAsDouble();
        return r >= 0 && r < 1 ? r : 0.5;
    }

    /** Spreads a String hash so that ids differing only in their last characters still land on different slots. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    private boolean reserve(int bytes) {
        if (heldMessages.incrementAndGet() > maxMessages) {
            heldMessages.decrementAndGet();
            return false;
        }
        if (heldBytes.addAndGet(bytes) > maxBytes) {
            heldBytes.addAndGet(-bytes);
            heldMessages.decrementAndGet();
            return false;
        }
        counters.bufferedMessages.incrementAndGet();
        counters.bufferedBytes.addAndGet(bytes);
        return true;
    }

    private void release(Entry entry) {
        unreserve(entry.bytes);
    }

    private void unreserve(int bytes) {
        heldMessages.decrementAndGet();
        heldBytes.addAndGet(-bytes);
        counters.bufferedMessages.decrementAndGet();
        counters.bufferedBytes.addAndGet(-bytes);
    }

    private void drop(Entry entry) {
        release(entry);
        counters.dropped.increment();
    }

    private void overflow(MqttMessage message) {
        counters.dropped.increment();
        LOG.debug(
                "[{}] forwarding buffer full ({} messages, {} bytes held); dropped message on {}",
                link.name(),
                heldMessages.get(),
                heldBytes.get(),
                message.topic());
    }

    // ---- everything below runs on the link's serial executor ----

    private void drain() {
        drainPending.set(false);
        if (stopped) {
            purgeAll();
            return;
        }
        long now = time.ticker().nanoTime();
        for (Slot slot : slots) {
            slot.pump(now);
        }
        armExpiry(now);
    }

    private boolean expired(Entry entry, long now) {
        return now - entry.enqueuedNanos >= ttlNanos;
    }

    /** Makes sure a timer fires by the oldest waiting message's request_ttl deadline. */
    private void armExpiry(long now) {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (Slot slot : slots) {
            Entry e = slot.oldestWaiting();
            if (e != null && (!any || e.enqueuedNanos - oldest < 0)) {
                oldest = e.enqueuedNanos;
                any = true;
            }
        }
        if (!any) {
            // An armed timer is left to fire once and find nothing: cheaper than cancelling and re-arming every
            // time a busy slot's backlog empties and refills.
            return;
        }
        Cancellable timer = expiryTimer;
        long deadline = oldest + ttlNanos;
        if (timer != null && deadline - expiryDeadline >= 0) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        expiryDeadline = deadline;
        expiryTimer = timers.schedule(Duration.ofNanos(Math.max(0, deadline - now)), this::expireSweep);
    }

    private void expireSweep() {
        expiryTimer = null;
        if (stopped) {
            return;
        }
        long now = time.ticker().nanoTime();
        for (Slot slot : slots) {
            slot.expireWaiting(now);
            slot.pump(now);
        }
        armExpiry(now);
    }

    private void purgeAll() {
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        for (Slot slot : slots) {
            slot.purge();
        }
        publishStatus();
    }

    private void publishStatus() {
        List<ForwardingStatus> states = new ArrayList<>(slots.length);
        for (Slot slot : slots) {
            states.add(stopped ? ForwardingStatus.DISCONNECTED : slot.state);
        }
        ForwardingStatus next = ForwardingStatus.ofPool(states);
        if (next != status) {
            status = next;
            try {
                statusListener.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("[{}] forwarding status listener threw", link.name(), e);
            }
        }
    }

    /** One message held for forwarding. Identity matters: the in-flight set holds entries by identity. */
    private static final class Entry {
        final OutgoingPublish publish;
        final int qos;
        final int bytes;
        final long enqueuedNanos;

        Entry(OutgoingPublish publish, int qos, int bytes, long enqueuedNanos) {
            this.publish = publish;
            this.qos = qos;
            this.bytes = bytes;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    /** One pool connection and its FIFO. Apart from the queue and the volatile fields, executor-confined. */
    private final class Slot {
        final int number;
        final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
        /** Read by publisher threads to drop QoS 0 at once while down. */
        volatile boolean up;

        volatile @Nullable LinkClient client;

        final ArrayDeque<Entry> retry = new ArrayDeque<>();
        final LinkedHashSet<Entry> inflight = new LinkedHashSet<>();
        ForwardingStatus state = ForwardingStatus.DISCONNECTED;
        final ReconnectingConnection conn;

        Slot(int number, ReconnectingConnection conn) {
            this.number = number;
            this.conn = conn;
        }

        @Nullable
        Entry oldestWaiting() {
            Entry r = retry.peekFirst();
            return r != null ? r : queue.peek();
        }

        void connect() {
            LinkClient c = Objects.requireNonNull(client, "client");
            long gen = conn.nextGeneration();
            CompletableFuture<ConnectResult> f =
                    ConnectionFailure.call(() -> c.connect(reason -> executor.execute(() -> onLost(gen, reason))));
            f.whenComplete((result, error) -> executor.execute(() -> onConnect(gen, error)));
        }

        private void onConnect(long gen, @Nullable Throwable error) {
            if (stopped || !conn.isCurrent(gen)) {
                return;
            }
            if (error == null) {
                LOG.info("[{}] forwarding connection {} up", link.name(), number);
                state = ForwardingStatus.CONNECTED;
                up = true;
                conn.resetBackoff();
                publishStatus();
                long now = time.ticker().nanoTime();
                pump(now);
                armExpiry(now);
                return;
            }
            DisconnectReason reason = ConnectionFailure.of(error).reasonOrSocketError();
            LOG.warn("[{}] forwarding connection {} failed to connect: {}", link.name(), number, reason);
            lastDisconnectReason = reason;
            state = ForwardingStatus.DISCONNECTED;
            publishStatus();
            scheduleReconnect();
        }

        private void onLost(long gen, DisconnectReason reason) {
            if (stopped || !conn.isCurrent(gen)) {
                return;
            }
            down(reason);
        }

        /** The connection is gone: unacknowledged QoS 1+ back to the head (oldest first), QoS 0 dropped. */
        private void down(DisconnectReason reason) {
            LOG.warn("[{}] forwarding connection {} down: {}", link.name(), number, reason);
            conn.nextGeneration();
            up = false;
            state = ForwardingStatus.DISCONNECTED;
            lastDisconnectReason = reason;
            List<Entry> unacked = new ArrayList<>(inflight);
            inflight.clear();
            for (int i = unacked.size() - 1; i >= 0; i--) {
                Entry e = unacked.get(i);
                if (e.qos == 0) {
                    drop(e);
                } else {
                    retry.addFirst(e);
                    counters.retried.increment();
                }
            }
            for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.qos == 0) {
                    it.remove();
                    drop(e);
                }
            }
            publishStatus();
            scheduleReconnect();
            armExpiry(time.ticker().nanoTime());
        }

        private void scheduleReconnect() {
            conn.retry(() -> {
                if (!stopped) {
                    connect();
                }
            });
        }

        void pump(long now) {
            if (state != ForwardingStatus.CONNECTED) {
                return;
            }
            while (inflight.size() < maxInflight) {
                Entry e = retry.pollFirst();
                if (e == null) {
                    e = queue.poll();
                }
                if (e == null) {
                    return;
                }
                if (expired(e, now)) {
                    drop(e);
                    continue;
                }
                send(e);
            }
        }

        private void send(Entry e) {
            LinkClient c = Objects.requireNonNull(client, "client");
            inflight.add(e);
            long gen = conn.generation();
            CompletableFuture<PublishResult> f = ConnectionFailure.call(() -> c.publish(e.publish));
            f.whenComplete((result, error) -> executor.execute(() -> onPublished(gen, e, result, error)));
        }

        private void onPublished(long gen, Entry e, @Nullable PublishResult result, @Nullable Throwable error) {
            if (stopped || !conn.isCurrent(gen) || !inflight.contains(e)) {
                return;
            }
            if (error != null) {
                ConnectionFailure failure = ConnectionFailure.of(error);
                if (failure.isConnectionLost()) {
                    down(failure.reasonOrSocketError());
                    return;
                }
                // Unlike a route batch, one message that cannot be sent fails alone: the others still can.
                inflight.remove(e);
                release(e);
                counters.failed.increment();
                LOG.warn(
                        "[{}] forwarding connection {} could not send a message: {}",
                        link.name(),
                        number,
                        failure.describe());
            } else {
                inflight.remove(e);
                release(e);
                if (Objects.requireNonNull(result, "result").isSuccess()) {
                    counters.forwarded.increment();
                } else {
                    counters.failed.increment();
                    LOG.debug(
                            "[{}] remote refused a forwarded message: PUBACK 0x{}",
                            link.name(),
                            Integer.toHexString(result.reasonCode()));
                }
            }
            long now = time.ticker().nanoTime();
            pump(now);
            armExpiry(now);
        }

        void expireWaiting(long now) {
            for (Entry e = retry.peekFirst(); e != null && expired(e, now); e = retry.peekFirst()) {
                retry.pollFirst();
                drop(e);
            }
            // Only this executor takes from the queue, so the head seen by peek is the one poll removes.
            for (Entry e = queue.peek(); e != null && expired(e, now); e = queue.peek()) {
                queue.poll();
                drop(e);
            }
        }

        void purge() {
            conn.nextGeneration(); // also calls a pending reconnect off
            up = false;
            state = ForwardingStatus.DISCONNECTED;
            for (Entry e : inflight) {
                drop(e);
            }
            inflight.clear();
            for (Entry e = retry.pollFirst(); e != null; e = retry.pollFirst()) {
                drop(e);
            }
            for (Entry e = queue.poll(); e != null; e = queue.poll()) {
                drop(e);
            }
        }
    }
}
