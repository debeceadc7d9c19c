package io.clink.core.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.DisconnectReason.Cause;
import io.clink.api.transport.LinkTransportException;
import io.clink.api.transport.LinkTransportException.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ConnectionFailureTest {

    private static final DisconnectReason KICKED = new DisconnectReason(Cause.BROKER_DISCONNECT, 0x98, "admin");

    @Test
    void of_nestedCompletionWrappers_unwrapsToTheTransportError() {
        LinkTransportException lost = new LinkTransportException(Kind.NOT_CONNECTED, "lost", KICKED, null);
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(lost)));

        ConnectionFailure f = ConnectionFailure.of(wrapped);

        assertThat(f.cause()).isSameAs(lost);
        assertThat(f.reason()).isEqualTo(KICKED);
        assertThat(f.isConnectionLost()).isTrue();
        assertThat(f.reasonOrSocketError()).isEqualTo(KICKED);
    }

    @Test
    void of_nonRecoverableKinds_areNotConnectionLoss() {
        for (Kind kind : new Kind[] {Kind.REFUSED, Kind.PACKET_TOO_LARGE, Kind.ILLEGAL_STATE, Kind.CLOSED}) {
            ConnectionFailure f = ConnectionFailure.of(new LinkTransportException(kind, "x", null, null));
            assertThat(f.isConnectionLost()).as("%s", kind).isFalse();
            assertThat(f.isPacketTooLarge()).as("%s", kind).isEqualTo(kind == Kind.PACKET_TOO_LARGE);
        }
        assertThat(ConnectionFailure.of(new LinkTransportException(Kind.CONNECT_FAILED, "x", KICKED, null))
                        .isConnectionLost())
                .isTrue();
    }

    @Test
    void reasonOrSocketError_withoutATransportReason_namesTheCause() {
        DisconnectReason r =
                ConnectionFailure.of(new IllegalStateException("boom")).reasonOrSocketError();
        assertThat(r.cause()).isEqualTo(Cause.SOCKET_ERROR);
        assertThat(r.toString()).contains("java.lang.IllegalStateException: boom");

        DisconnectReason t = ConnectionFailure.of(new LinkTransportException(Kind.NOT_CONNECTED, "gone", null, null))
                .reasonOrSocketError();
        assertThat(t.toString()).contains("gone");
        assertThat(ConnectionFailure.of(null).describe()).isEqualTo("no result");
        assertThat(ConnectionFailure.of(new IllegalStateException("boom")).isConnectionLost())
                .isFalse();
    }

    @Test
    void describe_transportError_namesKindMessageAndReason() {
        ConnectionFailure f =
                ConnectionFailure.of(new LinkTransportException(Kind.CONNECT_FAILED, "refused", KICKED, null));
        assertThat(f.describe()).startsWith("CONNECT_FAILED: refused (").contains("admin");
    }

    @Test
    void call_operationThrows_returnsAFailedFutureInstead() {
        CompletableFuture<String> f = ConnectionFailure.call(() -> {
            throw new IllegalStateException("transport bug");
        });
        assertThat(f).isCompletedExceptionally();
        assertThat(ConnectionFailure.call(() -> null)).isCompletedExceptionally();
        assertThat(ConnectionFailure.call(() -> CompletableFuture.completedFuture("ok")))
                .isCompletedWithValue("ok");
    }
}
