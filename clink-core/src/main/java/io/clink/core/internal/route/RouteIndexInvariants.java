package io.clink.core.internal.route;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checker of every structural invariant the {@link RouteIndex} class comment lists, for white-box tests and
 * diagnostics ({@link RouteIndex#validate()}): it walks the whole trie, recounts what the index counts and throws
 * {@link IllegalStateException} naming the first invariant broken and the filter where it broke.
 *
 * <p>It checks: no empty non-root node; wildcard children linked to their parent under their marker key, and no
 * children under {@code #}; exact children per {@link ExactChildren#check}; per node, row arrays exact-size below
 * {@link PackedRows#LOOKUP_MIN} rows and a sound {@link RowLookup} from there on, non-zero lane masks, the overflow
 * flag exactly on the rows {@link RowLanes} holds lanes for, known and unique {@code (cluster, code)} pairs each
 * found by lookup, and a published {@code clusters} array equal to the distinct clusters of the rows; per cluster,
 * its row count, its node set and its untouched shared arrays; the total row count; and the id-code table
 * ({@link RouteIdCodes#check}).
 *
 * <p>Concurrency: writer thread only (or any thread while no write runs); allocates freely. One instance per check.
 */
final class RouteIndexInvariants {

    private final RouteIndex index;
    private final Map<Integer, Integer> rowsByCluster = new HashMap<>();
    private final Map<Integer, Set<TrieNode>> nodesByCluster = new HashMap<>();
    private final Map<Integer, Integer> usesByCode = new HashMap<>();
    private int rows;
    private int overflowRows;

    RouteIndexInvariants(RouteIndex index) {
        this.index = index;
    }

    /** Walks the whole index; throws {@link IllegalStateException} naming the first broken invariant. */
    void check() {
        TrieNode root = index.root;
        ArrayDeque<TrieNode> work = new ArrayDeque<>();
        work.push(root);
        while (!work.isEmpty()) {
            TrieNode node = work.pop();
            if (node != root && node.isEmpty()) {
                fail("empty node not pruned", node);
            }
            checkRows(node);
            TrieNode plus = node.plus;
            if (plus != null) {
                if (plus.parent != node || plus.key != LevelKeys.PLUS) {
                    fail("bad + child", node);
                }
                work.push(plus);
            }
            TrieNode multi = node.multi;
            if (multi != null) {
                if (multi.parent != node || multi.key != LevelKeys.MULTI) {
                    fail("bad # child", node);
                }
                if (multi.children != null || multi.plus != null || multi.multi != null) {
                    fail("# node with children", node);
                }
                work.push(multi);
            }
            checkChildren(node, work);
        }
        if (rows != index.routeCount()) {
            fail("total " + index.routeCount() + " but " + rows + " rows", null);
        }
        if (overflowRows != index.laneSets.overflowRows()) {
            fail(index.laneSets.overflowRows() + " overflow entries but " + overflowRows + " rows flagged", null);
        }
        for (ClusterState cs : index.clusters.all()) {
            checkCluster(cs);
        }
        String problem = index.codes.check(usesByCode);
        if (problem != null) {
            fail(problem, null);
        }
    }

    private void checkCluster(ClusterState cs) {
        int counted = rowsByCluster.getOrDefault(cs.id, 0);
        if (counted != cs.routes) {
            fail("cluster " + cs.name + " counts " + cs.routes + " but has " + counted + " rows", null);
        }
        Set<TrieNode> expected = nodesByCluster.getOrDefault(cs.id, Set.of());
        String problem = cs.nodes.check();
        if (problem != null) {
            fail(problem + " (cluster " + cs.name + ")", null);
        }
        if (cs.nodes.size() != expected.size() || !expected.stream().allMatch(cs.nodes::contains)) {
            fail("node set of cluster " + cs.name + " out of date", null);
        }
        for (int lane = 0; lane < cs.singleRows.length; lane++) {
            int[] shared = cs.singleRows[lane];
            if (shared != null && !Arrays.equals(shared, new int[] {cs.id, 1 << lane, RouteIdCodes.SAME_AS_FILTER})) {
                fail(
                        "shared row of cluster " + cs.name + ", lane " + lane + " was written: "
                                + Arrays.toString(shared),
                        null);
            }
        }
    }

    private void checkRows(TrieNode node) {
        Object r = node.rows;
        int n = node.rowCount();
        if (r instanceof RowLookup) {
            String problem = ((RowLookup) r).check();
            if (problem != null) {
                fail(problem, node);
            }
        } else if (r != null && n >= PackedRows.LOOKUP_MIN) {
            fail(n + " rows without a row lookup", node);
        } else if (r != null && n == 0) {
            fail("empty row array", node);
        }
        int clusterCount = index.clusters.all().size();
        Set<Integer> distinct = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int id = node.rowCluster(i);
            if (id < 0 || id >= clusterCount) {
                fail("unknown cluster id " + id, node);
            }
            long lanes = node.rowLanes(i);
            if (lanes == 0) {
                fail("zero lane mask", node);
            }
            int code = node.rowCode(i);
            if ((lanes & RowLanes.FLAG) != 0) {
                BitSet high = index.laneSets.overflowLanes(node, id, code);
                if (high == null
                        || high.isEmpty()
                        || high.nextSetBit(0) < RowLanes.FIRST_LANE
                        || high.length() > RouteIndex.MAX_LANES) {
                    fail("overflow flag without overflow lanes in range: " + high, node);
                }
                overflowRows++;
            }
            if (!index.codes.isKnown(code)) {
                fail("unknown id code " + code, node);
            }
            // Encoding is canonical (see RouteIdCodes), so distinct codes mean distinct route ids.
            if (!seen.add(((long) id << 32) | code)) {
                fail("duplicate row", node);
            }
            if (node.findRow(id, code) != i) {
                fail("row " + i + " not found by its cluster and id", node);
            }
            if (code != RouteIdCodes.SAME_AS_FILTER) {
                usesByCode.merge(code, 1, Integer::sum);
            }
            distinct.add(id);
            rowsByCluster.merge(id, 1, Integer::sum);
            nodesByCluster
                    .computeIfAbsent(id, k -> Collections.newSetFromMap(new IdentityHashMap<>()))
                    .add(node);
        }
        rows += n;
        int[] published = node.clusters;
        boolean same = published == null
                ? distinct.isEmpty()
                : published.length == distinct.size()
                        && Arrays.stream(published).allMatch(distinct::contains);
        if (!same) {
            fail("published clusters " + Arrays.toString(published) + " but rows of " + distinct, node);
        }
    }

    private static void checkChildren(TrieNode node, ArrayDeque<TrieNode> work) {
        List<TrieNode> exact;
        try {
            exact = ExactChildren.check(node);
        } catch (IllegalStateException e) {
            fail(String.valueOf(e.getMessage()), node);
            return;
        }
        Set<String> levels = new HashSet<>();
        for (TrieNode c : exact) {
            if (!levels.add(c.levelText())) {
                fail("duplicate child '" + c.levelText() + "'", node);
            }
            work.push(c);
        }
    }

    /** Throws for a problem at {@code where}, the index as a whole when null or the root. */
    private static void fail(String what, @Nullable TrieNode where) {
        String at = where != null && where.parent != null ? TriePaths.filterOf(where) : "<root>";
        throw new IllegalStateException("route index invariant broken at '" + at + "': " + what);
    }
}
