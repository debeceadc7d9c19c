package io.clink.core.internal.sender;

import com.google.common.base.Utf8;
import io.clink.api.transport.ConnectResult;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the route actor's ops into route batches that the peer accepts (protocol section 3.5): at most {@link
 * #MAX_BATCH_OPS} ops, and a PUBLISH within the peer's Maximum-Packet-Size. An op that can never fit, even alone, is
 * logged, counted as failed and dropped, so it cannot stall the actor.
 *
 * <p>Sizes are estimated before encoding ({@link #opBytes} is an upper bound), then checked exactly on the encoded
 * payload; if the estimate ever proved wrong, or the peer still answers {@code PACKET_TOO_LARGE}, the batch goes
 * back to its source and the op cap is halved for the rest of the connection rather than looping.
 *
 * <p>Not thread-safe: confined to the actor's serial executor.
 */
final class RouteBatchPacker {

    // Same category as the actor's own lines, so a log configuration for ActorSender keeps covering them.
    private static final Logger LOG = LoggerFactory.getLogger(ActorSender.class);

    /** Most ops in one route batch (protocol section 3.5). */
    static final int MAX_BATCH_OPS = 4000;

    // ETF: a SMALL_TUPLE header (2 bytes), two BINARY_EXT headers (5 bytes each), and for a delete the SMALL_INTEGER
    // 100 (2 bytes); the encoded batch adds one LIST_EXT header (5 bytes) to the empty batch, which has NIL.
    private static final int OP_FIXED_BYTES = 2 + 5 + 5;
    private static final int DELETE_EXTRA_BYTES = 2;
    private static final int LIST_HEADER_BYTES = 5;

    private final String linkName;
    private final String actorName;
    private final String routeTopic;
    private final LinkCounters counters;

    private long maxPacketSize = ConnectResult.UNLIMITED;
    private int batchOpsCap = MAX_BATCH_OPS;

    /** One route batch ready to publish: its ops and their encoded {@code route_batch} payload. */
    record Batch(List<RouteOp> ops, byte[] payload) {}

    RouteBatchPacker(String linkName, String actorName, String routeTopic, LinkCounters counters) {
        this.linkName = Objects.requireNonNull(linkName, "linkName");
        this.actorName = Objects.requireNonNull(actorName, "actorName");
        this.routeTopic = Objects.requireNonNull(routeTopic, "routeTopic");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * A new connection is up: batches are sized for its peer again, from the full op cap.
     *
     * @param peerMaxPacketSize the CONNACK's Maximum-Packet-Size, or {@link ConnectResult#UNLIMITED}
     */
    void connected(long peerMaxPacketSize) {
        maxPacketSize = peerMaxPacketSize;
        batchOpsCap = MAX_BATCH_OPS;
    }

    /**
     * Takes the next batch from {@code source}, dropping ops that can never fit on the way.
     *
     * @param source the ops still to send; the batch's ops are removed from it
     * @param incarnation the actor's incarnation, part of every batch
     * @return the batch, or null if {@code source} was or became empty (every op left was dropped)
     */
    @Nullable
    Batch next(SyncerStash source, long incarnation) {
        long fixed = publishOverhead()
                + ControlCodec.encode(new RouteBatch(actorName, incarnation, List.of())).length
                + LIST_HEADER_BYTES;
        while (!source.isEmpty()) {
            List<RouteOp> batch = source.takeBatch(batchOpsCap, maxPacketSize - fixed, RouteBatchPacker::opBytes);
            byte[] payload = ControlCodec.encode(new RouteBatch(actorName, incarnation, batch));
            if (publishBytes(payload.length) > maxPacketSize) {
                if (batch.size() == 1) {
                    dropUnsendable(batch.get(0), payload.length);
                    continue;
                }
                // The estimate is an upper bound, so this is not expected; halve rather than loop.
                source.restore(batch);
                batchOpsCap = Math.max(1, batch.size() / 2);
                continue;
            }
            return new Batch(batch, payload);
        }
        return null;
    }

    /**
     * The peer refused {@code batch} as too large (the connection is fine): a single op is dropped for good, a
     * larger batch goes back to {@code source} and later batches hold half as many ops.
     *
     * @param batch the refused batch
     * @param source where it was taken from
     */
    void tooLarge(List<RouteOp> batch, SyncerStash source) {
        if (batch.size() == 1) {
            dropUnsendable(batch.get(0), -1);
        } else {
            source.restore(batch);
            batchOpsCap = Math.max(1, batch.size() / 2);
        }
    }

    /** Upper bound of a route op's share of the encoded batch, in bytes. */
    static int opBytes(RouteOp op) {
        return OP_FIXED_BYTES
                + (op.delete() ? DELETE_EXTRA_BYTES : 0)
                + Utf8.encodedLength(op.filter())
                + op.routeId().length();
    }

    private void dropUnsendable(RouteOp op, int payloadBytes) {
        counters.failed.increment();
        LOG.error(
                "link {} actor {}: dropping route op {} {} (route id {}): its batch ({} bytes of payload) can never "
                        + "fit the peer's Maximum-Packet-Size of {} bytes",
                linkName,
                actorName,
                op.delete() ? "delete" : "add",
                op.filter(),
                op.routeId(),
                payloadBytes,
                maxPacketSize);
    }

    /** Upper bound of a QoS 1 PUBLISH's bytes around its payload: fixed header, topic, packet id, no properties. */
    private long publishOverhead() {
        return 1 + 4 + 2 + Utf8.encodedLength(routeTopic) + 2 + 1;
    }

    /** Exact size of the QoS 1 PUBLISH carrying {@code payloadBytes} on the route topic, without properties. */
    private long publishBytes(int payloadBytes) {
        long remaining = 2L + Utf8.encodedLength(routeTopic) + 2 + 1 + payloadBytes;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }
}
