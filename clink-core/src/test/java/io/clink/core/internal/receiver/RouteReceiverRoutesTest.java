package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static io.clink.core.internal.receiver.Harness.del;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Route batches and heartbeats on initialised connections; scenarios 12 and 13 of protocol section 8. */
class RouteReceiverRoutesTest {

    private final Harness h = new Harness();

    @Test
    void routeBatch_opsAppliedInListOrder_lastOpWins() {
        LinkConnection conn = h.initialised("clA", "a1", 1);

        int code = h.routes(conn, "clA", "a1", add("t/1"), del("t/1"), add("t/2"), add("t/3"), del("t/3"), add("t/3"));

        assertThat(code).isEqualTo(0x10);
        assertThat(h.rows("clA")).containsExactly("t/2|t/2", "t/3|t/3");
        assertThat(h.routesReceived("clA")).as("every applied op counted").isEqualTo(6);
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void routeBatch_routeIdKeptOpaque_sameFilterDifferentIdsAreDistinctRows() {
        LinkConnection conn = h.initialised("clA", "a1", 1);

        h.routes(conn, "clA", "a1", add("t/+", "t/+"), add("t/+", "$s/g1/t/+"), add("t/+", "$p/session-1/t/#"));
        h.routes(conn, "clA", "a1", del("t/+", "$s/g1/t/+"));

        assertThat(h.rows("clA")).containsExactly("t/+|$p/session-1/t/#", "t/+|t/+");
    }

    @Test
    void routeBatch_twoActorsOneRoute_survivesUntilBothDelete() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        h.routes(a1, "clA", "a1", add("client/42/#"));
        h.routes(a2, "clA", "a2", add("client/42/#"));

        h.routes(a1, "clA", "a1", del("client/42/#"));

        assertThat(h.rowHolders("clA")).containsExactly(Map.entry("client/42/#|client/42/#", Set.of("a2")));
        assertThat(h.index().match("client/42/x")).containsExactly("clA");

        h.routes(a2, "clA", "a2", del("client/42/#"));

        assertThat(h.rows("clA")).isEmpty();
        assertThat(h.index().match("client/42/x")).isEmpty();
    }

    @Test
    void routeBatch_deleteOfRouteThisActorNeverAdded_otherActorsRowUntouched() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        h.routes(a1, "clA", "a1", add("x"));

        h.routes(a2, "clA", "a2", del("x"), del("never/added"));

        assertThat(h.rowHolders("clA")).containsExactly(Map.entry("x|x", Set.of("a1")));
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void routeBatch_sameRouteFromTwoClusters_matchYieldsBoth() {
        LinkConnection a = h.initialised("clA", "n1", 1);
        LinkConnection b = h.initialised("clB", "n1", 1);

        h.routes(a, "clA", "n1", add("sensors/#"));
        h.routes(b, "clB", "n1", add("sensors/+/temp"));

        assertThat(h.index().match("sensors/7/temp")).containsExactlyInAnyOrder("clA", "clB");
        assertThat(h.receiver.routeCount("clA")).isEqualTo(1);
        assertThat(h.receiver.routeCount("clB")).isEqualTo(1);
    }

    @Test
    void routeBatch_routeOpsDoNotExtendTheLease() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        long until = h.receiver.actors("clA").get(0).leaseUntilMillis();
        h.time.advance(Duration.ofMillis(10_000));

        h.routes(conn, "clA", "a1", add("t/1"));

