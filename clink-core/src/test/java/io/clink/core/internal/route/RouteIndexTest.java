package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteIndexTest {

    private final RouteIndex index = new RouteIndex();

    @AfterEach
    void invariantsHold() {
        index.validate();
    }

    // ---- add / delete / lanes ------------------------------------------------------------------------------------

    @Test
    void add_newRow_returnsTrueAndMatches() {
        assertThat(index.add("a/+", "B", "a/+", 0)).isTrue();

        assertThat(index.match("a/x")).containsExactly("B");
        assertThat(index.routeCount("B")).isEqualTo(1);
        assertThat(index.routeCount()).isEqualTo(1);
    }

    @Test
    void add_sameLaneTwice_isIdempotent() {
        index.add("a/b", "B", "a/b", 3);

        assertThat(index.add("a/b", "B", "a/b", 3)).isFalse();
        assertThat(index.routeCount("B")).isEqualTo(1);
        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row("a/b", "B", "a/b", 1L << 3));
        assertThat(index.delete("a/b", "B", "a/b", 3)).isTrue();
        assertThat(index.match("a/b")).isEmpty();
    }

    @Test
    void delete_oneOfTwoLanes_rowSurvives() {
        index.add("client/42/#", "B", "client/42/#", 2);
        assertThat(index.add("client/42/#", "B", "client/42/#", 1)).isFalse();

        assertThat(index.delete("client/42/#", "B", "client/42/#", 2)).isFalse();

        assertThat(index.match("client/42/x")).containsExactly("B");
        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row("client/42/#", "B", "client/42/#", 0b10));
    }

    @Test
    void delete_bothLanes_rowGone() {
        index.add("client/42/#", "B", "client/42/#", 2);
        index.add("client/42/#", "B", "client/42/#", 1);
        index.delete("client/42/#", "B", "client/42/#", 2);

        assertThat(index.delete("client/42/#", "B", "client/42/#", 1)).isTrue();

        assertThat(index.match("client/42/x")).isEmpty();
        assertThat(index.routeCount("B")).isZero();
        assertThat(index.routes("B")).isEmpty();
    }

    @Test
    void delete_unknownRow_isNoOpReturningFalse() {
        index.add("a/b", "B", "a/b", 0);

        assertThat(index.delete("a/c", "B", "a/c", 0)).isFalse();
        assertThat(index.delete("a/b", "B", "other-id", 0)).isFalse();
        assertThat(index.delete("a/b", "C", "a/b", 0)).isFalse();
        assertThat(index.delete("a", "B", "a", 0)).isFalse();
        assertThat(index.delete("a/b/c", "B", "a/b/c", 0)).isFalse();

        assertThat(index.routeCount()).isEqualTo(1);
        assertThat(index.match("a/b")).containsExactly("B");
    }

    @Test
    void delete_laneNotHoldingRow_isNoOp() {
        index.add("a/b", "B", "a/b", 0);

        assertThat(index.delete("a/b", "B", "a/b", 1)).isFalse();

        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row("a/b", "B", "a/b", 1L));
    }

    @Test
    void add_sameFilterTwoRouteIds_countsTwoRowsMatchesClusterOnce() {
        index.add("t/+", "B", "t/+", 0);
        index.add("t/+", "B", "$s/g/t/+", 0);
        List<String> delivered = new ArrayList<>();

        index.match("t/1", sinkInto(delivered));

        assertThat(delivered).containsExactly("B");
        assertThat(index.routeCount("B")).isEqualTo(2);
        index.delete("t/+", "B", "t/+", 0);
        assertThat(index.match("t/1")).containsExactly("B");
        index.delete("t/+", "B", "$s/g/t/+", 0);
        assertThat(index.match("t/1")).isEmpty();
    }

    @Test
    void match_twoClustersOverlappingFilters_eachYieldedOnce() {
        index.add("a/#", "B", "a/#", 0);
        index.add("a/+", "B", "a/+", 0);
        index.add("a/b", "C", "a/b", 0);
        index.add("+/b", "C", "+/b", 1);
        index.add("#", "C", "#", 0);
        List<String> delivered = new ArrayList<>();

        index.match("a/b", sinkInto(delivered));

        assertThat(delivered).containsExactlyInAnyOrder("B", "C");
    }

    @Test
    void clearLane_removesOnlyThatLanesBits() {
        index.add("a", "B", "a", 0);
        index.add("a", "B", "a", 1);
        index.add("b", "B", "b", 1);
        index.add("c", "B", "c", 0);
        index.add("b", "C", "b", 1);

        assertThat(index.clearLane("B", 1)).isEqualTo(1);

        assertThat(new HashSet<>(index.routes("B")))
                .containsExactlyInAnyOrder(NaiveRoutes.row("a", "B", "a", 1L), NaiveRoutes.row("c", "B", "c", 1L));
        assertThat(index.match("b")).containsExactly("C");
        assertThat(index.routeCount("C")).isEqualTo(1);
    }

    @Test
    void clearLane_unknownCluster_returnsZero() {
        assertThat(index.clearLane("nobody", 0)).isZero();
        assertThat(index.removeCluster("nobody")).isZero();
    }

    @Test
    void removeCluster_dropsAllItsRowsOnly() {
        index.add("x/+", "B", "x/+", 0);
        index.add("x/+", "B", "$s/g/x/+", 5);
        index.add("x/#", "B", "x/#", 63);
        index.add("x/+", "C", "x/+", 0);

        assertThat(index.removeCluster("B")).isEqualTo(3);

        assertThat(index.match("x/y")).containsExactly("C");
        assertThat(index.clusters()).containsExactly("C");
        assertThat(index.routeCount()).isEqualTo(1);
        index.add("x/#", "B", "x/#", 0);
        assertThat(index.match("x/y")).containsExactlyInAnyOrder("B", "C");
    }

    @Test
    void routes_routeIdsOfEveryShape_roundTrip() {
        Set<IndexedRoute> expected = Set.of(
                NaiveRoutes.row("t/1", "B", "t/1", 1L),
                NaiveRoutes.row("t/1", "B", "$s/g/t/1", 1L),
                NaiveRoutes.row("t/1", "B", "$p/session-7/t/1", 1L),
                NaiveRoutes.row("t/1", "B", "t/+", 1L),
                NaiveRoutes.row("t/1", "B", "", 1L),
                NaiveRoutes.row("t/1", "B", "xt/1", 1L),
                NaiveRoutes.row("é/ü/中", "B", "$s/g/é/ü/中", 1L),
                NaiveRoutes.row("a//b/", "B", "$s/grp/a//b/", 1L));
        expected.forEach(r ->
                assertThat(index.add(r.filter(), r.cluster(), r.routeId(), 0)).isTrue());

        assertThat(new HashSet<>(index.routes("B"))).isEqualTo(expected);
        expected.forEach(r ->
                assertThat(index.add(r.filter(), r.cluster(), r.routeId(), 0)).isFalse());
        assertThat(index.match("é/ü/中")).containsExactly("B");
        assertThat(index.match("é/ü/中x")).isEmpty();
        expected.forEach(r -> assertThat(index.delete(r.filter(), r.cluster(), r.routeId(), 0))
                .isTrue());
        assertThat(index.routeCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1024, 5000, Integer.MIN_VALUE})
    void add_laneOutOfRange_throwsNamingLane(int lane) {
        assertThatThrownBy(() -> index.add("a", "B", "a", lane))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(lane))
                .hasMessageContaining("[0, 1023]");
        assertThatThrownBy(() -> index.delete("a", "B", "a", lane)).hasMessageContaining(String.valueOf(lane));
        assertThatThrownBy(() -> index.clearLane("B", lane)).hasMessageContaining(String.valueOf(lane));
        assertThat(index.routeCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a#", "#a", "a/b#", "a+", "+a", "a/+b", "a/++", "##", "a/\u0000"})
    void add_invalidFilter_throwsNamingFilterAndChangesNothing(String filter) {
        index.add("a/b", "B", "a/b", 0);

        assertThatThrownBy(() -> index.add(filter, "B", "r", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(filter.isEmpty() ? "empty" : "'" + filter + "'");
        assertThatThrownBy(() -> index.delete(filter, "B", "r", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.routeCount()).isEqualTo(1);
        assertThat(index.clusters()).containsExactly("B");
    }

    @Test
    void add_emptyClusterName_throws() {
        assertThatThrownBy(() -> index.add("a", "", "a", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster");
    }

    @Test
    void add_manyLanesOnOneRow_allTracked() {
        for (int lane = 0; lane < 64; lane++) {
            index.add("a", "B", "a", lane);
        }
        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row("a", "B", "a", -1L));
        for (int lane = 0; lane < 63; lane++) {
            assertThat(index.delete("a", "B", "a", lane)).isFalse();
        }
        assertThat(index.match("a")).containsExactly("B");
        assertThat(index.delete("a", "B", "a", 63)).isTrue();
        assertThat(index.match("a")).isEmpty();
    }

    @Test
    void add_manyRowsOnOneNode_rowStorageGrowsWidensAndShrinks() {
        // One filter, many route ids (durable sessions), lanes above 31 on some: row arrays grow, switch from int to
        // long lane masks, and shrink again as rows go.
        NaiveRoutes model = new NaiveRoutes();
        for (int i = 0; i < 200; i++) {
            int lane = i % 50 == 0 ? 40 : i % 3;
            String id = i % 2 == 0 ? "$p/session-" + i + "/t/#" : "opaque-" + i;
            assertThat(index.add("t/#", i % 7 == 0 ? "C" : "B", id, lane)).isTrue();
            model.add("t/#", i % 7 == 0 ? "C" : "B", id, lane);
        }
        index.validate();
        for (NaiveRoutes.Key k : model.keys()) {
            for (int lane : new int[] {0, 1, 2, 40}) {
                if (!k.routeId().toString().endsWith("3")) {
                    assertThat(index.delete(k.filter(), k.cluster(), k.routeId(), lane))
                            .isEqualTo(model.delete(k.filter(), k.cluster(), k.routeId(), lane));
                }
            }
        }
        index.validate();
        assertThat(new HashSet<>(index.routes("B"))).isEqualTo(model.routes("B"));
        assertThat(new HashSet<>(index.routes("C"))).isEqualTo(model.routes("C"));
        assertThat(index.match("t/x")).isEqualTo(model.match("t/x"));
        assertThat(index.clearLane("B", 40)
                        + index.clearLane("B", 0)
                        + index.clearLane("B", 1)
                        + index.clearLane("B", 2))
                .isEqualTo(model.clearLane("B", 40)
                        + model.clearLane("B", 0)
                        + model.clearLane("B", 1)
                        + model.clearLane("B", 2));
        assertThat(index.match("t/x")).isEqualTo(model.match("t/x")).containsExactly("C");
    }

    @Test
    void add_tensOfThousandsOfRouteIdsOnOneFilter_staysConsistent() {
        // Durable sessions all subscribed to one filter: the node's rows are found through a hash index, not a scan.
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            assertThat(index.add("alerts/#", "B", "$p/session-" + i + "/alerts/#", i % 2))
                    .isTrue();
        }
        index.add("alerts/#", "C", "alerts/#", 0);
        for (int i = 0; i < n; i += 2) {
            assertThat(index.add("alerts/#", "B", "$p/session-" + i + "/alerts/#", 0))
                    .isFalse();
        }
        index.validate();
        for (int i = 0; i < n; i++) {
            assertThat(index.delete("alerts/#", "B", "$p/session-" + i + "/alerts/#", i % 2))
                    .isTrue();
        }
        assertThat(index.routeCount("B")).isZero();
        assertThat(index.match("alerts/fire")).containsExactly("C");
    }

    // ---- matching ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a/b     | a/b     | true",
                "a/b     | a/c     | false",
                "a/b     | a/b/c   | false",
                "a/b/c   | a/b     | false",
                "a/+     | a/b     | true",
                "a/+     | a/      | true",
                "a/+     | a       | false",
                "a/+     | a/b/c   | false",
                "+       | a       | true",
                "+       | ''      | true",
                "+       | /       | false",
                "+/+     | /       | true",
                "/+      | /x      | true",
                "a/#     | a       | true",
                "a/#     | a/      | true",
                "a/#     | a/b/c   | true",
                "a/#     | ab      | false",
                "a/#     | b/a     | false",
                "#       | a/b/c   | true",
                "#       | /       | true",
                "+/#     | a       | true",
                "+/+/#   | a       | false",
                "a//b    | a//b    | true",
                "a//b    | a/b     | false",
                "a/+/b   | a//b    | true",
                "a/+/b   | a/x/b   | true",
                "a//#    | a/      | true",
                "a//#    | a       | false",
                "a/      | a/      | true",
                "a/      | a       | false",
                "#       | $SYS/a  | false",
                "+/a     | $SYS/a  | false",
                "+/#     | $SYS    | false",
                "$SYS/#  | $SYS/a  | true",
                "$SYS/#  | $SYS    | true",
                "$SYS/+  | $SYS/a  | true",
                "a/+     | a/$x    | true",
                "a/#     | a/$x/y  | true",
                "+/$x    | a/$x    | true",
                "$s/g/t/+| $s/g/t/1| true",
                "A/b     | a/b     | false",
                "+       | $       | false",
                "$       | $       | true",
            })
    void match_truthTable_followsMqttRules(String filter, String topic, boolean expected) {
        assertThat(NaiveRoutes.matches(filter, topic)).as("naive model agrees").isEqualTo(expected);
        index.add(filter, "B", filter, 0);

        assertThat(index.match(topic).contains("B")).isEqualTo(expected);
    }

    @Test
    void match_topicWithWildcardCharacters_comparedLiterally() {
        index.add("a/b", "B", "a/b", 0);

        assertThat(index.match("a/+")).isEmpty();
        assertThat(index.match("#")).isEmpty();
    }

    @Test
    void match_wideFanOutUnderOneLevel_growsAndShrinksChildTable() {
        // Enough siblings to turn the child list into a hash table, then tombstones, rebuilds and shrinking back.
        int n = 300;
        for (int i = 0; i < n; i++) {
            index.add("w/" + i + "/x", "B", "r", 0);
        }
        index.validate();
        for (int i = 0; i < n; i += 2) {
            index.delete("w/" + i + "/x", "B", "r", 0);
            index.validate();
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n; i += 2) {
                index.add("w/" + i + "/x", "B", "r", 0);
                index.delete("w/" + i + "/x", "B", "r", 0);
            }
        }
        index.validate();
        for (int i = 0; i < n; i++) {
            assertThat(index.match("w/" + i + "/x").isEmpty()).as("w/%s/x", i).isEqualTo(i % 2 == 0);
        }
        for (int i = 1; i < n - 2; i += 2) {
            index.delete("w/" + i + "/x", "B", "r", 0);
        }
        index.validate();
        assertThat(index.match("w/" + (n - 1) + "/x")).containsExactly("B");
        assertThat(index.routeCount()).isEqualTo(1);
    }

    @Test
    void match_deepFilter_usesGrowableStackWithoutRecursion() {
        String filter = "+/".repeat(5000) + "#";
        index.add(filter, "B", "deep", 0);
        index.add("a/".repeat(4999) + "a", "C", "deep", 0);

        assertThat(index.match("a/".repeat(6000) + "a")).containsExactly("B");
        assertThat(index.match("a/".repeat(4999) + "a")).containsExactlyInAnyOrder("B", "C");
        assertThat(index.match("a/".repeat(4998) + "a")).isEmpty();
    }

    @Test
    void add_everyLaneUpToMaxLanesOnOneRow_heldUntilTheLastLaneGoes() {
        for (int lane = 0; lane < RouteIndex.MAX_LANES; lane++) {
            assertThat(index.add("a", "B", "a", lane)).isEqualTo(lane == 0);
            assertThat(index.add("a", "B", "a", lane)).as("idempotent per lane").isFalse();
        }
        BitSet all = new BitSet();
        all.set(0, RouteIndex.MAX_LANES);
        assertThat(index.routes("B")).containsExactly(new IndexedRoute("a", "B", RouteId.utf8("a"), all));
        index.validate();
        // Withdraw in an order that empties the overflow lanes before the mask's.
        for (int lane = RouteIndex.MAX_LANES - 1; lane > 0; lane--) {
            assertThat(index.delete("a", "B", "a", lane)).isFalse();
            assertThat(index.delete("a", "B", "a", lane))
                    .as("lane %d no longer holds it", lane)
                    .isFalse();
        }
        index.validate();
        assertThat(index.match("a")).containsExactly("B");
        assertThat(index.delete("a", "B", "a", 0)).isTrue();
        assertThat(index.match("a")).isEmpty();
    }

    @Test
    void clearLane_overflowLane_removesOnlyRowsNoOtherLaneHolds() {
        index.add("a", "B", "a", 700);
        index.add("b", "B", "b", 700);
        index.add("b", "B", "b", 3);
        index.add("c", "B", "c", 63);
        index.add("c", "B", "c", 700);
        index.add("d", "C", "d", 700);

        assertThat(index.clearLane("B", 700)).isEqualTo(1);

        index.validate();
        assertThat(index.routes("B"))
                .containsExactlyInAnyOrder(
                        NaiveRoutes.row("b", "B", "b", 1L << 3), NaiveRoutes.row("c", "B", "c", 1L << 63));
        assertThat(index.match("d")).containsExactly("C");
        assertThat(index.clearLane("B", 63)).isEqualTo(1);
        assertThat(index.removeCluster("C")).isEqualTo(1);
        index.validate();
        assertThat(index.routeCount()).isEqualTo(1);
    }

    @Test
    void add_routeIdsNotUtf8_keptAndDeletedByExactBytes() {
        RouteId s1 = RouteId.of(bytes("$p/\u00FF\u00FE/t/1"));
        RouteId s2 = RouteId.of(bytes("$p/\u00FF\u00FD/t/1"));
        RouteId raw = RouteId.of(bytes("\u00C3"));
        assertThat(index.add("t/1", "B", s1, 0)).isTrue();
        assertThat(index.add("t/1", "B", s2, 0)).isTrue();
        assertThat(index.add("t/1", "B", raw, 1)).isTrue();
        assertThat(index.add("t/1", "B", RouteId.of(bytes("$p/\u00FF\u00FE/t/1")), 1))
                .as("same bytes")
                .isFalse();
        assertThat(index.routeCount("B")).isEqualTo(3);
        assertThat(index.routes("B"))
                .extracting(r -> r.routeId().toString())
                .containsExactlyInAnyOrder("$p/\\xFF\\xFE/t/1", "$p/\\xFF\\xFD/t/1", "\\xC3");

        assertThat(index.delete("t/1", "B", s1, 0)).isFalse();
        assertThat(index.delete("t/1", "B", s1, 1)).isTrue();
        assertThat(index.delete("t/1", "B", RouteId.of(bytes("$p/\u00FF\u00FD/t/")), 0))
                .as("a prefix")
                .isFalse();
        assertThat(index.delete("t/1", "B", RouteId.utf8("$p/\u00FF\u00FD/t/1"), 0))
                .as("its text")
                .isFalse();
        assertThat(index.routes("B")).extracting(IndexedRoute::routeId).containsExactlyInAnyOrder(s2, raw);
        assertThat(index.match("t/1")).containsExactly("B");
        assertThat(index.delete("t/1", "B", s2, 0)).isTrue();
        assertThat(index.delete("t/1", "B", raw, 1)).isTrue();
        assertThat(index.match("t/1")).isEmpty();
    }

    /** Bytes of a string whose chars are all below 256: one byte per char, so any byte sequence can be spelled. */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void match_warmSink_allocatesNothing() {
        for (int s = 0; s < 50; s++) {
            index.add("site/" + s + "/#", "B", "$s/g/site/" + s + "/#", 0);
            for (int d = 0; d < 20; d++) {
                index.add("site/" + s + "/device/" + d + "/+", "C", "site/" + s + "/device/" + d + "/+", 0);
                // Same cluster on an overflow lane with a non-UTF-8 id: the match result is unchanged, and the
                // rows that need the overflow table and byte ids must not cost the readers anything.
                index.add("site/" + s + "/device/" + d + "/+", "C", RouteId.of(bytes("$p/\u00FF/x")), 900);
            }
        }
        index.add("+/+/device/#", "D", "+/+/device/#", 0);
        String[] topics = {"site/7/device/3/temp", "site/49/device/19/x", "site/x/y", "$SYS/site/1", "other"};
        int[] hits = new int[1];
        MatchSink sink = new MatchSink() {
            @Override
            protected void accept(String cluster) {
                hits[0]++;
            }
        };
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.getCurrentThreadAllocatedBytes())
                .as("this JVM measures per-thread allocation")
                .isPositive();
        // Until the JIT has compiled match (slow on a loaded machine), the interpreter may allocate while invoking
        // VarHandles, so measure several rounds and keep the best; steady-state allocation fails every round.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 30 && allocated >= 4_096; round++) {
            hits[0] = 0;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                index.match(topics[i % topics.length], sink);
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
            assertThat(hits[0]).isEqualTo(2_000 * (3 + 3));
        }

        // A per-call allocation would cost at least 16 bytes x 10,000 calls; allow slack for the measuring call itself.
        assertThat(allocated).isLessThan(4_096);
    }

    @Test
    void match_sinkReusedAcrossIndexesAndClusters_dedupsPerCall() {
        RouteIndex other = new RouteIndex();
        for (int c = 0; c < 40; c++) {
            index.add("a/#", "c" + c, "a/#", 0);
            index.add("a/+", "c" + c, "a/+", 0);
        }
        other.add("a/b", "z", "a/b", 0);
        List<String> delivered = new ArrayList<>();
        MatchSink sink = sinkInto(delivered);

        index.match("a/b", sink);
        other.match("a/b", sink);
        index.match("a/b", sink);

        assertThat(delivered).hasSize(81);
        assertThat(new HashSet<>(delivered)).hasSize(41);
        other.validate();
    }

    @Test
    void removeCluster_thenReAdd_reusesNameCorrectly() {
        index.add("a", "B", "a", 0);
        index.add("a", "C", "a", 0);
        index.removeCluster("B");
        index.add("b", "D", "b", 0);
        index.add("a", "B", "a", 1);

        assertThat(index.match("a")).containsExactlyInAnyOrder("B", "C");
        assertThat(index.match("b")).containsExactly("D");
        assertThat(index.clusters()).containsExactly("B", "C", "D");
    }

    private static MatchSink sinkInto(List<String> out) {
        return new MatchSink() {
            @Override
            protected void accept(String cluster) {
                out.add(cluster);
            }
        };
    }
}
