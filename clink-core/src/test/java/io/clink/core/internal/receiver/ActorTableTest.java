package io.clink.core.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.internal.receiver.ActorTable.ActorId;
import io.clink.core.internal.receiver.ActorTable.InitOutcome;
import io.clink.core.internal.receiver.ActorTable.InitResult;
import io.clink.core.internal.route.RouteIndex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActorTableTest {

    private static final long TTL = 30_000_000_000L;
    private static final ActorId A1 = new ActorId("clA", "node1");
    private static final ActorId A2 = new ActorId("clA", "node2");
    private static final ActorId B1 = new ActorId("clB", "node1");

    private final List<String> cleared = new ArrayList<>();
    private final ActorTable table = new ActorTable(TTL, (cluster, lane) -> cleared.add(cluster + "#" + lane));

    @Test
    void init_newActor_createdOnLowestFreeLaneNeedingBootstrap() {
        InitResult r1 = table.init(A1, 100, 0);
        InitResult r2 = table.init(A2, 100, 0);
        InitResult r3 = table.init(B1, 100, 0);

        assertThat(r1).isEqualTo(new InitResult(InitOutcome.CREATED, 0));
        assertThat(r2.lane()).isEqualTo(1);
        assertThat(r3.lane()).as("lanes are per cluster").isZero();
        assertThat(r1.needBootstrap()).isTrue();
    }

    @Test
    void init_sameIncarnation_resumedWithoutBootstrap() {
        table.init(A1, 100, 0);

        InitResult r = table.init(A1, 100, 5);

        assertThat(r.outcome()).isEqualTo(InitOutcome.RESUMED);
        assertThat(r.needBootstrap()).isFalse();
        assertThat(cleared).isEmpty();
    }

    /** Scenario 13 (t_actor_reincarnation): a greater incarnation wipes only that actor's old routes. */
    @Test
    void init_greaterIncarnation_wipesOldLaneOnlyAndNeedsBootstrap() {
        table.init(A1, 100, 0);
        table.init(A2, 100, 0);

        InitResult r = table.init(A1, 200, 1);

        assertThat(r.outcome()).isEqualTo(InitOutcome.REINCARNATED);
        assertThat(r.needBootstrap()).isTrue();
        assertThat(cleared).containsExactly("clA#0");
        assertThat(table.laneFor(A1, 100))
                .as("stale state of the old incarnation")
                .isEqualTo(-1);
        assertThat(table.laneFor(A1, 200)).isZero();
        assertThat(table.laneFor(A2, 100)).isEqualTo(1);
    }

    @Test
    void init_smallerIncarnation_outdatedAndNothingChanges() {
        table.init(A1, 200, 0);

        InitResult r = table.init(A1, 100, 1);

        assertThat(r.outcome()).isEqualTo(InitOutcome.OUTDATED);
        assertThat(r.accepted()).isFalse();
        assertThat(cleared).isEmpty();
        assertThat(table.laneFor(A1, 200)).isZero();
    }

    @Test
    void init_actorBeyondMaxLanes_refusedNoFreeLane() {
        for (int i = 0; i < RouteIndex.MAX_LANES; i++) {
            assertThat(table.init(new ActorId("clA", "n" + i), 1, 0).accepted()).isTrue();
        }

        assertThat(table.init(new ActorId("clA", "extra"), 1, 0).outcome()).isEqualTo(InitOutcome.NO_FREE_LANE);
        assertThat(table.init(B1, 1, 0).accepted())
                .as("other clusters unaffected")
                .isTrue();
    }

    @Test
    void init_maxLanesActorsOneExpires_newActorReusesItsLane() {
        assertThat(RouteIndex.MAX_LANES)
                .as("far above any real cluster's node count")
                .isGreaterThanOrEqualTo(1024);
        for (int i = 0; i < RouteIndex.MAX_LANES; i++) {
            // All but n700 heartbeat late, so only n700 is past its lease at the collection below.
            assertThat(table.init(new ActorId("clA", "n" + i), 1, i == 700 ? 0 : TTL)
                            .lane())
                    .isEqualTo(i);
        }
        assertThat(table.init(new ActorId("clA", "extra"), 1, TTL).outcome()).isEqualTo(InitOutcome.NO_FREE_LANE);

        assertThat(table.collectExpired(TTL + 1))
                .extracting(a -> a.id().actor())
                .containsExactly("n700");

        assertThat(cleared).containsExactly("clA#700");
        assertThat(table.init(new ActorId("clA", "extra"), 1, TTL + 1))
                .isEqualTo(new InitResult(InitOutcome.CREATED, 700));
        assertThat(table.init(new ActorId("clA", "extra2"), 1, TTL + 1).outcome())
                .isEqualTo(InitOutcome.NO_FREE_LANE);
    }

    @Test
    void heartbeat_staleIncarnationOrUnknown_refused() {
        table.init(A1, 100, 0);

        assertThat(table.heartbeat(A1, 99, 1)).isFalse();
        assertThat(table.heartbeat(A2, 100, 1)).isFalse();
        assertThat(table.heartbeat(A1, 100, 1)).isTrue();
    }

    /** Scenario 14 (t_actor_gc): heartbeats keep actors alive; GC collects exactly the silent ones. */
    @Test
    void collectExpired_heartbeatsKeepAlive_silentActorsAllCollectedInOnePass() {
        table.init(A1, 1, 0);
        table.init(A2, 1, 0);
        table.init(B1, 1, 0);
        long t60 = 60_000_000_000L;
        table.heartbeat(A1, 1, t60 - 1_000_000_000L);

        List<ActorTable.Actor> first = table.collectExpired(t60);

        assertThat(first).extracting(ActorTable.Actor::id).containsExactlyInAnyOrder(A2, B1);
        assertThat(cleared).containsExactlyInAnyOrder("clA#1", "clB#0");
        assertThat(table.laneFor(A2, 1))
                .as("operations through collected state fail")
                .isEqualTo(-1);
        assertThat(table.heartbeat(B1, 1, t60)).isFalse();

        assertThat(table.collectExpired(2 * t60))
                .extracting(ActorTable.Actor::id)
                .containsExactly(A1);
        assertThat(table.size()).isZero();
    }

    @Test
    void collectExpired_leaseNotYetOver_keepsActor() {
        table.init(A1, 1, 0);

        assertThat(table.collectExpired(TTL)).isEmpty();
        assertThat(table.collectExpired(TTL + 1)).hasSize(1);
    }

    @Test
    void init_afterCollection_laneReused() {
        table.init(A1, 1, 0);
        table.collectExpired(TTL + 1);

        assertThat(table.init(A2, 1, TTL + 2).lane()).isZero();
    }

    @Test
    void removeCluster_dropsOnlyThatClustersActors() {
        table.init(A1, 1, 0);
        table.init(A2, 1, 0);
        table.init(B1, 1, 0);

        assertThat(table.removeCluster("clA")).hasSize(2);
        assertThat(table.actorsOf("clA")).isEmpty();
        assertThat(table.actorsOf("clB")).hasSize(1);
        assertThat(cleared).containsExactlyInAnyOrder("clA#0", "clA#1");
    }

    @Test
    void constructor_nonPositiveTtl_rejectedNamingValue() {
        assertThatThrownBy(() -> new ActorTable(0, (c, l) -> {})).hasMessageContaining("0 ns");
    }
}
