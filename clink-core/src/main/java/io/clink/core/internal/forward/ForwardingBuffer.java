package io.clink.core.internal.forward;

import io.clink.core.internal.engine.LinkCounters;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission to one link's forwarding buffer: at most {@code forwardingBufferMaxMessages} messages and {@code
 * forwardingBufferMaxBytes} bytes held at once, where held means queued, waiting for a resend, or sent and waiting
 * for the PUBACK. The bytes are the encoded record, the link PUBLISH payload, so the limit bounds the memory really
 * held. The link's gauges {@code bufferedMessages}/{@code bufferedBytes} mirror exactly what is held.
 *
 * <p>Thread-safe without a lock: publisher threads reserve, the pool's executor releases; two atomic counters, a
 * reservation that overshoots is undone at once.
 */
final class ForwardingBuffer {

    // Same category as the pool's own lines, so a log configuration for Forwarder keeps covering them.
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final String linkName;
    private final int maxMessages;
    private final long maxBytes;
    private final LinkCounters counters;
    private final AtomicLong heldMessages = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();

    ForwardingBuffer(String linkName, int maxMessages, long maxBytes, LinkCounters counters) {
        this.linkName = Objects.requireNonNull(linkName, "linkName");
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** Whether no further message fits by count: a cheap test before any allocation. */
    boolean isFull() {
        return heldMessages.get() >= maxMessages;
    }

    /**
     * Holds one more message of {@code bytes}, if both limits allow.
     *
     * @return whether it was admitted; if not, nothing is held for it
     */
    boolean reserve(int bytes) {
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

    /** Undoes a {@link #reserve} of {@code bytes} whose message never became a {@link HeldMessage}. */
    void unreserve(int bytes) {
        heldMessages.decrementAndGet();
        heldBytes.addAndGet(-bytes);
        counters.bufferedMessages.decrementAndGet();
        counters.bufferedBytes.addAndGet(-bytes);
    }

    /** {@code message} is settled (forwarded or failed; the caller counts which): it is no longer held. */
    void release(HeldMessage message) {
        unreserve(message.bytes);
    }

    /** {@code message} is given up: released and counted as dropped. */
    void drop(HeldMessage message) {
        release(message);
        counters.dropped.increment();
    }

    /** A message on {@code topic} found the buffer full: counted as dropped, never held. */
    void overflow(String topic) {
        counters.dropped.increment();
        LOG.debug(
                "[{}] forwarding buffer full ({} messages, {} bytes held); dropped message on {}",
                linkName,
                heldMessages.get(),
                heldBytes.get(),
                topic);
    }
}
