package io.clink.api.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.DisconnectReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkViewsTest {

    private static final DisconnectReason KICKED =
            new DisconnectReason(DisconnectReason.Cause.BROKER_DISCONNECT, 0x98, "administrative action");

    private static ActorStatus actor(ActorState state) {
        return new ActorStatus("clink@node-1", 1_722_945_600_000L, state, 1_722_945_600_500L, null, null);
    }

    @Test
    void actorStatus_withReasons_exposesOptionals() {
        ActorStatus s = new ActorStatus(
                "clink@a", 7, ActorState.DISCONNECTED, 10, KICKED, "handshake_rejected: unknown_cluster");
        assertThat(s.lastDisconnectReason()).contains(KICKED);
        assertThat(s.lastErrorMessage()).contains("handshake_rejected: unknown_cluster");
        assertThat(actor(ActorState.ONLINE).lastDisconnectReason()).isEmpty();
        assertThat(actor(ActorState.ONLINE).lastErrorMessage()).isEmpty();
    }

    @Test
    void actorStatus_emptyName_isRejected() {
        assertThatThrownBy(() -> new ActorStatus("", 1, ActorState.ONLINE, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actorName");
    }

    @Test
    void actorStatus_negativeSince_isRejectedWithValue() {
        assertThatThrownBy(() -> new ActorStatus("a", 1, ActorState.ONLINE, -5, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sinceMillis")
                .hasMessageContaining("-5");
    }

    @Test
    void linkStatus_actorsList_isCopied() {
        List<ActorStatus> actors = new ArrayList<>(List.of(actor(ActorState.ONLINE)));
        LinkStatus s = new LinkStatus("B", true, actors, ForwardingStatus.CONNECTED, null, 1);
        actors.clear();
        assertThat(s.actors()).hasSize(1);
        assertThatThrownBy(() -> s.actors().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void linkStatus_disabled_hasNoActorsAndIsDisconnected() {
        LinkStatus s = LinkStatus.disabled("B", 42);
        assertThat(s.enabled()).isFalse();
        assertThat(s.actors()).isEmpty();
        assertThat(s.forwarding()).isEqualTo(ForwardingStatus.DISCONNECTED);
        assertThat(s.forwardingLastDisconnectReason()).isEmpty();
        assertThat(s.isHealthy()).isFalse();
    }

    @Test
    void linkStatus_disabledWithActors_isRejected() {
        assertThatThrownBy(() -> new LinkStatus(
                        "B", false, List.of(actor(ActorState.ONLINE)), ForwardingStatus.DISCONNECTED, null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disabled")
                .hasMessageContaining("B");
    }

    @Test
    void linkStatus_disabledButConnected_isRejected() {
        assertThatThrownBy(() -> new LinkStatus("B", false, List.of(), ForwardingStatus.CONNECTED, null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONNECTED");
    }

    @ParameterizedTest
    @CsvSource({
        "ONLINE, CONNECTED, true",
        "ONLINE, CONNECTING, false",
        "ONLINE, DISCONNECTED, false",
        "BOOTSTRAPPING, CONNECTED, false",
        "DISCONNECTED, CONNECTED, false",
    })
    void isHealthy_actorAndForwarding_requiresBothUp(ActorState state, ForwardingStatus fwd, boolean healthy) {
        LinkStatus s = new LinkStatus("B", true, List.of(actor(state)), fwd, null, 1);
        assertThat(s.isHealthy()).isEqualTo(healthy);
    }

    @Test
    void isHealthy_noActors_isFalse() {
        assertThat(new LinkStatus("B", true, List.of(), ForwardingStatus.CONNECTED, null, 1).isHealthy())
                .isFalse();
    }

    @Test
    void linkStatus_sameValues_areEqual() {
        LinkStatus a =
                new LinkStatus("B", true, List.of(actor(ActorState.ONLINE)), ForwardingStatus.CONNECTED, KICKED, 3);
        LinkStatus b =
                new LinkStatus("B", true, List.of(actor(ActorState.ONLINE)), ForwardingStatus.CONNECTED, KICKED, 3);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.forwardingLastDisconnectReason()).contains(KICKED);
        assertThat(a).isNotEqualTo(LinkStatus.disabled("B", 3));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "CONNECTED,CONNECTED; CONNECTED",
                "CONNECTED,CONNECTING; CONNECTING",
                "CONNECTING,DISCONNECTED,CONNECTED; DISCONNECTED",
                "DISCONNECTED; DISCONNECTED",
                "CONNECTING; CONNECTING",
            })
    void ofPool_mixedConnections_followsEmqxRule(String states, ForwardingStatus expected) {
        List<ForwardingStatus> pool = new ArrayList<>();
        for (String s : states.split(",")) {
            pool.add(ForwardingStatus.valueOf(s));
        }
        assertThat(ForwardingStatus.ofPool(pool)).isEqualTo(expected);
    }

    @Test
    void ofPool_empty_isDisconnected() {
        assertThat(ForwardingStatus.ofPool(List.of())).isEqualTo(ForwardingStatus.DISCONNECTED);
    }

    @Test
    void apiValue_eachStatus_isEmqxSpelling() {
        assertThat(ForwardingStatus.CONNECTED.apiValue()).isEqualTo("connected");
        assertThat(ForwardingStatus.CONNECTING.apiValue()).isEqualTo("connecting");
        assertThat(ForwardingStatus.DISCONNECTED.apiValue()).isEqualTo("disconnected");
    }

    @Test
    void linkStateChange_illegalTransition_isRejected() {
        assertThatThrownBy(
                        () -> new ActorStateChange("B", "a", ActorState.ONLINE, ActorState.HANDSHAKING, 1, null, null))
                .isInstanceOf(IllegalStateTransitionException.class)
                .hasMessageContaining("ONLINE -> HANDSHAKING");
    }

    @Test
    void linkStateChange_disconnect_carriesReason() {
        ActorStateChange c =
                new ActorStateChange("B", "a", ActorState.ONLINE, ActorState.DISCONNECTED, 5, KICKED, null);
        assertThat(c.disconnectReason()).contains(KICKED);
        assertThat(c.errorMessage()).isEmpty();
        assertThat(c)
                .isEqualTo(new ActorStateChange("B", "a", ActorState.ONLINE, ActorState.DISCONNECTED, 5, KICKED, null));
    }

    @Test
    void linkStateListener_lambda_receivesChange() {
        List<ActorStateChange> got = new ArrayList<>();
        ActorStateListener l = got::add;
        ActorStateChange c = new ActorStateChange(
                "B", "a", ActorState.HANDSHAKING, ActorState.DISCONNECTED, 5, null, "handshake_timeout");
        l.onStateChange(c);
        assertThat(got).containsExactly(c);
        assertThat(c.errorMessage()).contains("handshake_timeout");
    }

    @Test
    void linkMetrics_builder_setsEveryField() {
        LinkMetrics m = LinkMetrics.builder()
                .routesSent(1)
                .routesReceived(2)
                .routesSkipped(12)
                .remoteRoutes(3)
                .forwarded(4)
                .received(5)
                .filtered(6)
                .dropped(7)
                .failed(8)
                .retried(9)
                .bufferedMessages(10)
                .bufferedBytes(11)
                .fieldsDropped(13)
                .rejected(14)
                .protocolErrors(15)
                .brokerErrors(16)
                .reconnects(17)
                .inflightMessages(18)
                .build();
        assertThat(m).isEqualTo(new LinkMetrics(1, 2, 12, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18));
        assertThat(m.routesSkipped()).isEqualTo(12);
        assertThat(m.fieldsDropped()).isEqualTo(13);
        assertThat(m.matched()).isEqualTo(4 + 8 + 7 + 10);
        assertThat(LinkMetrics.builder().build()).isEqualTo(LinkMetrics.ZERO);
    }

    @Test
    void linkMetrics_negativeValue_isRejectedNamingIt() {
        assertThatThrownBy(() -> LinkMetrics.builder().dropped(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropped must not be negative: -1");
        assertThatThrownBy(() -> new LinkMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2, 0, 0, 0, 0, 0, 0))
                .hasMessage("bufferedBytes must not be negative: -2");
        assertThatThrownBy(() -> LinkMetrics.builder().fieldsDropped(-3))
                .hasMessage("fieldsDropped must not be negative: -3");
    }

    @Test
    void matched_hugeCounters_saturates() {
        LinkMetrics m =
                LinkMetrics.builder().forwarded(Long.MAX_VALUE).failed(1).build();
        assertThat(m.matched()).isEqualTo(Long.MAX_VALUE);
    }
}
