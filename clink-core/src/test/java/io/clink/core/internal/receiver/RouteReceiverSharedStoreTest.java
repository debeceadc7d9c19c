package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static io.clink.core.internal.receiver.Harness.del;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.store.ActorKey;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.testkit.RecordingBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A receiver over a store several nodes share: publishes queued per connection and applied in order, wall-clock
 * leases, routes received through one node matched on every node, GC once per cluster, and what a peer faster than
 * the store or a failing store costs (the actor is evicted, never left half-applied).
 */
class RouteReceiverSharedStoreTest {

    private static final ActorKey A1 = new ActorKey("clA", "a1");

    private final SharedStore store = new SharedStore();
    private final Harness h = new Harness(store);

    private static boolean needBootstrap(Harness node) {
        return ((ControlMessage.Accepted) node.lastAck().result()).needBootstrap();
    }

    @Test
    void onRoutePublish_sharedStore_answersAtOnceAndAppliesInOrderOnTheConnectionsQueue() {
        LinkConnection conn = h.connect("clA:routesync:a1");
        long wallAtInit = h.time.wallClockMillis();

        assertThat(h.init(conn, "clA", "a1", 1)).isEqualTo(0x10);
        assertThat(h.broker.replies()).as("the ack follows from the queue").isEmpty();
        assertThat(store.actor(A1)).isEmpty();
        h.time.runUntilIdle();
        assertThat(h.broker.replies()).hasSize(1);
        assertThat(needBootstrap(h)).isTrue();
        assertThat(store.actor(A1).orElseThrow().leaseUntilMillis())
                .as("a shared store leases by the wall clock")
                .isEqualTo(wallAtInit + Harness.TTL.toMillis());

        assertThat(h.routes(conn, "clA", "a1", add("t/1"))).isEqualTo(0x10);
        assertThat(h.routes(conn, "clA", "a1", del("t/1"))).isEqualTo(0x10);
        assertThat(h.routes(conn, "clA", "a1", add("t/2"))).isEqualTo(0x10);
        assertThat(h.index().match("t/2")).isEmpty();
        h.time.runUntilIdle();

        assertThat(h.index().match("t/2")).containsExactly("clA");
        assertThat(h.index().match("t/1")).as("the delete came after the add").isEmpty();
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void twoNodes_routesReceivedThroughOne_matchedOnBothAndTheActorResumesOnTheOther() {
        Harness n2 = new Harness(store);
        LinkConnection conn = h.connect("clA:routesync:a1");
        h.init(conn, "clA", "a1", 5);
        h.routes(conn, "clA", "a1", add("a/#"), add("b/#"));
        h.time.runUntilIdle();

        assertThat(n2.index().match("a/x")).containsExactly("clA");
        assertThat(n2.receiver.routes("clA"))
                .isEqualTo(h.receiver.routes("clA"))
                .hasSize(2);

        // The node holding the connection goes away; the peer reconnects through the other node.
        h.receiver.onConnectionClosed(conn);
        LinkConnection again = n2.connect("clA:routesync:a1");
        n2.init(again, "clA", "a1", 5);
        n2.time.runUntilIdle();
        assertThat(needBootstrap(n2))
                .as("same incarnation: routes kept, no bootstrap")
                .isFalse();
        n2.routes(again, "clA", "a1", del("a/#"));
        n2.time.runUntilIdle();

        assertThat(h.index().match("a/x"))
                .as("a delete through node 2 reaches node 1")
                .isEmpty();
        assertThat(h.index().match("b/x")).containsExactly("clA");
        assertThat(n2.index().match("b/x")).containsExactly("clA");
    }

    @Test
    void gc_twoNodesOverOneStore_theSilentActorRemovedOnceAndFromBothIndexes() {
        Harness n2 = new Harness(store);
        h.receiver.start();
        n2.receiver.start();
        LinkConnection conn = h.connect("clA:routesync:a1");
        h.init(conn, "clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("a/#"));
        h.time.runUntilIdle();

        h.time.advance(Duration.ofSeconds(61));
        n2.time.advance(Duration.ofSeconds(61));

        assertThat(store.actor(A1)).isEmpty();
        assertThat(store.expiredRemovals.get())
                .as("one node's pass removed it; the other found nothing")
                .isEqualTo(1);
        assertThat(h.index().match("a/x")).isEmpty();
        assertThat(n2.index().match("a/x")).isEmpty();
    }

    @Test
    void onRoutePublish_peerFasterThanTheStore_disconnectedWithQuotaExceededAndActorEvicted() {
        LinkConnection conn = h.connect("clA:routesync:a1");
        h.init(conn, "clA", "a1", 1);
        h.time.runUntilIdle();
        for (int i = 0; i < RouteReceiver.MAX_QUEUED; i++) {
            assertThat(h.heartbeat(conn, "clA", "a1")).isEqualTo(0x10);
        }

        assertThat(h.routes(conn, "clA", "a1", add("lost/#"))).isEqualTo(RouteReceiver.QUOTA_EXCEEDED);
        assertThat(h.broker.disconnects())
                .singleElement()
                .extracting(RecordingBroker.Disconnect::reasonCode)
                .isEqualTo(RouteReceiver.QUOTA_EXCEEDED);
        h.time.runUntilIdle();

        assertThat(store.actor(A1))
                .as("evicted: its state may lack a refused batch")
                .isEmpty();
        LinkConnection again = h.connect("clA:routesync:a1");
        h.init(again, "clA", "a1", 1);
        h.time.runUntilIdle();
        assertThat(needBootstrap(h))
                .as("the same incarnation must bootstrap again")
                .isTrue();
        assertThat(h.receiver.trackedConnections()).isEqualTo(2);
    }

    @Test
    void onRoutePublish_storeThrows_actorEvictedConnectionClosedWith0x80AndCounted() {
        LinkConnection conn = h.connect("clA:routesync:a1");
        h.init(conn, "clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("kept/#"));
        h.time.runUntilIdle();
        store.failApplyWith(new IllegalStateException("store unreachable"));

        h.routes(conn, "clA", "a1", add("more/#"));
        h.time.runUntilIdle();

        assertThat(h.broker.disconnects()).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo(0x80);
            assertThat(d.reasonString()).contains("store unreachable");
        });
        assertThat(store.actor(A1)).isEmpty();
        assertThat(h.index().match("kept/x"))
                .as("nothing half-applied survives")
                .isEmpty();
        assertThat(h.counters.countersOf("clA").brokerErrors.sum()).isEqualTo(1);
        assertThat(h.protocolErrors("clA")).as("not the peer's fault").isZero();
    }

    @Test
    void onConnectionClosed_withPublishesQueued_theyAreSkipped() {
        LinkConnection conn = h.connect("clA:routesync:a1");
        h.init(conn, "clA", "a1", 1);
        h.time.runUntilIdle();
        h.routes(conn, "clA", "a1", add("late/#"));

        h.receiver.onConnectionClosed(conn);
        h.time.runUntilIdle();

        assertThat(h.index().match("late/x")).isEmpty();
        assertThat(h.receiver.trackedConnections()).isZero();
        assertThat(h.protocolErrors("clA")).isZero();
    }
}
