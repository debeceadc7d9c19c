package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookGuardTest {

    private final List<String> reported = new ArrayList<>();
    private final HookGuard guard = new HookGuard((what, e) -> reported.add(what + ": " + e.getMessage()));

    @Test
    void run_callSucceeds_runsItAndReportsNothing() {
        List<String> ran = new ArrayList<>();

        guard.run("subscribe a/#", () -> ran.add("ran"));

        assertThat(ran).containsExactly("ran");
        assertThat(reported).isEmpty();
    }

    @Test
    void run_callThrows_reportsWhatFailedInsteadOfThrowing() {
        guard.run("subscribe a/#", () -> {
            throw new IllegalStateException("engine broken");
        });

        assertThat(reported).containsExactly("subscribe a/#: engine broken");
    }

    @Test
    void run_callThrowsError_errorReachesTheCaller() {
        assertThatThrownBy(() -> guard.run("publish on t", () -> {
                    throw new AssertionError("jvm trouble");
                }))
                .isInstanceOf(AssertionError.class);
        assertThat(reported).isEmpty();
    }

    @Test
    void run_nullCall_throwsBeforeAnything() {
        assertThatThrownBy(() -> guard.run("x", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("call");
        assertThat(reported).isEmpty();
    }

    @Test
    void constructor_nullHandler_throws() {
        assertThatThrownBy(() -> new HookGuard(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("onFailure");
    }
}
