package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static io.clink.core.internal.receiver.Harness.del;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.LinkConnection;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.testkit.RecordingBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leases, the GC timer, and dropping a cluster when its link goes; scenarios 14, 15 and 27 of section 8. */
class RouteReceiverGcTest {

    private final Harness h = new Harness();

    private void advanceTo(long millisSinceStart, long startNanos) {
        long target = startNanos + millisSinceStart * 1_000_000L;
        h.time.advance(Duration.ofNanos(target - h.time.nanoTime()));
    }

    @Test
    void gc_firstPassOneTtlAfterStart_thenTtlWhenIdle_thenRepeatAfterProductivePass() {
        long t0 = h.time.nanoTime();
        h.receiver.start();
        h.initialised("clA", "a1", 1);

        advanceTo(30_000, t0);
        assertThat(h.receiver.actors("clA"))
                .as("lease ends at 30 s but is not yet over")
                .hasSize(1);
        advanceTo(59_999, t0);
        assertThat(h.receiver.actors("clA")).as("no pass between 30 s and 60 s").hasSize(1);
        advanceTo(60_000, t0);
        assertThat(h.receiver.actors("clA")).as("collected by the pass at 60 s").isEmpty();

        h.initialised("clA", "a2", 1);
        h.time.advance(Duration.ofMillis(1_000));
        h.initialised("clB", "b1", 1);
        advanceTo(65_000, t0);
        assertThat(h.receiver.actors("clA"))
                .as("pass at 65 s (5 s after a productive one) finds nothing")
                .hasSize(1);
        advanceTo(94_999, t0);
        assertThat(h.receiver.actors("clA"))
                .as("expired at 90 s but the next pass is at 95 s")
                .hasSize(1);
        assertThat(h.receiver.actors("clB")).hasSize(1);
        advanceTo(95_000, t0);
        assertThat(h.receiver.actors("clA"))
                .as("every expired actor in one pass")
                .isEmpty();
        assertThat(h.receiver.actors("clB")).isEmpty();
    }

    @Test
    void stop_cancelsTimerAndKeepsState_startAgainSchedulesFromNow() {
        h.receiver.start();
        h.receiver.start();
        assertThat(h.time.pendingTimers()).as("start is idempotent").isEqualTo(1);
        h.initialised("clA", "a1", 1);

        h.receiver.stop();
        h.time.advance(Duration.ofMinutes(10));

        assertThat(h.time.pendingTimers()).isZero();
        assertThat(h.receiver.actors("clA")).as("no GC while stopped").hasSize(1);

        h.receiver.start();
        h.time.advance(Duration.ofSeconds(29));
        assertThat(h.receiver.actors("clA")).hasSize(1);
        h.time.advance(Duration.ofSeconds(1));
        assertThat(h.receiver.actors("clA")).isEmpty();
    }

    @Test
    void stop_passAlreadyQueuedOnExecutor_doesNothing() {
        h.receiver.start();
        h.initialised("clA", "a1", 1);
        h.time.advanceHoldingTasks(Duration.ofSeconds(31));
        assertThat(h.time.pendingTasks()).as("the 30 s timer queued its pass").isEqualTo(1);
        h.time.advanceHoldingTasks(Duration.ofSeconds(30));

        h.receiver.stop();
        h.time.runUntilIdle();

        assertThat(h.receiver.actors("clA"))
                .as("expired, but the pass ran after stop")
                .hasSize(1);
        assertThat(h.time.pendingTimers()).as("and scheduled nothing").isZero();
    }

    /** Scenario 14 (t_actor_gc): heartbeats keep actors alive; a pass collects exactly the silent ones. */
    @Test
    void scenario14_actorGc() {
        long t0 = h.time.nanoTime();
        h.receiver.start();
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        LinkConnection a3 = h.initialised("clB", "a3", 1);
        h.routes(a1, "clA", "a1", add("topic/#", "id"), add("topic/42/+", "id"));
        h.routes(a2, "clA", "a2", add("global/#", "id"));
        h.routes(a3, "clB", "a3", add("broker", "id"));

        advanceTo(45_000, t0);
        h.heartbeat(a2, "clA", "a2");
        h.heartbeat(a3, "clB", "a3");
        advanceTo(60_000, t0);

        assertThat(h.receiver.actors("clA")).extracting(a -> a.key().actor()).containsExactly("a2");
        assertThat(h.rows("clA")).containsExactly("global/#|id");
        assertThat(h.rows("clB")).containsExactly("broker|id");
        assertThat(h.index().match("topic/42/x")).isEmpty();
        assertThat(h.routes(a1, "clA", "a1", add("toolate/#", "id")))
                .as("collected state refuses ops")
                .isEqualTo(0x83);
        assertThat(h.broker.disconnects())
                .singleElement()
                .satisfies(d -> assertThat(d.connection()).isEqualTo(a1));
        assertThat(h.rows("clA")).containsExactly("global/#|id");

        advanceTo(94_999, t0);
        assertThat(h.index().routeCount()).isEqualTo(2);
        advanceTo(95_000, t0);

        assertThat(h.receiver.actors("clA")).isEmpty();
        assertThat(h.receiver.actors("clB")).isEmpty();
        assertThat(h.index().routeCount()).as("the other two, in one pass").isZero();
        assertThat(h.heartbeat(a2, "clA", "a2"))
                .as("heartbeat through collected state")
                .isEqualTo(0x83);
        assertThat(h.broker.disconnects()).hasSize(2);
    }

