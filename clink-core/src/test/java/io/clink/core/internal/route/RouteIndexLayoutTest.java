package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * White-box tests of the compact layout: shared single-row arrays, exact-size row arrays growing into a row lookup and
 * back, the inline single child, route-id codes and the level-key cache. Every test ends with {@code validate()}, which
 * also checks that no shared row array was written.
 */
class RouteIndexLayoutTest {

    private final RouteIndex index = new RouteIndex();

    @AfterEach
    void invariantsHold() {
        index.validate();
    }

    private TrieNode node(String filter) {
        TrieNode node = index.nodeAt(filter);
        assertThat(node).as("node of %s", filter).isNotNull();
        return node;
    }

    // ---- shared single rows ----------------------------------------------------------------------------------------

    @Test
    void add_plainRowsOfOneClusterAndLane_shareOneRowArray() {
        index.add("a/b", "B", "a/b", 0);
        index.add("c/d/e", "B", "c/d/e", 0);
        index.add("f", "B", "f", 3);

        assertThat(node("a/b").rows).isInstanceOf(int[].class).isSameAs(node("c/d/e").rows);
        assertThat(node("f").rows).isNotSameAs(node("a/b").rows);
    }

    @Test
    void add_secondLaneOnSharedRow_copiesAndLeavesOtherFiltersAlone() {
        index.add("a/b", "B", "a/b", 0);
        index.add("c/d", "B", "c/d", 0);
        Object shared = node("c/d").rows;

        assertThat(index.add("a/b", "B", "a/b", 1)).isFalse();

        assertThat(node("c/d").rows).isSameAs(shared);
        assertThat((int[]) shared).containsExactly(0, 1, RouteIdCodes.SAME_AS_FILTER);
        assertThat(node("a/b").rows).isNotSameAs(shared);
        assertThat(new HashSet<>(index.routes("B")))
                .containsExactlyInAnyOrder(
                        NaiveRoutes.row("a/b", "B", "a/b", 0b11), NaiveRoutes.row("c/d", "B", "c/d", 1));
    }

    @Test
    void add_wideLaneOnSharedRow_widensACopy() {
        index.add("a/b", "B", "a/b", 0);
        index.add("c/d", "B", "c/d", 0);
        Object shared = node("c/d").rows;

        index.add("a/b", "B", "a/b", 40);

        assertThat(node("a/b").rows).isInstanceOf(long[].class);
        assertThat((int[]) shared).containsExactly(0, 1, RouteIdCodes.SAME_AS_FILTER);
        assertThat(index.delete("a/b", "B", "a/b", 0)).isFalse();
        assertThat(index.routes("B")).contains(NaiveRoutes.row("a/b", "B", "a/b", 1L << 40));
        assertThat(index.delete("a/b", "B", "a/b", 40)).isTrue();
        assertThat(index.nodeAt("a/b")).isNull();
        assertThat(index.match("c/d")).containsExactly("B");
    }

    @Test
    void delete_backToOnePlainRow_returnsToSharedArray() {
        index.add("x", "B", "x", 0);
        index.add("a/b", "B", "a/b", 0);
        index.add("a/b", "B", "$s/g/a/b", 0);
        index.add("a/b", "C", "a/b", 0);
        assertThat(node("a/b").rowCount()).isEqualTo(3);

        index.delete("a/b", "C", "a/b", 0);
        index.delete("a/b", "B", "$s/g/a/b", 0);

        assertThat(node("a/b").rows).isSameAs(node("x").rows);
        assertThat(index.match("a/b")).containsExactly("B");
    }

    @Test
    void delete_lastRouteOnSharedRow_prunesNodeAndKeepsSharedArray() {
        index.add("a/b", "B", "a/b", 0);
        index.add("a/c", "B", "a/c", 0);
        Object shared = node("a/c").rows;

        assertThat(index.delete("a/b", "B", "a/b", 0)).isTrue();

        assertThat(index.nodeAt("a/b")).isNull();
        assertThat(node("a/c").rows).isSameAs(shared);
        assertThat(index.delete("a/c", "B", "a/c", 0)).isTrue();
        assertThat(index.nodeAt("a")).isNull();
        assertThat(index.routeCount()).isZero();
        assertThat(index.match("a/c")).isEmpty();
    }

