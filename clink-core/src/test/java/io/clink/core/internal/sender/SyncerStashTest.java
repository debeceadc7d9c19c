package io.clink.core.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scenario 32 of the protocol document (syncer stash semantics), and the batch bounds. */
class SyncerStashTest {

    private static final int UNIT = 1;

    @Test
    void push_laterOpOnSameKey_replacesEarlier() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.add("t/1", "t/1"));
        stash.push(RouteOp.delete("t/1", "t/1"));

        assertThat(stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT)).containsExactly(RouteOp.delete("t/1", "t/1"));
        assertThat(stash.isEmpty()).isTrue();
    }

    @Test
    void push_sameKeyAgain_movesToEndOfItsClass() {
        SyncerStash stash = new SyncerStash(2);
        stash.push(RouteOp.add("a", "a"));
        stash.push(RouteOp.add("b", "b"));
        stash.push(RouteOp.delete("x", "x"));
        stash.push(RouteOp.delete("y", "y"));
        stash.push(RouteOp.add("a", "a"));
        stash.push(RouteOp.delete("x", "x"));

        assertThat(stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT))
                .containsExactly(
                        RouteOp.add("b", "b"),
                        RouteOp.add("a", "a"),
                        RouteOp.delete("y", "y"),
                        RouteOp.delete("x", "x"));
    }

    @Test
    void push_deleteThenAddOnPresizedStash_onlyAddLeft() {
        SyncerStash stash = new SyncerStash(100);
        stash.push(RouteOp.delete("t/1", "t/1"));
        stash.push(RouteOp.add("t/1", "t/1"));

        assertThat(stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT)).containsExactly(RouteOp.add("t/1", "t/1"));
        assertThat(stash.isEmpty()).isTrue();
    }

    @Test
    void constructor_negativeExpectedAdds_rejectedNamingValue() {
        assertThatThrownBy(() -> new SyncerStash(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectedAdds must be at least 0: -1");
    }

    @Test
    void push_sameFilterDifferentRouteIds_keepsBoth() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.add("t/+", "t/+"));
        stash.push(RouteOp.add("t/+", "$s/g/t/+"));

        assertThat(stash.size()).isEqualTo(2);
    }

    @Test
    void takeBatch_largerThanOneBatch_addsLeaveBeforeDeletes() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.delete("d/1", "d/1"));
        stash.push(RouteOp.add("a/1", "a/1"));
        stash.push(RouteOp.delete("d/2", "d/2"));
        stash.push(RouteOp.add("a/2", "a/2"));

        assertThat(stash.takeBatch(3, Long.MAX_VALUE, op -> UNIT))
                .containsExactly(RouteOp.add("a/1", "a/1"), RouteOp.add("a/2", "a/2"), RouteOp.delete("d/1", "d/1"));
        assertThat(stash.takeBatch(3, Long.MAX_VALUE, op -> UNIT)).containsExactly(RouteOp.delete("d/2", "d/2"));
    }

    @Test
    void takeBatch_byteBudget_stopsBeforeExceeding() {
        SyncerStash stash = new SyncerStash();
        for (int i = 0; i < 10; i++) {
            stash.push(RouteOp.add("t/" + i, "t/" + i));
        }

        List<RouteOp> batch = stash.takeBatch(4000, 35, op -> 10);

        assertThat(batch).hasSize(3);
        assertThat(stash.size()).isEqualTo(7);
    }

    @Test
    void takeBatch_singleOpLargerThanBudget_stillTakenSoStashNeverStalls() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.add("huge", "huge"));

        assertThat(stash.takeBatch(4000, 5, op -> 100)).hasSize(1);
    }

    @Test
    void takeBatch_zeroMaxOps_rejectedNamingValue() {
        assertThatThrownBy(() -> new SyncerStash().takeBatch(0, 1, op -> 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void restore_keyPushedAgainMeanwhile_newerOpWins() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.add("t/1", "t/1"));
        stash.push(RouteOp.add("t/2", "t/2"));
        List<RouteOp> failed = stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT);
        stash.push(RouteOp.delete("t/1", "t/1"));

        stash.restore(failed);

        assertThat(stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT))
                .containsExactlyInAnyOrder(RouteOp.add("t/2", "t/2"), RouteOp.delete("t/1", "t/1"));
    }

    @Test
    void restore_restoredOpsGoFirstInOriginalOrder() {
        SyncerStash stash = new SyncerStash();
        stash.push(RouteOp.add("a", "a"));
        stash.push(RouteOp.add("b", "b"));
        List<RouteOp> failed = stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT);
        stash.push(RouteOp.add("c", "c"));

        stash.restore(failed);

        assertThat(stash.takeBatch(10, Long.MAX_VALUE, op -> UNIT))
                .containsExactly(RouteOp.add("a", "a"), RouteOp.add("b", "b"), RouteOp.add("c", "c"));
    }

    /**
     * Model check: whatever the interleaving of pushes, partial batches and failed sends, applying every batch that
     * was "sent" to a receiver set yields exactly the last op per key.
     */
    @Test
    void randomSequence_sentBatchesApplied_convergeToLastOpPerKey() {
        for (long seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            SyncerStash stash = new SyncerStash();
            Map<List<String>, Boolean> lastOp = new HashMap<>();
            Map<List<String>, Boolean> receiver = new HashMap<>();
            List<RouteOp> inFlight = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                int action = rnd.nextInt(10);
                if (action < 6) {
                    String f = "t/" + rnd.nextInt(8);
                    String id = rnd.nextBoolean() ? f : "$s/g/" + f;
                    RouteOp op = rnd.nextBoolean() ? RouteOp.add(f, id) : RouteOp.delete(f, id);
                    stash.push(op);
                    lastOp.put(List.of(op.filter(), op.routeId().toString()), !op.delete());
                } else if (action < 8 && inFlight.isEmpty()) {
                    inFlight = stash.takeBatch(1 + rnd.nextInt(4), 1 + rnd.nextInt(40), op -> 5);
                } else if (!inFlight.isEmpty()) {
                    if (rnd.nextBoolean()) {
                        inFlight.forEach(op ->
                                receiver.put(List.of(op.filter(), op.routeId().toString()), !op.delete()));
                    } else {
                        stash.restore(inFlight);
                    }
                    inFlight = new ArrayList<>();
                }
            }
            if (!inFlight.isEmpty()) {
                stash.restore(inFlight);
            }
            while (!stash.isEmpty()) {
                stash.takeBatch(3, Long.MAX_VALUE, op -> UNIT)
                        .forEach(op ->
                                receiver.put(List.of(op.filter(), op.routeId().toString()), !op.delete()));
            }
            Map<List<String>, Boolean> expected = new HashMap<>();
            expected.putAll(lastOp);
            assertThat(receiver).as("seed %d", seed).isEqualTo(expected);
        }
    }
}
