package io.clink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.testkit.RecordingHooks.Event;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

// Every wait here has a zero timeout or a condition that already holds, so nothing blocks.
class RecordingHooksTest {

    private static final LinkConnection CONN = LinkConnection.of("conn-1", "peer");

    @Test
    void await_recordedMatch_returnsOldestMatchingCall() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSubscribe("a", "x/1");
        hooks.onSubscribe("b", "x/2");
        hooks.onSubscribe("b", "x/3");

        Subscribed s = hooks.await(Subscribed.class, e -> e.clientId().equals("b"), Duration.ZERO);

        assertThat(s.subscription()).isEqualTo("x/2");
    }

    @Test
    void await_noMatchWithinTimeout_failsListingTheRecordedCalls() {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSubscribe("a", "x/1");

        assertThatThrownBy(() -> hooks.await(SessionEnded.class, e -> true, Duration.ZERO))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SessionEnded")
                .hasMessageContaining("x/1");
    }

    @Test
    void awaitCount_enoughCalls_returnsAllOfThatKind() throws Exception {
        RecordingHooks hooks = new RecordingHooks().linkPublishReasonCode(0x10);
        hooks.onLinkPublish(CONN, "$LINK/cluster/route/a", new byte[] {1}, PublishProperties.EMPTY);
        hooks.onSessionEnd("s");
        hooks.onLinkPublish(CONN, "$LINK/cluster/route/b", new byte[] {2}, PublishProperties.EMPTY);

        List<LinkPublished> calls = hooks.awaitCount(LinkPublished.class, 2, Duration.ZERO);

        assertThat(calls)
                .extracting(LinkPublished::topic)
                .containsExactly("$LINK/cluster/route/a", "$LINK/cluster/route/b");
        assertThat(calls).extracting(LinkPublished::reasonCode).containsOnly(0x10);
    }

    @Test
    void awaitCount_tooFew_failsNamingTheCount() {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSessionEnd("s");

        assertThatThrownBy(() -> hooks.awaitCount(SessionEnded.class, 2, Duration.ZERO))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fewer than 2 SessionEnded");
    }

    @Test
    void waitFor_conditionNeverHolds_returnsFalse() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSessionEnd("s");

        assertThat(hooks.waitFor(SessionEnded.class, l -> l.size() > 1, Duration.ZERO))
                .isFalse();
        assertThat(hooks.waitFor(SessionEnded.class, l -> l.size() == 1, Duration.ZERO))
                .isTrue();
    }

    @Test
    void waitFor_negativeTimeout_rejectedNamingIt() {
        RecordingHooks hooks = new RecordingHooks();

        assertThatThrownBy(() -> hooks.waitFor(SessionEnded.class, l -> true, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.001S");
    }

    @Test
    void before_recordedCall_returnsTheCallsBeforeIt() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSessionEnd("first");
        hooks.onSubscribe("c", "sentinel");
        hooks.onSessionEnd("after");

        List<Event> seen = hooks.before(hooks.await(Subscribed.class, e -> true, Duration.ZERO));

        assertThat(seen).hasSize(1).first().isInstanceOf(SessionEnded.class);
        assertThat(((SessionEnded) seen.get(0)).clientId()).isEqualTo("first");
    }

    @Test
    void before_callNotRecorded_rejected() {
        RecordingHooks hooks = new RecordingHooks();
        hooks.onSessionEnd("s");
        Event e = hooks.events().get(0);
        hooks.clear();

        assertThatThrownBy(() -> hooks.before(e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a recorded call");
    }
}
