package io.clink.core.internal.protocol;

/**
 * A kind of forwarded-message metadata that a receiver may have to leave out of the delivered message because the
 * broker SPI (an MQTT broker) cannot carry the value EMQX sent, e.g. a User-Property that is not UTF-8. The set is
 * closed, so a receiver can remember per kind whether it has already logged one, in bounded memory.
 */
public enum DroppedField {
    /** {@code #message.from}: an atom other than {@code undefined}, bytes that are not UTF-8, or text with U+0000. */
    FROM("#message.from"),
    /** {@code #message.timestamp}: negative; replaced by the receive time. */
    TIMESTAMP("#message.timestamp"),
    /** {@code headers.username}: not a binary, not UTF-8, or text with U+0000. */
    USERNAME("headers.username"),
    /** {@code headers.peerhost}: not an IP tuple. */
    PEERHOST("headers.peerhost"),
    /** {@code headers.proto_ver}: not the MQTT level 3, 4 or 5 (gateways send a binary such as {@code <<"1.2">>}). */
    PROTO_VER("headers.proto_ver"),
    /** {@code headers.properties}: not a map; every property is then lost. */
    PROPERTIES("headers.properties"),
    /** One {@code 'User-Property'} pair (or the whole list, when it is not a list): not two UTF-8 binaries. */
    USER_PROPERTY("'User-Property'"),
    /** {@code 'Message-Expiry-Interval'}: not an integer from 0 to 2^32-1. */
    MESSAGE_EXPIRY_INTERVAL("'Message-Expiry-Interval'"),
    /** {@code 'Content-Type'}: not a UTF-8 binary, or text with U+0000. */
    CONTENT_TYPE("'Content-Type'"),
    /** {@code 'Response-Topic'}: not a UTF-8 binary holding a valid MQTT topic name. */
    RESPONSE_TOPIC("'Response-Topic'"),
    /** {@code 'Correlation-Data'}: not a binary of at most 65535 bytes. */
    CORRELATION_DATA("'Correlation-Data'"),
    /** {@code 'Payload-Format-Indicator'}: not 0 or 1. */
    PAYLOAD_FORMAT_INDICATOR("'Payload-Format-Indicator'");

    private final String field;

    DroppedField(String field) {
        this.field = field;
    }

    /**
     * Returns the field as the protocol document names it.
     *
     * @return e.g. {@code headers.proto_ver}
     */
    public String field() {
        return field;
    }
}
