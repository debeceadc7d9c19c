package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message forwarded over a link: EMQX's {@code #message{}} record, the 10-tuple
 * {@code {message, Id, QoS, From, Flags, Headers, Topic, Payload, Timestamp, Extra}} of protocol section 3.7.
 *
 * <p>Built once per forwarded publish, so encoding is the hot path: {@link #encodedSize()} is exact, and
 * {@link #encodeTo(ByteBuffer)} writes the record straight from the fields into a caller's heap or direct buffer.
 * The topic and client id are UTF-8 encoded once, at build time; the payload is never copied until it is written
 * into the output. Decoding keeps the payload, the topic and the client id as views of the decoded bytes, again
 * without a copy.
 *
 * <p>Decoding checks the record's shape (tag, arity, each field's term type, QoS 0-2, a non-empty topic without
 * wildcards, an iodata payload) and nothing more: text fields that are not UTF-8 and header or property values clink
 * cannot type decode fine (see {@link MessageHeaders#fromTerm}), as EMQX does not validate them either.
 *
 * <p>{@code from} is written as a binary. An atom {@code from} (some EMQX-internal messages) is kept as the atom by
 * {@link #fromField()} but would be re-encoded as a binary of its name; clink never re-forwards received messages, so
 * this never reaches the wire.
 * Immutable and thread-safe (the payload buffer is read-only and only read through duplicates).
 */
public final class ForwardedMessage {
    static final int RECORD_ARITY = 10;

    private final ErlBinary id;
    private final int qos;
    private final @Nullable String from;
    private final Term fromTerm;
    /** What {@code from} is written as: the client id's bytes, or an atom {@code from}'s name. */
    private final ErlBinary fromBinary;

    private final ErlMap flags;
    private final MessageHeaders headers;
    private final @Nullable String topic;
    private final ErlBinary topicBinary;
    private final ByteBuffer payload;
    private final long timestamp;
    private final ErlMap extra;

    ForwardedMessage(
            ErlBinary id,
            int qos,
            @Nullable String from,
            Term fromTerm,
            ErlBinary fromBinary,
            ErlMap flags,
            MessageHeaders headers,
            @Nullable String topic,
            ErlBinary topicBinary,
            ByteBuffer payload,
            long timestamp,
            ErlMap extra) {
        this.id = id;
        this.qos = qos;
        this.from = from;
        this.fromTerm = fromTerm;
        this.fromBinary = fromBinary;
        this.flags = flags;
        this.headers = headers;
        this.topic = topic;
        this.topicBinary = topicBinary;
        this.payload = payload;
        this.timestamp = timestamp;
        this.extra = extra;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder with empty flags, headers and extra
     */
    public static ForwardedMessageBuilder builder() {
        return new ForwardedMessageBuilder();
    }

    /**
     * Returns the message id: EMQX's 16-byte GUID.
     *
     * @return the id
     */
    public ErlBinary id() {
        return id;
    }

    /**
     * Returns the original QoS, which the receiving cluster delivers with.
     *
     * @return 0, 1 or 2
     */
    public int qos() {
        return qos;
    }

    /**
     * Returns the publisher's client id.
     *
     * @return the client id, or {@code null} when the field is an atom or bytes that are not UTF-8 (see
     *     {@link #fromField()})
     */
    public @Nullable String from() {
        return from;
    }

    /**
     * Returns the {@code from} field as sent: a binary (client id), or an atom such as {@code undefined} or
     * {@code bridge} for messages EMQX makes itself.
     *
     * @return the term
     */
    public Term fromField() {
        return fromTerm;
    }

    /**
     * Returns the flags map (atom keys, boolean values), e.g. {@code #{dup => false, retain => false}}.
     *
     * @return the flags
     */
    public ErlMap flags() {
        return flags;
    }

    /**
     * Returns the dup flag.
     *
     * @return true if the flags say {@code dup => true}
     */
    public boolean dup() {
        return MessageFlags.isSet(flags, EmqxAtoms.DUP);
    }

    /**
     * Returns the retain flag.
     *
     * @return true if the flags say {@code retain => true}
     */
    public boolean retain() {
        return MessageFlags.isSet(flags, EmqxAtoms.RETAIN);
    }

    /**
     * Returns the headers.
     *
     * @return the headers
     */
    public MessageHeaders headers() {
        return headers;
    }

    /**
     * Returns the topic the message was published to.
     *
     * @return the topic, or {@code null} when its bytes are not UTF-8 (EMQX does not check by default; see
     *     {@link #topicBytes()})
     */
    public @Nullable String topic() {
        return topic;
    }

    /**
     * Returns the topic as sent.
     *
     * @return a binary over the topic's bytes
     */
    public ErlBinary topicBytes() {
        return topicBinary;
    }

    /**
     * Returns the payload.
     *
     * @return a read-only buffer over the payload, positioned at its start (a new duplicate per call)
     */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /**
     * Returns the publish time.
     *
     * @return milliseconds since the epoch
     */
    public long timestamp() {
        return timestamp;
    }

    /**
     * Returns the extra map ({@code #{}} from EMQX 6.0.3 on; older senders may put e.g. tracing context here).
     *
     * @return the extra map
     */
    public ErlMap extra() {
        return extra;
    }

    /**
     * Returns the exact size of {@link #encode()}'s output.
     *
     * @return bytes, version byte included
     */
    public int encodedSize() {
        return 1
                + EtfEncoder.tupleHeaderSize(RECORD_ARITY)
                + EtfEncoder.atomSize(EmqxAtoms.MESSAGE)
                + EtfEncoder.binarySize(id.length())
                + EtfEncoder.integerSize(qos)
                + EtfEncoder.binarySize(fromBinary.length())
                + EtfEncoder.termSize(flags)
                + headers.encodedTerm().length
                + EtfEncoder.binarySize(topicBinary.length())
                + EtfEncoder.binarySize(payload.remaining())
                + EtfEncoder.integerSize(timestamp)
                + EtfEncoder.termSize(extra);
    }

    /**
     * Writes the payload ETF ({@code term_to_binary(Msg)}) at the buffer's position.
     *
     * @param out a buffer with at least {@link #encodedSize()} bytes left
     * @throws java.nio.BufferOverflowException if it has fewer
     */
    public void encodeTo(ByteBuffer out) {
        EtfEncoder.writeVersion(out);
        EtfEncoder.writeTupleHeader(out, RECORD_ARITY);
        EtfEncoder.writeAtom(out, EmqxAtoms.MESSAGE);
        EtfEncoder.writeBinary(out, id);
        EtfEncoder.writeInteger(out, qos);
        EtfEncoder.writeBinary(out, fromBinary);
        EtfEncoder.writeTerm(flags, out);
        out.put(headers.encodedTerm());
        EtfEncoder.writeBinary(out, topicBinary);
        EtfEncoder.writeBinary(out, payload);
        EtfEncoder.writeInteger(out, timestamp);
        EtfEncoder.writeTerm(extra, out);
    }

    /**
     * Encodes into a new array of exactly the right size (plain, as EMQX before 6.0.3 sends).
     *
     * @return the payload
     */
    public byte[] encode() {
        byte[] out = new byte[encodedSize()];
        encodeTo(ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Encodes and compresses where that pays, as EMQX 6.0.3+ sends.
     *
     * @return the payload
     */
    public byte[] encodeCompressed() {
        return EtfEncoder.compress(encode());
    }

    /**
     * Returns the record as a term (copies nothing but the payload view's bytes when they are not array-backed).
     *
     * @return the 10-tuple
     */
    public ErlTuple toTerm() {
        return ErlTuple.of(
                EmqxAtoms.MESSAGE,
                id,
                ErlInteger.of(qos),
                fromBinary,
                flags,
                headers.toTerm(),
                topicBinary,
                payloadBinary(),
                ErlInteger.of(timestamp),
                extra);
    }

    private ErlBinary payloadBinary() {
        if (payload.hasArray()) {
            return ErlBinary.wrap(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        }
        return ErlBinary.copyOf(payload);
    }

    /**
     * Decodes a payload.
     *
     * @param decoder the decoder, with its limits
     * @param payload the payload, plain or compressed; must not be modified while the result is in use
     * @return the message
     * @throws ProtocolException if the bytes are not a term, or the term is not a {@code #message{}} record
     */
    public static ForwardedMessage decode(EtfDecoder decoder, byte[] payload) throws ProtocolException {
        return fromTerm(decoder.decode(payload));
    }

    /**
     * Reads a message from a decoded term.
     *
     * @param term the term
     * @return the message
     * @throws ProtocolException if the term is not a {@code #message{}} record of the expected field types
     */
    public static ForwardedMessage fromTerm(Term term) throws ProtocolException {
        return ForwardedMessageReader.read(term);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ForwardedMessage)) {
            return false;
        }
        ForwardedMessage m = (ForwardedMessage) o;
        return qos == m.qos
                && timestamp == m.timestamp
                && id.equals(m.id)
                && fromTerm.equals(m.fromTerm)
                && flags.equals(m.flags)
                && headers.equals(m.headers)
                && topicBinary.equals(m.topicBinary)
                && payload.equals(m.payload)
                && extra.equals(m.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, qos, fromTerm, flags, headers, topicBinary, payload, timestamp, extra);
    }

    @Override
    public String toString() {
        return "ForwardedMessage{id=" + id + ", qos=" + qos + ", from=" + fromTerm + ", flags=" + flags
                + ", headers=" + headers + ", topic=" + (topic != null ? topic : topicBinary)
                + ", payload=" + payload.remaining() + " bytes, timestamp="
                + timestamp + ", extra=" + extra + "}";
    }
}
