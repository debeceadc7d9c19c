package io.clink.api.link;

/**
 * An immutable snapshot of one link's counters and gauges on this node. Counters only grow (until the engine
 * restarts); gauges are current values. Build one with {@link #builder()}; every value must be zero or more.
 *
 * <p>EMQX's management API (protocol document section 6.3) reports {@code router.routes} ({@link #remoteRoutes()})
 * and, under {@code forwarding}, {@code matched}/{@code success}/{@code failed}/{@code dropped}/{@code retried}
 * and {@code queuing}; the names here map onto those as documented on each accessor.
 *
 * @param routesSent counter: route operations (adds and deletes) this node's actors sent to the remote
 * @param routesReceived counter: route operations received from the remote's actors and applied
 * @param routesSkipped counter: route operations received from the remote's actors and skipped, the rest of their
 *     batch being applied: an operation whose filter is not a valid MQTT topic filter (or not UTF-8), or that is
 *     not shaped like a route operation at all. Not a protocol error: the link stays connected
 * @param remoteRoutes gauge: routes the remote has replicated into this cluster (EMQX {@code router.routes})
 * @param forwarded counter: local messages forwarded to the remote and acknowledged (EMQX {@code success})
 * @param received counter: messages received from the remote and delivered locally
 * @param filtered counter: messages received from the remote and not delivered because the link's current topics
 *     or enable flag exclude them
 * @param dropped counter: messages to forward that were dropped because the forwarding buffer was full, or that
 *     expired in it (EMQX {@code dropped})
 * @param failed counter: forwards the remote refused or that could not be sent (EMQX {@code failed})
 * @param retried counter: forward attempts repeated after a failure or a reconnect (EMQX {@code retried})
 * @param bufferedMessages gauge: messages waiting in the forwarding buffer (EMQX {@code queuing})
 * @param bufferedBytes gauge: payload bytes waiting in the forwarding buffer
 * @param fieldsDropped counter: metadata fields of received messages (headers, MQTT 5 properties, publisher
 *     identity) that could not be carried to local subscribers and were left out of a message that was still
 *     delivered, e.g. an invalid UTF-8 user property or a gateway's text {@code proto_ver}; one per field, so a
 *     message can count several (a clink extra)
 * @param rejected counter: messages received from the remote and refused with a PUBACK reason code of 0x80 or
 *     more, the connection kept: payloads that are not a {@code #message{}} record, topics an MQTT broker cannot
 *     carry, and deliveries the local broker failed (a clink extra; EMQX counts them {@code failed} on its side)
 * @param protocolErrors counter: protocol errors of the remote cluster's connections to this node (undecodable or
 *     out-of-order control messages, bad forwarded payloads): each one also ends or refuses what the peer sent
 * @param brokerErrors counter: calls into the local broker for this link that threw (the call's result counted as a
 *     failure; the broker adapter's bug, not the peer's)
 * @param inflightMessages gauge: forwarded messages sent and awaiting their PUBACK (EMQX {@code inflight}); they
 *     are also counted in {@code bufferedMessages}, which holds a message until it is acknowledged
 * @param reconnects counter: reconnect attempts scheduled by this node's link connections (the route actor's and
 *     the forwarding pool's), after a failed connect or a lost connection
 * @since 0.1.0
 */
