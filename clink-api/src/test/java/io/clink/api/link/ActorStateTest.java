package io.clink.api.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ActorStateTest {

    /**
     * The transition table written out independently of the production code, one row per (from, to) pair: all 36
     * pairs, so a change to the table in code without a change here fails.
     */
    private static final String[] TABLE = {
        "CONNECTING, CONNECTING, false",
        "CONNECTING, HANDSHAKING, true",
        "CONNECTING, BOOTSTRAPPING, false",
        "CONNECTING, ONLINE, false",
        "CONNECTING, DISCONNECTED, true",
        "CONNECTING, STOPPED, true",
        "HANDSHAKING, CONNECTING, false",
        "HANDSHAKING, HANDSHAKING, false",
        "HANDSHAKING, BOOTSTRAPPING, true",
        "HANDSHAKING, ONLINE, true",
        "HANDSHAKING, DISCONNECTED, true",
        "HANDSHAKING, STOPPED, true",
        "BOOTSTRAPPING, CONNECTING, false",
        "BOOTSTRAPPING, HANDSHAKING, false",
        "BOOTSTRAPPING, BOOTSTRAPPING, false",
        "BOOTSTRAPPING, ONLINE, true",
        "BOOTSTRAPPING, DISCONNECTED, true",
        "BOOTSTRAPPING, STOPPED, true",
        "ONLINE, CONNECTING, false",
        "ONLINE, HANDSHAKING, false",
        "ONLINE, BOOTSTRAPPING, false",
        "ONLINE, ONLINE, false",
        "ONLINE, DISCONNECTED, true",
        "ONLINE, STOPPED, true",
        "DISCONNECTED, CONNECTING, true",
        "DISCONNECTED, HANDSHAKING, false",
        "DISCONNECTED, BOOTSTRAPPING, false",
        "DISCONNECTED, ONLINE, false",
        "DISCONNECTED, DISCONNECTED, false",
        "DISCONNECTED, STOPPED, true",
        "STOPPED, CONNECTING, false",
        "STOPPED, HANDSHAKING, false",
        "STOPPED, BOOTSTRAPPING, false",
        "STOPPED, ONLINE, false",
        "STOPPED, DISCONNECTED, false",
        "STOPPED, STOPPED, false",
    };

    static Stream<Arguments> table() {
        return Arrays.stream(TABLE)
                .map(row -> row.split(",\\s*"))
                .map(f -> Arguments.of(ActorState.valueOf(f[0]), ActorState.valueOf(f[1]), Boolean.parseBoolean(f[2])));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("table")
    void canTransitionTo_everyPair_matchesDiagram(ActorState from, ActorState to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        assertThat(from.allowedTargets().contains(to)).isEqualTo(allowed);
    }

    @Test
    void table_coversEveryPairExactlyOnce() {
        Set<String> pairs = new HashSet<>();
        for (String row : TABLE) {
            String[] f = row.split(",\\s*");
            assertThat(pairs.add(f[0] + "->" + f[1]))
                    .as("duplicate row %s", row)
                    .isTrue();
        }
        int n = ActorState.values().length;
        assertThat(pairs).hasSize(n * n);
    }

    @Test
    void allowedTargets_total_isFourteenTransitions() {
        int total = 0;
        for (ActorState s : ActorState.values()) {
            total += s.allowedTargets().size();
        }
        long allowedRows = Arrays.stream(TABLE).filter(r -> r.endsWith("true")).count();
        assertThat((long) total).isEqualTo(allowedRows);
        assertThat(total).isEqualTo(14);
    }

    @ParameterizedTest
    @EnumSource(ActorState.class)
    void transitionTo_allowedTarget_returnsTarget(ActorState from) {
        for (ActorState to : from.allowedTargets()) {
            assertThat(from.transitionTo(to)).isSameAs(to);
        }
    }

    @ParameterizedTest
    @EnumSource(ActorState.class)
    void transitionTo_refusedTarget_throwsNamingBothStates(ActorState from) {
        EnumSet<ActorState> refused = EnumSet.allOf(ActorState.class);
        refused.removeAll(from.allowedTargets());
        assertThat(refused).isNotEmpty();
        for (ActorState to : refused) {
            assertThatThrownBy(() -> from.transitionTo(to))
                    .isInstanceOf(IllegalStateTransitionException.class)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(from + " -> " + to)
                    .satisfies(e -> {
                        IllegalStateTransitionException x = (IllegalStateTransitionException) e;
                        assertThat(x.from()).isEqualTo(from);
                        assertThat(x.to()).isEqualTo(to);
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(ActorState.class)
    void canTransitionTo_self_isRefused(ActorState state) {
        assertThat(state.canTransitionTo(state)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = ActorState.class, names = "STOPPED", mode = EnumSource.Mode.EXCLUDE)
    void canTransitionTo_stoppedFromAnyLiveState_isAllowed(ActorState state) {
        assertThat(state.canTransitionTo(ActorState.STOPPED)).isTrue();
        assertThat(state.isTerminal()).isFalse();
    }

    @Test
    void isTerminal_stopped_hasNoTargets() {
        assertThat(ActorState.STOPPED.isTerminal()).isTrue();
        assertThat(ActorState.STOPPED.allowedTargets()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ActorState.class)
    void allowedTargets_anyState_isUnmodifiable(ActorState state) {
        assertThatThrownBy(() -> state.allowedTargets().add(ActorState.ONLINE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(ActorState.class)
    void initial_anyState_isReachable(ActorState target) {
        Set<ActorState> seen = EnumSet.of(ActorState.initial());
        ArrayDeque<ActorState> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty()) {
            for (ActorState next : queue.poll().allowedTargets()) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        assertThat(seen).contains(target);
    }

    @Test
    void initial_isConnecting() {
        assertThat(ActorState.initial()).isEqualTo(ActorState.CONNECTING);
    }

    @Test
    void canTransitionTo_null_throwsNullPointerException() {
        assertThatThrownBy(() -> ActorState.ONLINE.canTransitionTo(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("target");
    }
}
