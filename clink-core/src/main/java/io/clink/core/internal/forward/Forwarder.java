package io.clink.core.internal.forward;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ServerAddress;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.time.Cancellable;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClientIds;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.api.transport.OutgoingPublish;
import io.clink.core.internal.connection.EndpointRotation;
import io.clink.core.internal.connection.GuardedScheduler;
import io.clink.core.internal.connection.ReconnectingConnection;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.LinkClientOptionsFactory;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.protocol.ForwardedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p><b>Buffer model.</b> Each pool connection (a slot, {@link PoolConnection}) has its own FIFO: a lock-free queue
 * that publisher threads append to, plus an executor-owned retry deque of messages to send again, served before the
 * queue. Admission is per link ({@link ForwardingBuffer}): at most {@code forwardingBufferMaxMessages} messages and
 * {@code forwardingBufferMaxBytes} bytes are held at once, where held means queued, waiting for a resend, or sent
 * and waiting for the PUBACK (kept for a resend). The bytes counted are the encoded record, the link PUBLISH
 * payload, so the limit bounds the memory really held. A message is encoded exactly once, after admission; the same
 * bytes serve every resend ({@link HeldMessage}).
 *
 * <p><b>Ordering guarantee (per publisher).</b> With dispatch {@code per_clientid} a publisher's messages always
 * take the same slot (hash of its client id; of the topic when the client id is unknown; see {@link SlotDispatch}).
 * A slot sends strictly in queue order, a connection delivers in order, and after a connection loss the
 * unacknowledged messages go back to the head of the slot, oldest first, ahead of everything queued later. The
 * remote therefore sees each publisher's messages in publish order: duplicates are possible after a reconnect,
 * reordering is not. Dispatch {@code random} spreads messages over the pool and keeps no order between them.
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
    private final Consumer<ForwardingStatus> statusListener;
    private final LinkCounters counters;
    private final MessageMapping mapping;
    private final Executor executor;
    private final GuardedScheduler timers;
    private final String topic;
    private final long ttlNanos;
    private final ForwardingBuffer buffer;
    private final SlotDispatch dispatch;
    private final PoolConnection[] slots;

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
        Objects.requireNonNull(random, "random");
        this.statusListener = Objects.requireNonNull(statusListener, "statusListener");
        this.mapping = new MessageMapping(nodeName, time.ticker());
        this.timers = new GuardedScheduler("[" + link.name() + "] forwarding", time.scheduler(), executor);
        this.topic = MSG_TOPIC_PREFIX + config.name();
        this.ttlNanos = link.resourceOptions().requestTtl().toNanos();
        this.buffer = new ForwardingBuffer(
                link.name(), link.forwardingBufferMaxMessages(), link.forwardingBufferMaxBytes(), counters);
        this.dispatch = new SlotDispatch(link.resourceOptions().dispatchStrategy(), link.poolSize(), random);
        this.slots = new PoolConnection[link.poolSize()];
        Duration cap = ReconnectingConnection.poolCap(
                link.reconnect(), link.resourceOptions().requestTtl());
        PoolConnection.Pool events = new PoolEvents();
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new PoolConnection(
                    i + 1,
                    link.name(),
                    new ReconnectingConnection(link.reconnect(), cap, timers, random),
                    events,
                    time.ticker(),
                    buffer,
                    counters,
                    LinkClientOptionsFactory.forwardingWindow(link),
                    ttlNanos);
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
        for (PoolConnection slot : slots) {
            int number = slot.number();
            slot.clients(
                    new EndpointRotation(link.servers().endpoints()),
                    endpoint -> transport.createClient(LinkClientOptionsFactory.forwardingOptions(
                            link, LinkClientIds.message(clientIdBase, nodeName, number), endpoint)));
        }
        started = true;
        executor.execute(() -> {
            if (stopped) {
                return;
            }
            for (PoolConnection slot : slots) {
                slot.starting();
            }
            publishStatus();
            for (PoolConnection slot : slots) {
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
        for (PoolConnection slot : slots) {
            slot.closeClient();
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
        PoolConnection slot = slots[dispatch.slotOf(message)];
        int qos = message.qos();
        if (qos == 0 && !slot.isUp()) {
            counters.dropped.increment();
            return;
        }
        if (buffer.isFull()) {
            // Cheap early exit before any allocation while the buffer is full.
            buffer.overflow(message.topic());
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
        if (!buffer.reserve(size)) {
            buffer.overflow(message.topic());
            return;
        }
        HeldMessage entry;
        try {
            entry = new HeldMessage(
                    OutgoingPublish.of(topic, record.encode(), Math.min(1, qos)),
                    qos,
                    size,
                    time.ticker().nanoTime());
        } catch (RuntimeException e) {
            buffer.unreserve(size);
            counters.failed.increment();
            LOG.warn("[{}] cannot encode message on {} for forwarding", link.name(), message.topic(), e);
            return;
        }
        slot.enqueue(entry);
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
     * The distinct endpoints the pool's connected connections use, in configuration order. Thread: any; volatile
     * reads, so a snapshot that may mix moments.
     *
     * @return canonical {@code [mqtts://]host:port} strings; empty while no connection is up
     */
    public List<String> endpointsInUse() {
        Set<ServerAddress> inUse = new HashSet<>();
        for (PoolConnection slot : slots) {
            ServerAddress e = slot.endpointInUse();
            if (e != null) {
                inUse.add(e);
            }
        }
        List<String> out = new ArrayList<>();
        for (ServerAddress e : link.servers().endpoints()) {
            if (inUse.contains(e)) {
                out.add(e.toString());
            }
        }
        return out;
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
        return LinkClientOptionsFactory.forwardingOptions(
                link, LinkClientIds.message(clientIdBase, nodeName, number), link.server());
    }

    // ---- everything below runs on the link's serial executor ----

    private void drain() {
        drainPending.set(false);
        if (stopped) {
            purgeAll();
            return;
        }
        long now = time.ticker().nanoTime();
        for (PoolConnection slot : slots) {
            slot.pump(now);
        }
        armExpiry(now);
    }

    /** Makes sure a timer fires by the oldest waiting message's request_ttl deadline. */
    private void armExpiry(long now) {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (PoolConnection slot : slots) {
            HeldMessage e = slot.oldestWaiting();
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
        for (PoolConnection slot : slots) {
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
        for (PoolConnection slot : slots) {
            slot.purge();
        }
        publishStatus();
    }

    private void publishStatus() {
        List<ForwardingStatus> states = new ArrayList<>(slots.length);
        for (PoolConnection slot : slots) {
            states.add(stopped ? ForwardingStatus.DISCONNECTED : slot.state());
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

    /** The pool's side of its slots' events; a class of its own so that Forwarder's public surface stays small. */
    private final class PoolEvents implements PoolConnection.Pool {
        @Override
        public boolean stopped() {
            return stopped;
        }

        @Override
        public void disconnected(DisconnectReason reason) {
            lastDisconnectReason = reason;
        }

        @Override
        public void stateChanged() {
            publishStatus();
        }

        @Override
        public void backlogChanged(long now) {
            armExpiry(now);
        }
    }
}
