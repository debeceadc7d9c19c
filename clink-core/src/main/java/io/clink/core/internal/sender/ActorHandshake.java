package io.clink.core.internal.sender;

import io.clink.api.transport.InboundPublish;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route actor's side of the {@code actor_init} handshake (protocol sections 4.1 and 5.4): it builds the request
 * with a fresh correlation id, recognises the reply to the request in progress among everything arriving on the
 * response topic, and reads it into an {@link Outcome}. Timing out and what follows an outcome are the actor's.
 *
 * <p>Not thread-safe: confined to the actor's serial executor.
 */
final class ActorHandshake {

    // Same category as the actor's own lines, so a log configuration for ActorSender keeps covering them.
    private static final Logger LOG = LoggerFactory.getLogger(ActorSender.class);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String linkName;
    private final String actorName;
    private final EtfDecoder decoder;
    private final DoubleSupplier random;

    // The correlation id of the request awaiting its reply; null when none does.
    private byte @Nullable [] requestId;

    /**
     * What the peer answered.
     *
     * @param accepted whether the peer accepted the actor
     * @param needBootstrap for an accepted actor, whether the peer holds none of its routes (protocol section 4.2)
     * @param error for a refused or unreadable answer, the status error ({@code handshake_rejected: ...} or
     *     {@code bad_ack: ...}); null when accepted
     */
    record Outcome(
            boolean accepted,
            boolean needBootstrap,
            @Nullable String error) {}

    ActorHandshake(String linkName, String actorName, EtfLimits etfLimits, DoubleSupplier random) {
        this.linkName = Objects.requireNonNull(linkName, "linkName");
        this.actorName = Objects.requireNonNull(actorName, "actorName");
        this.decoder = new EtfDecoder(Objects.requireNonNull(etfLimits, "etfLimits"));
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Starts a request: draws its correlation id, which a reply must carry.
     *
     * @return the correlation id for the {@code actor_init} PUBLISH
     */
    byte[] newRequest() {
        byte[] id = new byte[16];
        for (int i = 0; i < id.length; i++) {
            int digit = (int) (random.getAsDouble() * 16);
            id[i] = (byte) HEX[Math.min(15, Math.max(0, digit))];
        }
        requestId = id;
        return id;
    }

    /** The request is over (answered, timed out or its connection gone): no publish counts as its reply any more. */
    void clear() {
        requestId = null;
    }

    /** The {@code actor_init} payload of this actor's {@code incarnation}. */
    byte[] actorInit(long incarnation) {
        return ControlCodec.encode(new ActorInit(actorName, incarnation, linkName, ControlMessage.PROTOCOL_VERSION));
    }

    /** Whether {@code publish} answers the request in progress (and not an earlier one, or none at all). */
    boolean isReply(InboundPublish publish) {
        byte[] expected = requestId;
        return expected != null && Arrays.equals(expected, publish.correlationData());
    }

    /**
     * Reads a reply; an accepted or rejected one ends the request.
     *
     * @param publish a publish for which {@link #isReply} holds
     * @return what the peer answered
     */
    Outcome read(InboundPublish publish) {
        ControlMessage message;
        try {
            message = ControlCodec.decode(decoder, publish.payload());
        } catch (ProtocolException e) {
            LOG.warn("link {} actor {}: undecodable actor_init_ack: {}", linkName, actorName, e.getMessage());
            return new Outcome(false, false, "bad_ack: " + e.getMessage());
        }
        if (!(message instanceof ActorInitAck ack)) {
            return new Outcome(
                    false,
                    false,
                    "bad_ack: expected actor_init_ack, got "
                            + message.getClass().getSimpleName());
        }
        requestId = null;
        if (ack.result() instanceof Rejected rejected) {
            LOG.warn("link {} actor {}: handshake_rejected: {}", linkName, actorName, rejected.reason());
            return new Outcome(false, false, "handshake_rejected: " + rejected.reason());
        }
        return new Outcome(true, ((Accepted) ack.result()).needBootstrap(), null);
    }
}
