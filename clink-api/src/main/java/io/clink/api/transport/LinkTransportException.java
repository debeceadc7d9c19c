package io.clink.api.transport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A transport operation that did not reach the peer, or that the peer refused outright. Futures returned by
 * {@link LinkClient} complete exceptionally with this type.
 *
 * @since 0.1.0
 */
public final class LinkTransportException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * What kind of failure, which decides whether retrying on a fresh connection can help.
     *
     * @since 0.1.0
     */
    public enum Kind {
        /** The connection is down or was lost before the peer acknowledged: retrying later can succeed. */
        NOT_CONNECTED(true),
        /** The connect failed; {@link #reason()} says why. */
        CONNECT_FAILED(true),
        /** The peer refused the operation (a failure SUBACK code). */
        REFUSED(false),
        /** The packet exceeds the peer's Maximum-Packet-Size; it was not sent. */
        PACKET_TOO_LARGE(false),
        /** The operation does not fit the client's state (for example connect while connected). */
        ILLEGAL_STATE(false),
        /** The client was closed. */
        CLOSED(false);

        private final boolean recoverable;

        Kind(boolean recoverable) {
            this.recoverable = recoverable;
        }

        /**
         * Whether a retry on a later connection may succeed.
         *
         * @return {@code true} for transient failures
         */
        public boolean isRecoverable() {
            return recoverable;
        }
    }

    /** The kind of failure. */
    private final Kind kind;
    /** The connection-level reason, where there is one. */
    private final @Nullable DisconnectReason reason;

    /**
     * Creates an exception.
     *
     * @param kind the kind, not null
     * @param message detail naming what failed, not null
     * @param reason the connection-level reason where there is one, or null
     * @param cause the underlying exception, or null
     */
    public LinkTransportException(
            Kind kind, String message, @Nullable DisconnectReason reason, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = reason;
    }

    /**
     * The kind of failure.
     *
     * @return the kind, not null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The connection-level reason, where the failure has one (connect failures, lost connections).
     *
     * @return the reason, or null
     */
    public @Nullable DisconnectReason reason() {
        return reason;
    }

    /**
     * Shorthand for {@code kind().isRecoverable()}.
     *
     * @return whether a retry on a later connection may succeed
     */
    public boolean isRecoverable() {
        return kind.isRecoverable();
    }
}
