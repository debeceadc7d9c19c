package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlMap;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** Builds a {@link ForwardedMessage}; validates every field and writes only atoms EMQX has. */
public final class ForwardedMessageBuilder {
    private static final int GUID_BYTES = 16;

    private ErlBinary id = ErlBinary.EMPTY;
    private int qos;
    private String from = "";
    private int dupFlag = MessageFlags.ABSENT;
    private int retainFlag = MessageFlags.ABSENT;
    private MessageHeaders headers = MessageHeaders.EMPTY;
    private String topic = "";
    private ByteBuffer payload = ByteBuffer.allocate(0);
    private long timestamp;
    private ErlMap extra = ErlMap.EMPTY;

    ForwardedMessageBuilder() {}

    /**
     * Sets the id.
     *
     * @param guid 16 bytes (copied)
     * @return this builder
     * @throws IllegalArgumentException if not 16 bytes
     */
    public ForwardedMessageBuilder id(byte[] guid) {
        if (guid.length != GUID_BYTES) {
            throw new IllegalArgumentException("message id must be a 16-byte GUID, got " + guid.length + " bytes");
        }
        this.id = ErlBinary.wrap(Arrays.copyOf(guid, GUID_BYTES));
        return this;
    }

    /**
     * Sets the QoS.
     *
     * @param qos 0, 1 or 2
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ForwardedMessageBuilder qos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        }
        this.qos = qos;
        return this;
    }

    /**
     * Sets the publisher's client id.
     *
     * @param clientId the client id
     * @return this builder
     */
    public ForwardedMessageBuilder from(String clientId) {
        this.from = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /**
     * Sets the dup flag.
     *
     * @param dup the flag
     * @return this builder
     */
    public ForwardedMessageBuilder dup(boolean dup) {
        this.dupFlag = MessageFlags.of(dup);
        return this;
    }

    /**
     * Sets the retain flag.
     *
     * @param retain the flag
     * @return this builder
     */
    public ForwardedMessageBuilder retain(boolean retain) {
        this.retainFlag = MessageFlags.of(retain);
        return this;
    }

    /**
     * Sets the headers.
     *
     * @param headers the headers
     * @return this builder
     */
    public ForwardedMessageBuilder headers(MessageHeaders headers) {
        this.headers = Objects.requireNonNull(headers, "headers");
        return this;
    }

    /**
     * Sets the topic.
     *
     * @param topic the topic name
     * @return this builder
     */
    public ForwardedMessageBuilder topic(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /**
     * Sets the payload without copying it: the remaining bytes of the buffer, which the caller must not modify
     * afterwards. The buffer's position is not changed.
     *
     * @param payload the payload
     * @return this builder
     */
    public ForwardedMessageBuilder payload(ByteBuffer payload) {
        this.payload = payload.slice().asReadOnlyBuffer();
        return this;
    }

    /**
     * Sets the payload without copying it; the caller must not modify the array afterwards.
     *
     * @param payload the payload
     * @return this builder
     */
    public ForwardedMessageBuilder payload(byte[] payload) {
        this.payload = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        return this;
    }

    /**
     * Sets the publish time.
     *
     * @param epochMillis milliseconds since the epoch
     * @return this builder
     */
    public ForwardedMessageBuilder timestamp(long epochMillis) {
        this.timestamp = epochMillis;
        return this;
    }

    /**
     * Sets the extra map; EMQX 6.0.3+ always sends {@code #{}}, the default.
     *
     * @param extra a map whose atoms are all from {@link EmqxAtoms#KNOWN}
     * @return this builder
     * @throws IllegalArgumentException if an atom could be unknown to EMQX
     */
    public ForwardedMessageBuilder extra(ErlMap extra) {
        this.extra = (ErlMap) EmqxAtoms.requireKnownAtoms(extra, "#message.extra");
        return this;
    }

    /**
     * Builds the message.
     *
     * @return the message
     * @throws IllegalStateException if the id was not set
     */
    public ForwardedMessage build() {
        if (id.length() == 0) {
            throw new IllegalStateException("message id is required (a 16-byte GUID)");
        }
        ErlBinary fromBinary = ErlBinary.utf8(from);
        return new ForwardedMessage(
                id,
                qos,
                from,
                fromBinary,
                fromBinary,
                MessageFlags.of(dupFlag, retainFlag),
                headers,
                topic,
                ErlBinary.utf8(topic),
                payload,
                timestamp,
                extra);
    }
}
