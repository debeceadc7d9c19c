package io.clink.core.internal.engine;

import io.clink.api.link.LinkMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters and gauges of one link on this node; {@link #snapshot} turns them into the public {@link
 * LinkMetrics}. Counters are {@link LongAdder}s because publisher threads bump them concurrently on the hot path;
 * gauges are {@link AtomicLong}s adjusted by deltas.
 *
 * <p>One instance per link name, kept across config changes of that link: counters only grow until the engine
 * restarts or an operator asks for {@link #resetCounters()}, as EMQX's do.
 */
public final class LinkCounters {

    /** Route operations this node's actors sent to the remote (acknowledged batches). */
    public final LongAdder routesSent = new LongAdder();
    /** Route operations received from the remote's actors and applied. */
    public final LongAdder routesReceived = new LongAdder();
    /** Route operations received from the remote's actors and skipped (invalid filter or shape); batch applied. */
    public final LongAdder routesSkipped = new LongAdder();
    /** Local messages forwarded to the remote and acknowledged. */
    public final LongAdder forwarded = new LongAdder();
    /** Messages received from the remote and delivered locally. */
    public final LongAdder received = new LongAdder();
    /** Messages received from the remote and not delivered because of this link's current topics or enable flag. */
    public final LongAdder filtered = new LongAdder();
    /** Messages to forward dropped: buffer full or expired in it. */
    public final LongAdder dropped = new LongAdder();
    /** Forwards the remote refused or that could not be sent. */
    public final LongAdder failed = new LongAdder();
    /** Forward attempts repeated after a failure or a reconnect. */
    public final LongAdder retried = new LongAdder();
    /** Exceptions thrown by broker code (LocalBroker) while serving this link. */
    public final LongAdder brokerErrors = new LongAdder();
    /** Protocol errors of inbound link connections speaking for this link's cluster. */
    public final LongAdder protocolErrors = new LongAdder();
    /** Metadata fields of received messages left out because the broker SPI cannot carry them. */
    public final LongAdder fieldsDropped = new LongAdder();
    /** Messages received from the remote and refused with a PUBACK failure code, the connection kept. */
    public final LongAdder rejected = new LongAdder();
    /** Reconnect attempts scheduled by this node's link connections (route actor and forwarding pool). */
    public final LongAdder reconnects = new LongAdder();
    /** Gauge: messages waiting in the forwarding buffer. */
    public final AtomicLong bufferedMessages = new AtomicLong();
    /** Gauge: forwarded messages sent and awaiting their PUBACK (a subset of {@link #bufferedMessages}). */
    public final AtomicLong inflightMessages = new AtomicLong();
    /** Gauge: payload bytes waiting in the forwarding buffer. */
    public final AtomicLong bufferedBytes = new AtomicLong();

    /**
     * Sets every counter to zero; the gauges keep their values, since they describe what is buffered now, and a
     * gauge reset would go negative as the buffered messages leave. Increments racing with the reset may land
     * before or after it.
     */
    public void resetCounters() {
        for (LongAdder a : new LongAdder[] {
            routesSent,
            routesReceived,
            routesSkipped,
            forwarded,
            received,
            filtered,
            dropped,
            failed,
            retried,
            brokerErrors,
            protocolErrors,
            fieldsDropped,
            rejected,
            reconnects
        }) {
            a.reset();
        }
    }

    /**
     * A consistent-enough snapshot (each value read once; values may be from slightly different instants).
     *
     * @param remoteRoutes the route index's current count for this link's cluster
     */
    public LinkMetrics snapshot(long remoteRoutes) {
        return new LinkMetrics(
                routesSent.sum(),
                routesReceived.sum(),
                routesSkipped.sum(),
                remoteRoutes,
                forwarded.sum(),
                received.sum(),
                filtered.sum(),
                dropped.sum(),
                failed.sum(),
                retried.sum(),
                Math.max(0, bufferedMessages.get()),
                Math.max(0, bufferedBytes.get()),
                fieldsDropped.sum(),
                rejected.sum(),
                protocolErrors.sum(),
                brokerErrors.sum(),
                reconnects.sum(),
                Math.max(0, inflightMessages.get()));
    }
}
