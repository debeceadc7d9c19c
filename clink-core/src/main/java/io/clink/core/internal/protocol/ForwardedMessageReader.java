package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.nio.ByteBuffer;

/**
 * Reads a {@link ForwardedMessage} from a decoded {@code #message{}} term: checks the record's shape (tag, arity,
 * each field's term type, QoS 0-2, a non-empty topic without wildcards, iodata payload) and nothing more, as EMQX
 * validates no more either.
 */
final class ForwardedMessageReader {
    private ForwardedMessageReader() {}

    static ForwardedMessage read(Term term) throws ProtocolException {
        if (!(term instanceof ErlTuple)
                || ((ErlTuple) term).arity() != ForwardedMessage.RECORD_ARITY
                || !EmqxAtoms.MESSAGE.equals(((ErlTuple) term).get(0))) {
            throw new ProtocolException("forwarded message must be the 10-tuple {message, Id, QoS, From, Flags, "
                    + "Headers, Topic, Payload, Timestamp, Extra}, found " + term);
        }
        ErlTuple t = (ErlTuple) term;
        ErlBinary id = Fields.binary(t.get(1), "#message.id");
        int qos = (int) Fields.integer(t.get(2), "#message.qos", 0, 2);
        Term fromTerm = t.get(3);
        String from;
        ErlBinary fromBinary;
        if (fromTerm instanceof ErlAtom) {
            from = null;
            fromBinary = ErlBinary.utf8(((ErlAtom) fromTerm).name());
        } else {
            // A view into the decoded bytes, as the payload is: no copy.
            fromBinary = Fields.binary(fromTerm, "#message.from");
            from = fromBinary.utf8OrNull();
        }
        ErlMap flags = Fields.map(t.get(4), "#message.flags");
        MessageFlags.check(flags);
        MessageHeaders headers = MessageHeaders.fromTerm(t.get(5));
        ErlBinary topicBinary = Fields.binary(t.get(6), "#message.topic");
        requireTopicName(topicBinary);
        ByteBuffer payload = Iodata.toReadOnlyBuffer(t.get(7), "#message.payload");
        long timestamp = Fields.integer(t.get(8), "#message.timestamp");
        ErlMap extra = Fields.map(t.get(9), "#message.extra");
        return new ForwardedMessage(
                id,
                qos,
                from,
                fromTerm,
                fromBinary,
                flags,
                headers,
                topicBinary.utf8OrNull(),
                topicBinary,
                payload,
                timestamp,
                extra);
    }

    /**
     * EMQX publishes only to topic names: never empty, never a wildcard. Anything else is not a message EMQX
     * forwards; whatever else the bytes hold (not UTF-8, U+0000) is the receiver's business, not a broken record.
     */
    private static void requireTopicName(ErlBinary topic) throws ProtocolException {
        if (topic.length() == 0) {
            throw new ProtocolException("#message.topic must be a topic name, found an empty binary");
        }
        if (topic.indexOf((byte) '+') >= 0 || topic.indexOf((byte) '#') >= 0) {
            throw new ProtocolException("#message.topic must be a topic name without wildcards, found " + topic);
        }
    }
}