        assertThat(h.receiver.actors("clA").get(0).leaseUntilMillis()).isEqualTo(until);
    }

    @Test
    void heartbeat_initialised_extendsLeaseByTtl() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.time.advance(Duration.ofMillis(10_000));

        int code = h.heartbeat(conn, "clA", "a1");

        assertThat(code).isEqualTo(0x10);
        assertThat(h.receiver.actors("clA").get(0).leaseUntilMillis())
                .isEqualTo(h.receiver.leaseNowMillis() + Harness.TTL.toMillis());
        assertThat(h.broker.replies()).hasSize(1);
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void heartbeat_beforeActorInit_ignoredWithoutDisconnect() {
        LinkConnection conn = h.connect("a:routesync:1");

        int code = h.heartbeat(conn, "clA", "a1");

        assertThat(code).isEqualTo(0x10);
        assertThat(h.broker.disconnects()).isEmpty();
        assertThat(h.protocolErrors("clA")).isZero();
        assertThat(h.init(conn, "clA", "a1", 1))
                .as("the handshake still works afterwards")
                .isEqualTo(0x10);
        assertThat(h.receiver.actors("clA")).hasSize(1);
    }

    @Test
    void routeBatch_incarnationFieldIgnored_connectionsIncarnationUsed() {
        LinkConnection conn = h.initialised("clA", "a1", 5);

        int code = h.publish(conn, "clA", new RouteBatch("a1", 999, List.of(add("t"))));

        assertThat(code).isEqualTo(0x10);
        assertThat(h.rows("clA")).containsExactly("t|t");
    }

    @Test
    void onConnectionClosed_stateForgotten_routesStayNewConnectionMustInitAgain() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("t/1"));
        assertThat(h.receiver.trackedConnections()).isEqualTo(1);

        h.receiver.onConnectionClosed(conn);

        assertThat(h.receiver.trackedConnections()).as("state released").isZero();
        assertThat(h.rows("clA")).as("routes stay until TTL").containsExactly("t/1|t/1");
        LinkConnection next = h.connect("a:routesync:1");
        assertThat(h.routes(next, "clA", "a1", add("t/2")))
                .as("no handshake on the new connection")
                .isEqualTo(0x83);
        assertThat(h.rows("clA")).containsExactly("t/1|t/1");
    }

    @Test
    void onConnectionClosed_unknownConnection_harmless() {
        h.receiver.onConnectionClosed(h.connect("never:published"));

        assertThat(h.receiver.trackedConnections()).isZero();
    }

    /** Scenario 12 (t_consistent_routing_view): idempotent adds, per-actor deletes, one match per cluster. */
    @Test
    void scenario12_consistentRoutingView() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        h.initialised("clA", "a3", 1);
        LinkConnection a3 = h.connect("a3-again");
        h.init(a3, "clA", "a3", 1);
        assertThat(h.lastAck().result()).isEqualTo(new Accepted(false));

        h.routes(a1, "clA", "a1", add("t/client/#", "id"));
        h.routes(a1, "clA", "a1", add("t/client/#", "id"));
        h.routes(a2, "clA", "a2", add("t/client/#", "id"));
        h.routes(a3, "clA", "a3", add("t/client/+/+", "id1"));
        h.routes(a3, "clA", "a3", add("t/client/+/+", "id2"));
        h.routes(a2, "clA", "a2", del("t/client/#", "id"));
        h.routes(a1, "clA", "a1", add("t/client/+/+", "id1"));
        h.routes(a3, "clA", "a3", del("t/client/+/+", "id1"));
        h.routes(a3, "clA", "a3", del("t/client/+/+", "id2"));

        assertThat(h.rowHolders("clA"))
                .containsOnly(Map.entry("t/client/#|id", Set.of("a1")), Map.entry("t/client/+/+|id1", Set.of("a1")));
        assertThat(h.index().match("t/client/42")).as("one route per cluster").containsExactly("clA");
        assertThat(h.receiver.routeCount("clA")).isEqualTo(2);

        h.routes(a1, "clA", "a1", del("t/client/#", "id"));
        h.routes(a1, "clA", "a1", del("t/client/+/+", "id1"));
        h.routes(a1, "clA", "a1", del("t/client/+/+", "id1"));

        assertThat(h.rows("clA")).isEmpty();
        assertThat(h.index().routeCount()).isZero();
        assertThat(h.broker.disconnects()).isEmpty();
    }

    /** Scenario 13 (t_actor_reincarnation): a greater incarnation wipes that actor's routes only; stale ops fail. */
    @Test
    void scenario13_actorReincarnation() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        h.routes(a1, "clA", "a1", add("topic/#", "id"), add("topic/42/+", "id"));
        h.routes(a2, "clA", "a2", add("topic/#", "id"));
        assertThat(h.rows("clA")).containsExactly("topic/#|id", "topic/42/+|id");

        h.init(h.connect("a1-new"), "clA", "a1", 2);

        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
        assertThat(h.routes(a1, "clA", "a1", add("toolate/#", "id"))).isEqualTo(0x83);
        assertThat(h.broker.disconnects()).singleElement().satisfies(d -> {
            assertThat(d.connection()).isEqualTo(a1);
            assertThat(d.reasonCode()).isEqualTo(0x83);
            assertThat(d.reasonString()).contains("stale");
        });
        assertThat(h.rowHolders("clA")).containsExactly(Map.entry("topic/#|id", Set.of("a2")));

        h.init(h.connect("a2-new"), "clA", "a2", 2);

        assertThat(h.routes(a2, "clA", "a2", add("toolate/#", "id"))).isEqualTo(0x83);
        assertThat(h.rows("clA")).isEmpty();
        assertThat(h.protocolErrors("clA")).isEqualTo(2);
    }
}
