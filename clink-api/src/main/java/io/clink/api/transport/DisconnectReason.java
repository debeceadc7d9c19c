package io.clink.api.transport;

import java.util.Objects;

/**
 * Why a link connection is down, classified like EMQX reports it (protocol document section 4.6), so that status
 * and the management API can say precisely what happened.
 *
 * @param cause the class of failure
 * @param reasonCode the MQTT 5 reason code from a DISCONNECT or a refusing CONNACK, or {@link #NO_REASON_CODE}
 * @param message human-readable detail (for example "not authorized" or the socket error), never null, may be
 *     empty
 * @since 0.1.0
 */
public record DisconnectReason(Cause cause, int reasonCode, String message) {

    /** The value of {@link #reasonCode()} when the failure carried no MQTT reason code. */
    public static final int NO_REASON_CODE = -1;

    /**
     * Classes of connection failure.
     *
     * @since 0.1.0
     */
    public enum Cause {
        /** The peer sent DISCONNECT; {@link #reasonCode()} holds its reason code. */
        BROKER_DISCONNECT,
        /** The peer refused the CONNECT; {@link #reasonCode()} holds the CONNACK reason code. */
        CONNECT_REFUSED,
        /** No CONNACK within the connect timeout (including a socket that accepts and never answers). */
        CONNECT_TIMEOUT,
        /** TCP-level failure: refused, reset, unreachable, closed without DISCONNECT. */
        SOCKET_ERROR,
        /** TLS handshake or certificate verification failed. */
        TLS_ERROR,
        /** The peer sent bytes that are not valid MQTT. */
        MALFORMED_PACKET,
        /** The local side closed the client. */
        CLOSED
    }

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if {@code cause} or {@code message} is null
     * @throws IllegalArgumentException if the reason code is neither {@link #NO_REASON_CODE} nor in 0..255
     */
    public DisconnectReason {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
        if (reasonCode != NO_REASON_CODE && (reasonCode < 0 || reasonCode > 0xFF)) {
            throw new IllegalArgumentException("reasonCode must be -1 or in 0..255: " + reasonCode);
        }
    }

    /**
     * Whether the failure carried an MQTT reason code.
     *
     * @return {@code true} if {@link #reasonCode()} is a real reason code
     */
    public boolean hasReasonCode() {
        return reasonCode != NO_REASON_CODE;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(cause.name().toLowerCase(java.util.Locale.ROOT));
        if (hasReasonCode()) {
            sb.append(String.format(" (reason code 0x%02X)", reasonCode));
        }
        if (!message.isEmpty()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }
}