    @Test
    void clearLane_onSharedRows_removesOnlyThatLane() {
        for (int i = 0; i < 5; i++) {
            index.add("f/" + i, "B", "f/" + i, 0);
            index.add("f/" + i, "B", "f/" + i, 1);
        }
        index.add("g", "B", "g", 1);

        assertThat(index.clearLane("B", 0)).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(node("f/" + i).rows).isSameAs(node("g").rows);
        }
        assertThat(index.clearLane("B", 1)).isEqualTo(6);
        assertThat(index.routeCount()).isZero();
    }

    // ---- rows growing into a row lookup and back -------------------------------------------------------------------

    @Test
    void rows_growPastRowLookupAndShrinkToNone_keepEveryRow() {
        String filter = "s/+/t";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * PackedRows.LOOKUP_MIN; i++) {
            // Plain, prefixed and opaque route ids, over two clusters.
            ids.add(i == 0 ? filter : i % 3 == 0 ? "opaque-" + i : "$p/s" + i + "/" + filter);
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(index.add(filter, i % 2 == 0 ? "B" : "C", ids.get(i), i % 4))
                    .isTrue();
            index.validate();
            assertThat(node(filter).rows instanceof RowLookup).isEqualTo(i + 1 >= PackedRows.LOOKUP_MIN);
        }
        for (int i = ids.size() - 1; i >= 1; i--) {
            assertThat(index.delete(filter, i % 2 == 0 ? "B" : "C", ids.get(i), i % 4))
                    .isTrue();
            index.validate();
            assertThat(node(filter).rowCount()).isEqualTo(i);
            assertThat(index.match("s/x/t")).isNotEmpty();
        }
        // One plain row of lane 0 left: the shared array of cluster B.
        assertThat(node(filter).rows).isInstanceOf(int[].class);
        assertThat((int[]) node(filter).rows).containsExactly(0, 1, RouteIdCodes.SAME_AS_FILTER);
        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row(filter, "B", filter, 1));
        assertThat(index.delete(filter, "B", filter, 0)).isTrue();
        assertThat(index.nodeAt(filter)).isNull();
        assertThat(index.match("s/x/t")).isEmpty();
    }

    @Test
    void removeCluster_onCrowdedNode_dropsBackToExactRows() {
        for (int i = 0; i < 2 * PackedRows.LOOKUP_MIN; i++) {
            index.add("a", i < PackedRows.LOOKUP_MIN + 3 ? "B" : "C", "$s/g" + i + "/a", 0);
        }
        assertThat(node("a").rows).isInstanceOf(RowLookup.class);

        assertThat(index.removeCluster("B")).isEqualTo(PackedRows.LOOKUP_MIN + 3);

        assertThat(node("a").rows).isInstanceOf(int[].class);
        assertThat(node("a").rowCount()).isEqualTo(PackedRows.LOOKUP_MIN - 3);
        assertThat(index.match("a")).containsExactly("C");
    }

    // ---- route-id codes
    // ----------------------------------------------------------------------------------------------

    @Test
    void add_rawIdAndPrefixWithSameText_keepDistinctCodes() {
        // "y" is a raw id on filter x and the prefix of "yx2" on filter x2.
        index.add("x", "B", "y", 0);
        index.add("x2", "B", "yx2", 0);

        assertThat(new HashSet<>(index.routes("B")))
                .containsExactlyInAnyOrder(NaiveRoutes.row("x", "B", "y", 1), NaiveRoutes.row("x2", "B", "yx2", 1));
        assertThat(index.delete("x", "B", "yx", 0)).isFalse();
        assertThat(index.delete("x2", "B", "y", 0)).isFalse();
        assertThat(index.delete("x", "B", "y", 0)).isTrue();
        assertThat(index.routes("B")).containsExactly(NaiveRoutes.row("x2", "B", "yx2", 1));
    }

    @Test
    void delete_lastUseOfCode_codeReusedForAnotherId() {
        index.add("a", "B", "$p/s1/a", 0);
        index.add("b", "B", "$p/s1/b", 0);
        index.delete("a", "B", "$p/s1/a", 0);
        index.delete("b", "B", "$p/s1/b", 0);

        index.add("c", "B", "$p/s2/c", 0);
        index.add("d", "B", "opaque", 0);

        assertThat(new HashSet<>(index.routes("B")))
                .containsExactlyInAnyOrder(
                        NaiveRoutes.row("c", "B", "$p/s2/c", 1), NaiveRoutes.row("d", "B", "opaque", 1));
        assertThat(index.delete("c", "B", "$p/s1/c", 0)).isFalse();
    }

    // ---- children --------------------------------------------------------------------------------------------------

    @Test
    void children_inlineSingleChildGrowsToListAndTableAndBack() {
        int n = 3 * ExactChildren.LIST_MAX;
        for (int i = 0; i < n; i++) {
            index.add("p/c" + i, "B", "p/c" + i, 0);
            index.validate();
            Object children = node("p").children;
            if (i == 0) {
                assertThat(children).isInstanceOf(TrieNode.class);
            } else if (i < ExactChildren.LIST_MAX) {
                assertThat(children).isInstanceOf(TrieNode[].class);
            } else {
                assertThat(children).isInstanceOf(ExactChildren.Table.class);
            }
        }
        for (int i = 0; i < n - 1; i++) {
            index.delete("p/c" + i, "B", "p/c" + i, 0);
            index.validate();
        }
        assertThat(node("p").children).isInstanceOf(TrieNode.class);
        assertThat(index.match("p/c" + (n - 1))).containsExactly("B");
        assertThat(index.match("p/c0")).isEmpty();
        index.delete("p/c" + (n - 1), "B", "p/c" + (n - 1), 0);
        assertThat(index.nodeAt("p")).isNull();
    }

    @Test
    void children_listOfTwoShrinksToInlineKeepingTheOther() {
        index.add("p/a", "B", "p/a", 0);
        index.add("p/b", "C", "p/b", 0);

        index.delete("p/a", "B", "p/a", 0);

        assertThat(node("p").children).isSameAs(node("p/b"));
        assertThat(index.match("p/b")).containsExactly("C");
        assertThat(index.match("p/a")).isEmpty();
    }

    // ---- level keys
    // --------------------------------------------------------------------------------------------------

    @Test
    void add_sameLevelUnderDifferentParents_sharesKey() {
        index.add("site/1/device", "B", "site/1/device", 0);
        index.add("site/2/device", "B", "site/2/device", 0);

        assertThat(node("site/1/device").key).isSameAs(node("site/2/device").key);
        index.delete("site/1/device", "B", "site/1/device", 0);
        assertThat(index.match("site/2/device")).containsExactly("B");
        assertThat(index.match("site/1/device")).isEmpty();
    }

    @Test
    void add_levelsCollidingInKeyCache_keepTheirOwnKeys() {
        // "Aa" and "BB" have the same String hash, so they land in the same cache slot.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        index.add("Aa/x", "B", "Aa/x", 0);
        index.add("BB/x", "C", "BB/x", 0);
        index.add("q/Aa", "D", "q/Aa", 0);

        assertThat(node("Aa").levelText()).isEqualTo("Aa");
        assertThat(node("BB").levelText()).isEqualTo("BB");
        assertThat(index.match("Aa/x")).containsExactly("B");
        assertThat(index.match("BB/x")).containsExactly("C");
        assertThat(index.match("q/Aa")).containsExactly("D");
        assertThat(index.match("q/BB")).isEmpty();
    }

    @Test
    void add_nonLatin1Levels_sharedAndMatchedLikeAnyOther() {
        Set<String> expected = Set.of("B");
        index.add("é/ß/€", "B", "é/ß/€", 0);
        index.add("x/€", "B", "x/€", 0);

        assertThat(node("x/€").key).isSameAs(node("é/ß/€").key);
        assertThat(index.match("é/ß/€")).isEqualTo(expected);
        assertThat(index.match("x/€")).isEqualTo(expected);
        assertThat(index.match("x/e")).isEmpty();
    }
}
