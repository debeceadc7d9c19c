package io.clink.core.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.config.ServerAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRotationTest {

    private static final ServerAddress A = ServerAddress.of("a", 1, false);
    private static final ServerAddress B = ServerAddress.of("b", 2, false);

    @Test
    void nextAttempt_failures_rotateAndWrap() {
        EndpointRotation r = new EndpointRotation(List.of(A, B));
        assertThat(r.nextAttempt()).isEqualTo(A);
        assertThat(r.nextAttempt()).isEqualTo(B);
        assertThat(r.nextAttempt()).isEqualTo(A);
    }

    @Test
    void nextAttempt_afterConnectedThenLost_movesToNextEndpoint() {
        EndpointRotation r = new EndpointRotation(List.of(A, B));
        ServerAddress first = r.nextAttempt();
        r.connected(first);
        assertThat(r.inUse()).isEqualTo(A);
        r.lost();
        assertThat(r.inUse()).isNull();
        assertThat(r.nextAttempt()).isEqualTo(B);
    }

    @Test
    void nextAttempt_singleEndpoint_alwaysSame() {
        EndpointRotation r = new EndpointRotation(List.of(A));
        assertThat(r.nextAttempt()).isEqualTo(A);
        assertThat(r.nextAttempt()).isEqualTo(A);
    }

    @Test
    void constructor_empty_isRefused() {
        assertThatThrownBy(() -> new EndpointRotation(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