    @Test
    void gc_collectedActorReturns_initCreatesAnewNeedingBootstrap() {
        h.receiver.start();
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("t/1"));
        h.time.advance(Duration.ofSeconds(61));
        assertThat(h.rows("clA")).isEmpty();

        h.init(h.connect("a1-back"), "clA", "a1", 1);

        assertThat(h.lastAck().result())
                .as("the receiver lost its routes: bootstrap")
                .isEqualTo(new Accepted(true));
    }

    /** Scenario 27 (t_metrics), receiving half: route counts follow subscribe, unsubscribe, link disable + GC. */
    @Test
    void scenario27_routeCountsPerCluster() {
        h.receiver.start();
        LinkConnection t = h.initialised("clA", "t@node1", 1);
        assertThat(h.receiver.routeCount("clA")).isZero();

        h.routes(t, "clA", "t@node1", add("t/1"));
        h.routes(t, "clA", "t@node1", add("t/2"));
        assertThat(h.receiver.routeCount("clA")).isEqualTo(2);
        assertThat(h.receiver.routeCount("clB")).isZero();
        assertThat(h.routesReceived("clA")).isEqualTo(2);

        h.routes(t, "clA", "t@node1", del("t/2"));
        assertThat(h.receiver.routeCount("clA")).isEqualTo(1);
        assertThat(h.routesReceived("clA")).isEqualTo(3);

        // The sender's link is disabled: its actor stops and goes silent.
        h.receiver.onConnectionClosed(t);
        h.time.advance(Duration.ofSeconds(60));
        assertThat(h.receiver.routeCount("clA")).isZero();

        // Re-enabled: a new incarnation bootstraps its one route.
        LinkConnection again = h.initialised("clA", "t@node1", 2);
        assertThat(h.lastAck().result()).isEqualTo(new Accepted(true));
        h.routes(again, "clA", "t@node1", add("t/1"));
        assertThat(h.receiver.routeCount("clA")).isEqualTo(1);
    }

    @Test
    void clusterUnlinked_dropsRoutesAndActorsAtOnceAndDisconnectsItsConnections0x98() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        LinkConnection handshaking = h.connect("a:routesync:3");
        h.heartbeat(handshaking, "clA", "a3");
        LinkConnection b1 = h.initialised("clB", "b1", 1);
        h.routes(a1, "clA", "a1", add("t/#"));
        h.routes(a2, "clA", "a2", add("u/+"));
        h.routes(b1, "clB", "b1", add("t/#"));
        h.setLinks(Map.of("clA", false, "clB", true));

        h.receiver.clusterUnlinked("clA");

        assertThat(h.receiver.routeCount("clA")).isZero();
        assertThat(h.receiver.actors("clA")).isEmpty();
        assertThat(h.index().match("t/x")).containsExactly("clB");
        assertThat(h.broker.disconnects())
                .extracting(RecordingBroker.Disconnect::connection)
                .containsExactlyInAnyOrder(a1, a2, handshaking);
        assertThat(h.broker.disconnects()).allSatisfy(d -> {
            assertThat(d.reasonCode()).isEqualTo(RouteReceiver.ADMINISTRATIVE_ACTION);
            assertThat(d.reasonString()).contains("clA");
        });
        assertThat(h.protocolErrors("clA")).as("not the peer's fault").isZero();
        assertThat(h.routes(a1, "clA", "a1", add("late")))
                .as("ignored while closing")
                .isEqualTo(0x83);
        assertThat(h.broker.disconnects()).hasSize(3);
        assertThat(h.rows("clA")).isEmpty();

        LinkConnection retry = h.connect("a:routesync:1");
        h.init(retry, "clA", "a1", 1);
        assertThat(h.lastAck().result())
                .as("the handshake now meets the disabled link")
                .isEqualTo(new Rejected("cluster_link_disabled"));
    }

    @Test
    void clusterUnlinked_unknownCluster_noEffect() {
        h.initialised("clA", "a1", 1);

        h.receiver.clusterUnlinked("nobody");

        assertThat(h.broker.disconnects()).isEmpty();
        assertThat(h.receiver.actors("clA")).hasSize(1);
    }

    @Test
    void constructor_nonPositiveDurations_rejectedNamingValue() {
        assertThatThrownBy(() -> h.newReceiver(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> h.newReceiver(Duration.ofSeconds(3), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }

    /**
     * Scenario 15 (t_consistent_routing_view_concurrent_updates): three actors run their sequences interleaved at
     * random, while a GC pass collects a fourth, silent actor whose routes overlap theirs. Every interleaving
     * converges to the same view.
     */
    @Test
    void scenario15_interleavedActorsAndGc_converge() {
        for (long seed = 0; seed < 20; seed++) {
            runScenario15(seed);
        }
    }

    private record Step(String kind, String filter, String routeId) {
        static Step op(String kind, String filter, String routeId) {
            return new Step(kind, filter, routeId);
        }

        static Step of(String kind) {
            return new Step(kind, "", "");
        }
    }

    private static List<Step> repeat(int n, Step... steps) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(List.of(steps));
        }
        return out;
    }

    private static final class SimActor {
        final String name;
        final List<Step> steps;
        int next;
        long incarnation;
        LinkConnection conn;

        SimActor(String name, List<Step> steps) {
            this.name = name;
            this.steps = steps;
        }
    }

    private void runScenario15(long seed) {
        Harness s = new Harness();
        Random random = new Random(seed);
        long t0 = s.time.nanoTime();
        // The victim falls silent at once; its lease ends 30 s in, and the pass at 30.05 s collects it mid-run.
        LinkConnection victim = s.initialised("clA", "victim", 1);
        s.routes(victim, "clA", "victim", add("global/#", "id"), add("t/client/+/+", "id1"), add("t/client/#", "id"));
        s.time.advance(Duration.ofMillis(50));
        s.receiver.start();
        s.time.advance(Duration.ofMillis(29_900));

        List<SimActor> actors = List.of(
                new SimActor(
                        "a1",
                        repeat(
                                10,
                                Step.of("reincarnate"),
                                Step.op("add", "t/client/#", "id"),
                                Step.op("add", "t/client/+/+", "id1"),
                                Step.op("add", "t/client/+/+", "id1"),
                                Step.op("delete", "t/client/#", "id"))),
                new SimActor(
                        "a2",
                        repeat(
                                10,
                                Step.op("add", "global/#", "id"),
                                Step.op("add", "t/client/+/+", "id1"),
                                Step.op("add", "t/client/+/+", "id2"),
                                Step.op("delete", "t/client/+/+", "id1"),
                                Step.of("heartbeat"))),
                new SimActor(
                        "a3",
                        repeat(
                                10,
                                Step.op("add", "global/#", "id"),
                                Step.op("delete", "global/#", "id"),
                                Step.op("add", "t/client/+/+", "id1"),
                                Step.op("delete", "t/client/+/+", "id1"),
                                Step.op("add", "t/client/+/+", "id2"),
                                Step.op("delete", "t/client/+/+", "id2"),
                                Step.of("reincarnate"))));
        for (SimActor a : actors) {
            a.conn = s.initialised("clA", a.name, 0);
        }
        List<SimActor> running = new ArrayList<>(actors);
        int guard = 0;
        while (!running.isEmpty()) {
            if (++guard > 1_000) {
                throw new AssertionError("seed " + seed + ": scenario did not finish");
            }
            SimActor a = running.get(random.nextInt(running.size()));
            Step step = a.steps.get(a.next++);
            switch (step.kind()) {
                case "reincarnate":
                    s.receiver.onConnectionClosed(a.conn);
                    a.incarnation++;
                    a.conn = s.initialised("clA", a.name, a.incarnation);
                    break;
                case "heartbeat":
                    s.heartbeat(a.conn, "clA", a.name);
                    break;
                case "add":
                    s.routes(a.conn, "clA", a.name, add(step.filter(), step.routeId()));
                    break;
                default:
                    s.routes(a.conn, "clA", a.name, del(step.filter(), step.routeId()));
            }
            if (a.next == a.steps.size()) {
                running.remove(a);
            }
            // The "gc" actor of the EMQX test: time moves on, and GC passes fire when due.
            s.time.advance(Duration.ofMillis(1));
        }

        assertThat(s.time.nanoTime() - t0)
                .as("seed %d: the GC pass at 30.05 s ran mid-run", seed)
                .isGreaterThan(30_050_000_000L);
        assertThat(s.receiver.actors("clA"))
                .as("seed %d", seed)
                .extracting(x -> x.key().actor())
                .containsExactly("a1", "a2", "a3");
        assertThat(s.rowHolders("clA"))
                .as("seed %d", seed)
                .containsOnly(
                        Map.entry("global/#|id", Set.of("a2")),
                        Map.entry("t/client/+/+|id1", Set.of("a1")),
                        Map.entry("t/client/+/+|id2", Set.of("a2")));
        assertThat(s.index().match("t/client/1/2")).containsExactly("clA");
        assertThat(s.index().match("t/client"))
                .as("seed %d: the victim's t/client/# is gone", seed)
                .isEmpty();
        assertThat(s.broker.disconnects()).as("seed %d", seed).isEmpty();
    }
}
