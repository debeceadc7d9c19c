package io.clink.api.store;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/*
 * Delivery for one subscription: events are queued by any thread, in the order the store applied them (a store
 * queues under its own lock, or from its event threads where each key's events already come in order), and
 * delivered by whichever thread wins the draining flag, outside any store lock. After releasing the flag a drainer
 * looks again, so an event queued while it was finishing is never stranded. A held queue delivers nothing until
 * releaseAfter hands it the snapshot, which is delivered ahead of everything queued meanwhile.
 */

/**
 * Delivers route events to a {@link RouteStore.Listener} one at a time, never concurrently, in the order they were
 * queued, as {@link RouteStore#subscribe} promises: a helper for store implementations. Thread-safe; {@link #drain}
 * runs the listener on the calling thread unless another thread is already delivering.
 *
 * @since 0.1.0
 */
public final class ListenerQueue {

    /** The end-of-snapshot marker in the queue. */
    private static final RouteEvent SNAPSHOT_COMPLETE = new RouteEvent.ClusterRemoved("\u0000snapshot-complete");

    private final RouteStore.Listener listener;
    private final BiConsumer<Object, RuntimeException> onListenerFailure;
    private final ConcurrentLinkedQueue<RouteEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean held;
    private volatile boolean closed;

    /**
     * A queue for one subscription.
     *
     * @param listener the subscriber
     * @param onListenerFailure told of an exception the listener threw (with the event, or the string {@code
     *     "snapshot complete"}); delivery goes on
     * @param held true to deliver nothing until {@link #releaseAfter} (for a store that registers for changes
     *     before it reads its snapshot)
     */
    public ListenerQueue(
            RouteStore.Listener listener, BiConsumer<Object, RuntimeException> onListenerFailure, boolean held) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.onListenerFailure = Objects.requireNonNull(onListenerFailure, "onListenerFailure");
        this.held = held;
    }

    /**
     * Queues an event; call {@link #drain} after (outside the store's locks).
     *
     * @param event the change
     */
    public void add(RouteEvent event) {
        if (!closed) {
            queue.add(Objects.requireNonNull(event, "event"));
        }
    }

    /**
     * Queues events in their order.
     *
     * @param events the changes
     */
    public void addAll(Collection<? extends RouteEvent> events) {
        events.forEach(this::add);
    }

    /** Queues the end of the snapshot ({@link RouteStore.Listener#onSnapshotComplete}). */
    public void addSnapshotComplete() {
        add(SNAPSHOT_COMPLETE);
    }

    /**
     * Delivers the snapshot ahead of everything queued so far, then the end-of-snapshot mark, then releases the
     * hold and drains. Call once, on a held queue.
     *
     * @param snapshot the snapshot's events
     * @throws IllegalStateException if the queue is not held
     */
    public void releaseAfter(List<RouteEvent> snapshot) {
        if (!held) {
            throw new IllegalStateException("releaseAfter on a queue that is not held");
        }
        // Nobody drains a held queue, so this thread delivers first.
        for (RouteEvent e : snapshot) {
            deliver(e);
        }
        deliver(SNAPSHOT_COMPLETE);
        held = false;
        drain();
    }

    /** Delivers what is queued, unless another thread is delivering (it then delivers this thread's events too). */
    public void drain() {
        while (!held && !closed && !queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                RouteEvent e;
                while (!closed && (e = queue.poll()) != null) {
                    deliver(e);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /** Stops delivery and drops what is queued (an event being delivered may still arrive). Idempotent. */
    public void close() {
        closed = true;
        queue.clear();
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void deliver(RouteEvent e) {
        if (closed) {
            return;
        }
        try {
            if (e == SNAPSHOT_COMPLETE) {
                listener.onSnapshotComplete();
            } else {
                listener.onEvent(e);
            }
        } catch (RuntimeException ex) {
            onListenerFailure.accept(e == SNAPSHOT_COMPLETE ? "snapshot complete" : e, ex);
        }
    }
}
