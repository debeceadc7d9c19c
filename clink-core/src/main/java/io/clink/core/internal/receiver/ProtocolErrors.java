package io.clink.core.internal.receiver;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.ReasonCodes;
import io.clink.core.internal.engine.CounterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the receiver answers a peer that broke the protocol: the connection goes CLOSING (its later publishes are
 * refused, since a broker may defer the close), the error is counted against the sender's cluster (a receiver-wide
 * counter when there is no link to it here, so a peer cannot make the engine create counters for arbitrary names)
 * and logged, and DISCONNECT 0x83 is requested. Called for one connection at a time.
 */
final class ProtocolErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrors.class);

    private final CounterRegistry counters;

    ProtocolErrors(CounterRegistry counters) {
        this.counters = counters;
    }

    ReceiveOutcome raise(LinkConnection conn, InboundConnection state, String cluster, String reason) {
        state.closing = true;
        state.bound = null;
        counters.countersOf(cluster).protocolErrors.increment();
        LOG.warn(
                "[{}] protocol error on link connection {} (client {}): {}; disconnecting",
                cluster,
                conn.connectionId(),
                conn.clientId(),
                reason);
        return ReceiveOutcome.disconnect(
                ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR, "cluster link protocol error: " + reason);
    }
}