public record LinkMetrics(
        long routesSent,
        long routesReceived,
        long routesSkipped,
        long remoteRoutes,
        long forwarded,
        long received,
        long filtered,
        long dropped,
        long failed,
        long retried,
        long bufferedMessages,
        long bufferedBytes,
        long fieldsDropped,
        long rejected,
        long protocolErrors,
        long brokerErrors,
        long reconnects,
        long inflightMessages) {

    /** All zero: a link that has done nothing yet. */
    public static final LinkMetrics ZERO = new LinkMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the first negative value
     */
    public LinkMetrics {
        nonNegative("routesSent", routesSent);
        nonNegative("routesReceived", routesReceived);
        nonNegative("routesSkipped", routesSkipped);
        nonNegative("remoteRoutes", remoteRoutes);
        nonNegative("forwarded", forwarded);
        nonNegative("received", received);
        nonNegative("filtered", filtered);
        nonNegative("dropped", dropped);
        nonNegative("failed", failed);
        nonNegative("retried", retried);
        nonNegative("bufferedMessages", bufferedMessages);
        nonNegative("bufferedBytes", bufferedBytes);
        nonNegative("fieldsDropped", fieldsDropped);
        nonNegative("rejected", rejected);
        nonNegative("protocolErrors", protocolErrors);
        nonNegative("brokerErrors", brokerErrors);
        nonNegative("reconnects", reconnects);
        nonNegative("inflightMessages", inflightMessages);
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    /**
     * Messages matched for forwarding so far: forwarded, failed, dropped, or still buffered (EMQX {@code matched}).
     *
     * @return the sum, saturating at {@link Long#MAX_VALUE}
     * @since 0.1.0
     */
    public long matched() {
        long sum = 0;
        for (long v : new long[] {forwarded, failed, dropped, bufferedMessages}) {
            sum += v;
            if (sum < 0) {
                return Long.MAX_VALUE;
            }
        }
        return sum;
    }

    /**
     * Starts a builder with every value zero.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link LinkMetrics}. Not thread-safe. Each setter rejects a negative value at once.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private long routesSent;
        private long routesReceived;
        private long routesSkipped;
        private long remoteRoutes;
        private long forwarded;
        private long received;
        private long filtered;
        private long dropped;
        private long failed;
        private long retried;
        private long bufferedMessages;
        private long bufferedBytes;
        private long fieldsDropped;
        private long rejected;
        private long protocolErrors;
        private long brokerErrors;
        private long reconnects;
        private long inflightMessages;

        private Builder() {}

        private static long check(String name, long value) {
            nonNegative(name, value);
            return value;
        }

        /**
         * Sets {@link LinkMetrics#routesSent()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder routesSent(long v) {
            routesSent = check("routesSent", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#routesReceived()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder routesReceived(long v) {
            routesReceived = check("routesReceived", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#routesSkipped()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder routesSkipped(long v) {
            routesSkipped = check("routesSkipped", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#remoteRoutes()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder remoteRoutes(long v) {
            remoteRoutes = check("remoteRoutes", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#forwarded()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder forwarded(long v) {
            forwarded = check("forwarded", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#received()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder received(long v) {
            received = check("received", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#filtered()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder filtered(long v) {
            filtered = check("filtered", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#dropped()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder dropped(long v) {
            dropped = check("dropped", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#failed()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder failed(long v) {
            failed = check("failed", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#retried()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder retried(long v) {
            retried = check("retried", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#bufferedMessages()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder bufferedMessages(long v) {
            bufferedMessages = check("bufferedMessages", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#bufferedBytes()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder bufferedBytes(long v) {
            bufferedBytes = check("bufferedBytes", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#fieldsDropped()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder fieldsDropped(long v) {
            fieldsDropped = check("fieldsDropped", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#rejected()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder rejected(long v) {
            rejected = check("rejected", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#protocolErrors()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder protocolErrors(long v) {
            protocolErrors = check("protocolErrors", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#brokerErrors()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder brokerErrors(long v) {
            brokerErrors = check("brokerErrors", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#reconnects()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder reconnects(long v) {
            reconnects = check("reconnects", v);
            return this;
        }

        /**
         * Sets {@link LinkMetrics#inflightMessages()}.
         *
         * @param v zero or more
         * @return this builder
         */
        public Builder inflightMessages(long v) {
            inflightMessages = check("inflightMessages", v);
            return this;
        }

        /**
         * Builds the snapshot.
         *
         * @return the metrics
         */
        public LinkMetrics build() {
            return new LinkMetrics(
                    routesSent,
                    routesReceived,
                    routesSkipped,
                    remoteRoutes,
                    forwarded,
                    received,
                    filtered,
                    dropped,
                    failed,
                    retried,
                    bufferedMessages,
                    bufferedBytes,
                    fieldsDropped,
                    rejected,
                    protocolErrors,
                    brokerErrors,
                    reconnects,
                    inflightMessages);
        }
    }
}
