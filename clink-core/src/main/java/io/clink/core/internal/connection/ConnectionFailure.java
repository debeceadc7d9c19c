package io.clink.core.internal.connection;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkTransportException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a failed transport operation means, decided the same way for the route actor and the forwarding pool.
 *
 * <p>Before this class the two disagreed in three places, reconciled here: the actor unwrapped nested {@link
 * CompletionException}s and the pool only one (both now unwrap every {@link CompletionException} and {@link
 * ExecutionException}); the pool caught a transport call that threw instead of returning a failed future and the
 * actor did not, so a throwing {@code connect} left the actor CONNECTING forever (both now use {@link #call}); the
 * actor passed the raw random value into the backoff and the pool clamped it (now {@link ReconnectingConnection}
 * clamps). What each owner does with a failure still differs on purpose: a route batch that failed for any reason
 * but {@link #isPacketTooLarge()} ends the actor's connection, because ops must reach the peer in order, whereas
 * the pool ends a connection only when {@link #isConnectionLost()} and otherwise counts that one message as failed.
 *
 * @param cause the failure with completion wrappers removed; null when an operation completed with neither a
 *     result nor an error
 * @param reason the connection-level reason the transport gave, if any
 */
public record ConnectionFailure(
        @Nullable Throwable cause, @Nullable DisconnectReason reason) {

    /**
     * Classifies an error as a future delivered it. Thread: any; pure.
     *
     * @param error the error, possibly wrapped; null means "no result"
     * @return the classification
     */
    public static ConnectionFailure of(@Nullable Throwable error) {
        Throwable t = unwrap(error);
        return new ConnectionFailure(t, t instanceof LinkTransportException lte ? lte.reason() : null);
    }

    /**
     * Runs a transport call, turning an exception it throws into a failed future, so that every failure reaches
     * the caller the same way. Thread: the caller's. Null policy: {@code op} must not return null.
     *
     * @param op the call
     * @param <T> the future's type
     * @return the call's future, or a future failed with what it threw
     */
    public static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> op) {
        try {
            CompletableFuture<T> f = op.get();
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("transport returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The innermost cause below every completion wrapper; null stays null. */
    static @Nullable Throwable unwrap(@Nullable Throwable error) {
        Throwable t = error;
        // Bounded: a cause chain is finite, and a self-referencing one stops at the first repeat.
        for (int i = 0;
                i < 64
                        && (t instanceof CompletionException || t instanceof ExecutionException)
                        && t.getCause() != null
                        && t.getCause() != t;
                i++) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether the connection this operation ran on is gone (a recoverable transport failure: not connected, lost,
     * connect failed), so the operation may succeed on a later connection.
     */
    public boolean isConnectionLost() {
        return cause instanceof LinkTransportException lte && lte.isRecoverable();
    }

    /** Whether the packet exceeded the peer's Maximum-Packet-Size and was not sent; the connection is fine. */
    public boolean isPacketTooLarge() {
        return cause instanceof LinkTransportException lte
                && lte.kind() == LinkTransportException.Kind.PACKET_TOO_LARGE;
    }

    /**
     * The transport's reason, or a {@code socket_error} naming the cause when it gave none: for status fields that
     * must always hold a reason.
     */
    public DisconnectReason reasonOrSocketError() {
        if (reason != null) {
            return reason;
        }
        String detail = cause == null
                ? "no result"
                : cause instanceof LinkTransportException ? String.valueOf(cause.getMessage()) : cause.toString();
        return new DisconnectReason(DisconnectReason.Cause.SOCKET_ERROR, DisconnectReason.NO_REASON_CODE, detail);
    }

    /** One line for logs and status: kind, message and reason of a transport failure, else the exception. */
    public String describe() {
        if (cause == null) {
            return "no result";
        }
        if (cause instanceof LinkTransportException lte) {
            return lte.kind() + ": " + cause.getMessage() + (reason == null ? "" : " (" + reason + ")");
        }
        return cause.toString();
    }
}
