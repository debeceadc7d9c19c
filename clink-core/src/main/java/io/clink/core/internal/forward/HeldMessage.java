package io.clink.core.internal.forward;

import io.clink.api.transport.OutgoingPublish;

/**
 * One message held for forwarding, encoded once: the same PUBLISH serves every resend. Identity matters: a pool
 * connection's in-flight set holds messages by identity, so two equal messages stay two.
 */
final class HeldMessage {
    final OutgoingPublish publish;
    /** The original QoS, which decides what a connection loss does to it (QoS 0 is dropped, QoS 1+ resent). */
    final int qos;
    /** The encoded record's size, as reserved in the {@link ForwardingBuffer}. */
    final int bytes;

    final long enqueuedNanos;

    HeldMessage(OutgoingPublish publish, int qos, int bytes, long enqueuedNanos) {
        this.publish = publish;
        this.qos = qos;
        this.bytes = bytes;
        this.enqueuedNanos = enqueuedNanos;
    }

    /** Whether it waited {@code ttlNanos} or longer by {@code now} (monotonic nanoseconds). */
    boolean expired(long now, long ttlNanos) {
        return now - enqueuedNanos >= ttlNanos;
    }
}
