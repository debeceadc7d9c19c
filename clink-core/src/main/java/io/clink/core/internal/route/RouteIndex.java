package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The routes remote clusters replicated into this cluster, and the publish-time question "which remote clusters
 * want this topic?".
 *
 * <h2>Model</h2>
 * A row is {@code (filter, cluster, routeId)} with a set of lanes: the actor on lane {@code L} of that cluster
 * adds {@code L} with {@link #add} and removes it with {@link #delete} or {@link #clearLane}. A row exists exactly
 * while its lane set is non-empty, so a route advertised by two actors lives until both withdraw it (protocol §1.6).
 * Route ids are opaque bytes ({@link RouteId}): EMQX does not validate the client ids inside them, so they are
 * stored, compared and deleted by their exact bytes; only filters are validated. Lanes {@code 0..62} are bits of
 * the row's lane mask; lanes {@code 63..}{@link #MAX_LANES}{@code -1} (more actors than any real cluster has nodes)
 * set bit 63 of the mask, which says that the rest of the set lives in a writer-only overflow table, so rows of the
 * common case carry no more than a mask.
 * {@link #match} yields every cluster owning at least one row whose filter matches the topic, each cluster once.
 *
 * <h2>Structure and invariants</h2>
 * A trie with one node per filter level. A node has exact children (the child itself when there is one, a small
 * list, then a hash table), and dedicated {@code plus} and {@code multi} slots for the {@code +} and {@code #}
 * children; a {@code #} node never has children. Level keys are immutable and shared between nodes spelling the same
 * level (through a small cache of recent keys). Rows live on the node their filter ends at, packed into one
 * writer-owned array of ints per node ({@code (cluster id, lane mask, route-id code)} triples, widened to a
 * {@code long[]} once a lane above 31 is used), so no object exists per route. Route ids are stored as int codes
 * relative to the filter: 0 when equal to it (a plain subscription), the code of an interned, reference-counted
 * prefix when they end with it ({@code $s/<group>/}, {@code $p/<session>/}), the code of the interned id otherwise.
 * Clusters are interned to small permanent int ids. A node whose only row is a plain subscription held by one lane
 * (the most common row of all) points at its cluster's shared, immutable array for that row.
 * Invariants, checked by {@link #validate()}: every non-root node has a row or a child (empty nodes are pruned at
 * once); every lane mask is non-zero, and has bit 63 exactly when the overflow table holds a non-empty set of
 * lanes 63 and up for the row; {@code (cluster, route-id code)} is unique per node, and a route id has one
 * code; a node's published {@code clusters} array holds exactly the distinct cluster ids of its rows (null when it
 * has none); each cluster's node set holds exactly the nodes carrying one of its rows, and its count equals its rows;
 * every code in use counts exactly its rows; row arrays are exact-size below {@link #LOOKUP_MIN} rows, and from there
 * on the rows sit in a {@link RowLookup} that finds every one of them; a one-row {@code int[]} is never written in
 * place (it may be shared), so the shared arrays always hold what they were made with.
 *
 * <h2>Concurrency</h2>
 * One writer, many readers. Writes ({@code add}, {@code delete}, {@code clearLane}, {@code removeCluster}) are
 * <b>not thread-safe</b>: the caller confines them to one thread (or serialises them). Reads ({@code match}) take no
 * lock, allocate nothing in steady state, and may run at any time on any number of threads. Readers only look at
 * the child references, the wildcard slots, the (immutable) level keys and each node's {@code clusters} array: each
 * of them is replaced by a release store of a fully built immutable object (copy-on-write), with one exception;
 * rows, route-id codes and row lookups belong to the writer alone. The exception: large child tables are
 * open-addressing arrays updated in place, but a slot only changes from null to a node, from a node to a tombstone
 * or from a tombstone to a node (never shifted, never back to null), so a probe for a node that stays in the table
 * always reaches it; a rebuilt table is published whole. Nodes are never reused: a pruned node is unlinked, and a
 * path re-added later gets new nodes. A route that stays in the index while the writer churns others therefore
 * keeps its whole path and its cluster id in every array a reader can reach, so a reader always matches it; a route
 * added or removed during a match may or may not be seen. Cluster ids are never reassigned, so an id read from a
 * stale array still names the right cluster.
 *
 * <h2>Costs</h2>
 * {@code match} visits the nodes that the topic's levels reach, through at most one exact, one {@code +} and one
 * {@code #} child per level. Writes cost the filter's depth plus a scan of the rows on the filter's node, or a hash
 * probe once that node is crowded (a writer-only {@link RowLookup}, e.g. thousands of sessions on one filter); a
 * change to a small node copies its exact-size row array. {@code clearLane} and {@code removeCluster} visit only
 * the nodes holding rows of that cluster. Memory: a node is 40 bytes; a filter with one plain row whose levels were
 * seen recently costs nothing more but its entry in the cluster's node set. The IoT-shaped workload of {@code clink-benchmarks} ({@code HeapPerRoute})
 * costs about 72 bytes per route at a million routes, more than half of it in nodes.
 *
 * @since 0.1.0
 */
public final class RouteIndex {

    /**
     * Number of lanes per cluster, hence of live route actors one remote cluster may have: EMQX sets no limit, and
     * this bound is far above any real cluster's node count (one actor per node, plus one for durable sessions). It
     * only keeps a broken peer from growing the lane sets without end. The one definition: the receiver's actor
     * table uses it too.
     *
     * @since 0.1.0
     */
    public static final int MAX_LANES = 1024;

    /** Lanes from this one on live in {@link #overflow}; the mask's bit of the same number flags that. */
    static final int FIRST_OVERFLOW_LANE = 63;

    /** Bit of a row's lane mask meaning "the row has lanes in the overflow table". */
    static final long OVERFLOW = 1L << FIRST_OVERFLOW_LANE;

    /** Nodes with this many rows or more get a {@link RowLookup}; below it a scan of the rows is cheaper. */
    static final int LOOKUP_MIN = 12;

    /** Route-id code meaning "equal to the row's filter" (a plain subscription). */
    static final int SAME_AS_FILTER = 0;

    /** Slots of the level-key cache (a power of two). */
    static final int KEY_CACHE = 2048;

    private static final String[] NO_NAMES = new String[0];

    private final TrieNode root = new TrieNode(null, null);

    // Writer-only state.
    private final Map<String, ClusterState> clustersByName = new HashMap<>();
    private final List<ClusterState> clustersById = new ArrayList<>();
    /** Route-id prefixes ({@code $s/<group>/}, {@code $p/<session>/}) by bytes. */
    private final Map<RouteId, IdCode> prefixes = new HashMap<>();
    /** Route ids that do not end with their filter, by bytes. */
    private final Map<RouteId, IdCode> rawIds = new HashMap<>();
    /** Lanes from {@link #FIRST_OVERFLOW_LANE} on of the rows whose mask has {@link #OVERFLOW} set; never empty. */
    private final Map<OverflowKey, BitSet> overflow = new HashMap<>();
    /** Id codes in use by code; index 0 ({@link #SAME_AS_FILTER}) stays null. */
    private final List<@Nullable IdCode> idsByCode = new ArrayList<>(Collections.singletonList(null));
    /** Codes whose last row went, for reuse: codes stay small and {@code idsByCode} dense. */
    private final ArrayDeque<Integer> freeCodes = new ArrayDeque<>();
    /**
     * Recently created level keys, direct-mapped by hash: a new node whose level was seen recently ({@code device},
     * {@code telemetry}, {@code d-0042}) shares the existing immutable key instead of a copy. Sharing is safe because
     * keys are never written after creation; a key that outlives its nodes here is bounded garbage.
     */
    private final @Nullable Object[] keyCache = new Object[KEY_CACHE];
    private int total;

    /** Cluster names by id, replaced (never mutated) when a cluster is interned; read by matchers. */
    private volatile String[] names = NO_NAMES;

    /**
     * Creates an empty index.
     *
     * @since 0.1.0
     */
    public RouteIndex() {}

    // =================================================================================================================
    // Reader side

    /**
     * Delivers to {@code sink} every cluster that has a row whose filter matches {@code topic}, each cluster once.
     *
     * <p>Thread-safe, lock-free; allocates nothing once {@code sink} has warmed up. MQTT semantics: {@code +} matches
     * exactly one level, empty levels included; {@code #} matches the remaining levels, none included ({@code a/#}
     * matches {@code a}); a wildcard in the first level never matches a topic starting with {@code $}.
     *
     * @param topic a topic name (not a filter); wildcard characters in it are compared literally
     * @param sink the calling thread's reusable sink
     * @throws NullPointerException if an argument is null
     * @since 0.1.0
     */
    public void match(String topic, MatchSink sink) {
        sink.begin();
        final int len = topic.length();
        final boolean dollar = len > 0 && topic.charAt(0) == '$';
        final TrieNode root = this.root;
        TrieNode[] nodes = sink.stackNodes;
        int[] positions = sink.stackPos;
        nodes[0] = root;
        positions[0] = 0;
        int top = 1;
        while (top > 0) {
            top--;
            final TrieNode node = nodes[top];
            // pos is where the next level starts; len + 1 means every level has been consumed.
            final int pos = positions[top];
            final boolean wildcardsApply = !dollar || node != root;
            if (wildcardsApply) {
                TrieNode multi = node.multi;
                if (multi != null) {
                    emit(multi, sink);
                }
            }
            if (pos > len) {
                emit(node, sink);
                continue;
            }
            int end = pos;
            int hash = 0;
            char c;
            while (end < len && (c = topic.charAt(end)) != '/') {
                hash = 31 * hash + c;
                end++;
            }
            final int next = end + 1;
            if (top + 2 > nodes.length) {
                sink.growStack();
                nodes = sink.stackNodes;
                positions = sink.stackPos;
            }
            if (wildcardsApply) {
                TrieNode plus = node.plus;
                if (plus != null) {
                    nodes[top] = plus;
                    positions[top] = next;
                    top++;
                }
            }
            TrieNode child = node.findChild(topic, pos, end, hash);
            if (child != null) {
                nodes[top] = child;
                positions[top] = next;
                top++;
            }
        }
    }

    private void emit(TrieNode node, MatchSink sink) {
        int[] ids = node.clusters;
        if (ids != null) {
            // Read after the node's array: the writer publishes a name before any array containing its id.
            String[] nm = names;
            for (int id : ids) {
                sink.offer(id, nm);
            }
        }
    }

    /**
     * Convenience form of {@link #match(String, MatchSink)} for tests and cold paths; allocates.
     *
     * @param topic a topic name
     * @return the matching clusters, a fresh mutable set
     * @since 0.1.0
     */
    public Set<String> match(String topic) {
        Set<String> out = new HashSet<>();
        match(
                topic,
                new MatchSink() {
                    @Override
                    protected void accept(String cluster) {
                        out.add(cluster);
                    }
                });
        return out;
    }

    // =================================================================================================================
    // Writer side (single thread)

    /**
     * Records that the actor on {@code lane} of {@code cluster} advertises {@code (filter, routeId)}. Idempotent per
     * lane. Writer thread only.
     *
     * @param filter an MQTT topic filter (the intersected filter of protocol §1.5)
     * @param cluster the remote cluster that wants the filter
     * @param routeId the opaque route id the remote gave the row, any bytes
     * @param lane the advertising actor's lane, {@code 0..MAX_LANES-1}
     * @return true if the row was created, false if it existed already (the lane now holds it)
     * @throws IllegalArgumentException if the lane is outside {@code [0, MAX_LANES)}, the filter is not a valid MQTT
     *     topic filter, or the cluster name is empty; the index is then unchanged
     * @since 0.1.0
     */
    public boolean add(String filter, String cluster, RouteId routeId, int lane) {
        requireNonNull(filter, "filter");
        requireNonNull(cluster, "cluster");
        requireNonNull(routeId, "routeId");
        checkLane(lane);
        checkFilter(filter);
        byte[] filterBytes = filter.getBytes(StandardCharsets.UTF_8);
        ClusterState cs = intern(cluster);
        TrieNode node = requireNonNull(descend(filter, true), "created path");
        int code = codeOf(routeId, filterBytes);
        int i = code < 0 ? -1 : node.findRow(cs.id, code);
        if (i >= 0) {
            node.setRowLanes(i, withLane(node, cs.id, code, node.rowLanes(i), lane));
            shareSingleRow(node);
            return false;
        }
        boolean firstOfCluster = !node.hasRowOf(cs.id);
        int newCode = acquireCode(routeId, filterBytes);
        node.appendRow(cs.id, newCode, withLane(node, cs.id, newCode, 0L, lane));
        shareSingleRow(node);
        if (firstOfCluster) {
            publishClusterAdded(node, cs.id);
            cs.nodes.add(node);
        }
        cs.routes++;
        total++;
        return true;
    }

    /**
     * {@link #add(String, String, RouteId, int)} for a route id that is text (clink's own senders, tests).
     *
     * @param filter an MQTT topic filter
     * @param cluster the remote cluster that wants the filter
     * @param routeId the route id; its UTF-8 bytes are the key
     * @param lane the advertising actor's lane
     * @return true if the row was created
     * @throws IllegalArgumentException as the byte form does
     * @since 0.1.0
     */
    public boolean add(String filter, String cluster, String routeId, int lane) {
        return add(filter, cluster, RouteId.utf8(requireNonNull(routeId, "routeId")), lane);
    }

    /**
     * {@link #delete(String, String, RouteId, int)} for a route id that is text.
     *
     * @param filter the row's topic filter
     * @param cluster the remote cluster
     * @param routeId the route id; its UTF-8 bytes are the key
     * @param lane the withdrawing actor's lane
     * @return true if the row was removed
     * @throws IllegalArgumentException as the byte form does
     * @since 0.1.0
     */
    public boolean delete(String filter, String cluster, String routeId, int lane) {
        return delete(filter, cluster, RouteId.utf8(requireNonNull(routeId, "routeId")), lane);
    }

    /**
     * Records that the actor on {@code lane} of {@code cluster} withdrew {@code (filter, routeId)}. A row not held by
     * that lane, or unknown, is left alone. Writer thread only.
     *
     * @param filter the row's topic filter, as added
     * @param cluster the remote cluster
     * @param routeId the row's route id, compared by its exact bytes
     * @param lane the withdrawing actor's lane, {@code 0..MAX_LANES-1}
     * @return true if the row was removed (no lane holds it any more)
     * @throws IllegalArgumentException if the lane is outside {@code [0, MAX_LANES)} or the filter is not a valid
     *     MQTT topic filter
     * @since 0.1.0
     */
    public boolean delete(String filter, String cluster, RouteId routeId, int lane) {
        requireNonNull(filter, "filter");
        requireNonNull(cluster, "cluster");
        requireNonNull(routeId, "routeId");
        checkLane(lane);
        checkFilter(filter);
        ClusterState cs = clustersByName.get(cluster);
        if (cs == null) {
            return false;
        }
        TrieNode node = descend(filter, false);
        if (node == null) {
            return false;
        }
        int code = codeOf(routeId, filter.getBytes(StandardCharsets.UTF_8));
        int i = code < 0 ? -1 : node.findRow(cs.id, code);
        if (i < 0) {
            return false;
        }
        long lanes = node.rowLanes(i);
        if (lane < FIRST_OVERFLOW_LANE) {
            long bit = 1L << lane;
            if ((lanes & bit) == 0) {
                return false;
            }
            lanes &= ~bit;
        } else {
            OverflowKey key = new OverflowKey(node, cs.id, code);
            BitSet high = (lanes & OVERFLOW) == 0 ? null : overflow.get(key);
            if (high == null || !high.get(lane)) {
                return false;
            }
            high.clear(lane);
            if (high.isEmpty()) {
                overflow.remove(key);
                lanes &= ~OVERFLOW;
            }
        }
        if (lanes != 0) {
            node.setRowLanes(i, lanes);
            shareSingleRow(node);
            return false;
        }
        removeRow(node, i, cs);
        shareSingleRow(node);
        if (!node.hasRowOf(cs.id)) {
            publishClusterRemoved(node, cs.id);
            cs.nodes.remove(node);
        }
        prune(node);
        return true;
    }

    /**
     * Clears {@code lane} on every row of {@code cluster}, removing rows no other lane holds: an actor's incarnation
     * changed or its TTL expired. Visits only the nodes holding rows of {@code cluster}. Writer thread only.
     *
     * @param cluster the remote cluster
     * @param lane the actor's lane, {@code 0..MAX_LANES-1}
     * @return the number of rows removed
     * @throws IllegalArgumentException if the lane is outside {@code [0, MAX_LANES)}
     * @since 0.1.0
     */
    public int clearLane(String cluster, int lane) {
        requireNonNull(cluster, "cluster");
        checkLane(lane);
        ClusterState cs = clustersByName.get(cluster);
        if (cs == null) {
            return 0;
        }
        return lane < FIRST_OVERFLOW_LANE ? strip(cs, 1L << lane, -1) : strip(cs, 0L, lane);
    }

    /**
     * Removes every row of {@code cluster}. Writer thread only.
     *
     * @param cluster the remote cluster
     * @return the number of rows removed
     * @since 0.1.0
     */
    public int removeCluster(String cluster) {
        requireNonNull(cluster, "cluster");
        ClusterState cs = clustersByName.get(cluster);
        return cs == null ? 0 : strip(cs, -1L, -1);
    }

    /**
     * Clears the mask {@code bits} (all of them, overflow included, for -1) and the overflow lane {@code highLane}
     * (none for -1) on every row of {@code cs}.
     */
    private int strip(ClusterState cs, long bits, int highLane) {
        int removed = 0;
        for (TrieNode node : cs.nodes.toArray()) {
            // Downwards, because removeRow moves the last row into the freed slot.
            for (int i = node.rowCount() - 1; i >= 0; i--) {
                if (node.rowCluster(i) != cs.id) {
                    continue;
                }
                long lanes = node.rowLanes(i);
                long left = lanes & ~bits;
                if (highLane >= 0 && (lanes & OVERFLOW) != 0) {
                    OverflowKey key = new OverflowKey(node, cs.id, node.rowCode(i));
                    BitSet high = requireNonNull(overflow.get(key), "overflow lanes");
                    if (high.get(highLane)) {
                        high.clear(highLane);
                        if (high.isEmpty()) {
                            overflow.remove(key);
                            left &= ~OVERFLOW;
                        }
                    }
                }
                if (left == lanes) {
                    continue;
                }
                if (left != 0) {
                    node.setRowLanes(i, left);
                } else {
                    removeRow(node, i, cs);
                    removed++;
                }
            }
            shareSingleRow(node);
            if (!node.hasRowOf(cs.id)) {
                publishClusterRemoved(node, cs.id);
                cs.nodes.remove(node);
                prune(node);
            }
        }
        return removed;
    }

    // =================================================================================================================
    // Inspection (writer thread, or any thread while no write runs)

    /**
     * Number of rows of {@code cluster}. Writer thread only.
     *
     * @param cluster the remote cluster
     * @return its row count, 0 if unknown
     * @since 0.1.0
     */
    public int routeCount(String cluster) {
        ClusterState cs = clustersByName.get(requireNonNull(cluster, "cluster"));
        return cs == null ? 0 : cs.routes;
    }

    /**
     * Number of rows of all clusters. Writer thread only.
     *
     * @return the total row count
     * @since 0.1.0
     */
    public int routeCount() {
        return total;
    }

    /**
     * Clusters holding at least one row. Writer thread only.
     *
     * @return their names, sorted, unmodifiable
     * @since 0.1.0
     */
    public Set<String> clusters() {
        Set<String> out = new TreeSet<>();
        for (ClusterState cs : clustersById) {
            if (cs.routes > 0) {
                out.add(cs.name);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The rows of {@code cluster}, for status pages and tests; allocates. Writer thread only.
     *
     * @param cluster the remote cluster
     * @return its rows in no particular order
     * @since 0.1.0
     */
    public List<RemoteRoute> routes(String cluster) {
        ClusterState cs = clustersByName.get(requireNonNull(cluster, "cluster"));
        if (cs == null) {
            return List.of();
        }
        List<RemoteRoute> out = new ArrayList<>(cs.routes);
        for (TrieNode node : cs.nodes.toArray()) {
            String filter = filterOf(node);
            for (int i = 0; i < node.rowCount(); i++) {
                if (node.rowCluster(i) == cs.id) {
                    out.add(new RemoteRoute(filter, cs.name, decodeId(node.rowCode(i), filter),
                            lanesOf(node, i, cs.id)));
                }
            }
        }
        return out;
    }

    /** The node a filter ends at, or null: for white-box tests. Writer thread only. */
    @Nullable TrieNode nodeAt(String filter) {
        checkFilter(filter);
        return descend(filter, false);
    }

    /**
     * Checks every structural invariant listed in the class comment and throws {@link IllegalStateException} naming
     * the first one broken. Walks the whole index: for tests and diagnostics. Writer thread only.
     */
    void validate() {
        Map<Integer, Integer> rowsByCluster = new HashMap<>();
        Map<Integer, Set<TrieNode>> nodesByCluster = new HashMap<>();
        Map<Integer, Integer> codeRefs = new HashMap<>();
        int rows = 0;
        int[] overflowRows = {0};
        ArrayDeque<TrieNode> work = new ArrayDeque<>();
        work.push(root);
        while (!work.isEmpty()) {
            TrieNode node = work.pop();
            // Built only on failure: filterOf costs the node's depth.
            Object where = node;
            if (node != root && node.isEmpty()) {
                fail("empty node not pruned", where);
            }
            rows += validateRows(node, where, rowsByCluster, nodesByCluster, codeRefs, overflowRows);
            TrieNode plus = node.plus;
            if (plus != null) {
                if (plus.parent != node || plus.key != TrieNode.PLUS_KEY) {
                    fail("bad + child", where);
                }
                work.push(plus);
            }
            TrieNode multi = node.multi;
            if (multi != null) {
                if (multi.parent != node || multi.key != TrieNode.MULTI_KEY) {
                    fail("bad # child", where);
                }
                if (multi.children != null || multi.plus != null || multi.multi != null) {
                    fail("# node with children", where);
                }
                work.push(multi);
            }
            validateChildren(node, where, work);
        }
        if (rows != total) {
            fail("total " + total + " but " + rows + " rows", "<root>");
        }
        if (overflowRows[0] != overflow.size()) {
            fail(overflow.size() + " overflow entries but " + overflowRows[0] + " rows flagged", "<root>");
        }
        for (ClusterState cs : clustersById) {
            int counted = rowsByCluster.getOrDefault(cs.id, 0);
            if (counted != cs.routes) {
                fail("cluster " + cs.name + " counts " + cs.routes + " but has " + counted + " rows", "<root>");
            }
            Set<TrieNode> expected = nodesByCluster.getOrDefault(cs.id, Set.of());
            String problem = cs.nodes.check();
            if (problem != null) {
                fail(problem + " (cluster " + cs.name + ")", "<root>");
            }
            if (cs.nodes.size() != expected.size() || !expected.stream().allMatch(cs.nodes::contains)) {
                fail("node set of cluster " + cs.name + " out of date", "<root>");
            }
            for (int lane = 0; lane < cs.singleRows.length; lane++) {
                int[] shared = cs.singleRows[lane];
                if (shared != null && !Arrays.equals(shared, new int[] {cs.id, 1 << lane, SAME_AS_FILTER})) {
                    fail("shared row of cluster " + cs.name + ", lane " + lane + " was written: "
                            + Arrays.toString(shared), "<root>");
                }
            }
        }
        validateCodes(codeRefs);
    }

    private void validateCodes(Map<Integer, Integer> codeRefs) {
        int inUse = 0;
        for (int code = 1; code < idsByCode.size(); code++) {
            IdCode e = idsByCode.get(code);
            if (e == null) {
                continue;
            }
            inUse++;
            if (e.code != code || (e.raw ? rawIds : prefixes).get(e.id) != e) {
                fail("id code " + code + " ('" + e.id + "') out of its table", "<root>");
            }
            int refs = codeRefs.getOrDefault(code, 0);
            if (e.refs != refs) {
                fail("id code " + code + " ('" + e.id + "') counts " + e.refs + " but has " + refs + " uses", "<root>");
            }
        }
        if (inUse != prefixes.size() + rawIds.size() || inUse + freeCodes.size() != idsByCode.size() - 1) {
            fail("id tables out of date: " + inUse + " codes in use, " + prefixes.size() + " prefixes, "
                    + rawIds.size() + " raw ids, " + freeCodes.size() + " free of " + idsByCode.size(), "<root>");
        }
    }

    private int validateRows(
            TrieNode node,
            Object where,
            Map<Integer, Integer> rowsByCluster,
            Map<Integer, Set<TrieNode>> nodesByCluster,
            Map<Integer, Integer> codeRefs,
            int[] overflowRows) {
        Object r = node.rows;
        if (r instanceof RowLookup) {
            String problem = ((RowLookup) r).check();
            if (problem != null) {
                fail(problem, where);
            }
        } else if (r != null && node.rowCount() >= LOOKUP_MIN) {
            fail(node.rowCount() + " rows without a row lookup", where);
        } else if (r != null && node.rowCount() == 0) {
            fail("empty row array", where);
        }
        Set<Integer> distinct = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        int n = node.rowCount();
        for (int i = 0; i < n; i++) {
            int id = node.rowCluster(i);
            if (id < 0 || id >= clustersById.size()) {
                fail("unknown cluster id " + id, where);
            }
            if (node.rowLanes(i) == 0) {
                fail("zero lane mask", where);
            }
            int code = node.rowCode(i);
            if ((node.rowLanes(i) & OVERFLOW) != 0) {
                BitSet high = overflow.get(new OverflowKey(node, id, code));
                if (high == null || high.isEmpty() || high.nextSetBit(0) < FIRST_OVERFLOW_LANE
                        || high.length() > MAX_LANES) {
                    fail("overflow flag without overflow lanes in range: " + high, where);
                }
                overflowRows[0]++;
            }
            if (code < 0 || code >= idsByCode.size() || (code != SAME_AS_FILTER && idsByCode.get(code) == null)) {
                fail("unknown id code " + code, where);
            }
            // Encoding is canonical (see acquireCode), so distinct codes mean distinct route ids.
            if (!seen.add(((long) id << 32) | code)) {
                fail("duplicate row", where);
            }
            if (node.findRow(id, code) != i) {
                fail("row " + i + " not found by its cluster and id", where);
            }
            if (code != SAME_AS_FILTER) {
                codeRefs.merge(code, 1, Integer::sum);
            }
            distinct.add(id);
            rowsByCluster.merge(id, 1, Integer::sum);
            nodesByCluster.computeIfAbsent(id, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(node);
        }
        int[] published = node.clusters;
        if (published == null ? !distinct.isEmpty() : published.length != distinct.size()) {
            fail("published clusters " + Arrays.toString(published) + " but rows of " + distinct, where);
        }
        if (published != null) {
            for (int id : published) {
                if (!distinct.contains(id)) {
                    fail("published clusters " + Arrays.toString(published) + " but rows of " + distinct, where);
                }
            }
        }
        return n;
    }

    private void validateChildren(TrieNode node, Object where, ArrayDeque<TrieNode> work) {
        List<TrieNode> exact;
        try {
            exact = node.checkedExactChildren();
        } catch (IllegalStateException e) {
            fail(String.valueOf(e.getMessage()), where);
            return;
        }
        Set<String> levels = new HashSet<>();
        for (TrieNode c : exact) {
            if (!levels.add(c.levelText())) {
                fail("duplicate child '" + c.levelText() + "'", where);
            }
            work.push(c);
        }
    }

    private static void fail(String what, Object where) {
        String at = where instanceof TrieNode && ((TrieNode) where).parent != null ? filterOf((TrieNode) where) : "<root>";
        throw new IllegalStateException("route index invariant broken at '" + at + "': " + what);
    }

    // =================================================================================================================
    // Internals

    private static void checkLane(int lane) {
        if (lane < 0 || lane >= MAX_LANES) {
            throw new IllegalArgumentException("lane must be in [0, " + (MAX_LANES - 1) + "], got " + lane);
        }
    }

    /** {@code lanes} of row {@code (node, clusterId, code)} with {@code lane} added (to the overflow table if high). */
    private long withLane(TrieNode node, int clusterId, int code, long lanes, int lane) {
        if (lane < FIRST_OVERFLOW_LANE) {
            return lanes | (1L << lane);
        }
        overflow.computeIfAbsent(new OverflowKey(node, clusterId, code), k -> new BitSet()).set(lane);
        return lanes | OVERFLOW;
    }

    /** Every lane holding row {@code i} of {@code node}. */
    private BitSet lanesOf(TrieNode node, int i, int clusterId) {
        long lanes = node.rowLanes(i);
        BitSet out = BitSet.valueOf(new long[] {lanes & ~OVERFLOW});
        if ((lanes & OVERFLOW) != 0) {
            out.or(requireNonNull(overflow.get(new OverflowKey(node, clusterId, node.rowCode(i))), "overflow"));
        }
        return out;
    }

    /** Rejects what MQTT forbids in a filter, before anything is changed. */
    private static void checkFilter(String filter) {
        int len = filter.length();
        if (len == 0) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        int start = 0;
        for (int i = 0; i <= len; i++) {
            char c = i < len ? filter.charAt(i) : '/';
            if (c == '/') {
                start = i + 1;
            } else if (c == '#') {
                if (i != start || i != len - 1) {
                    throw new IllegalArgumentException(
                            "invalid topic filter '" + filter + "': '#' must be a whole level and the last one");
                }
            } else if (c == '+') {
                if (i != start || (i + 1 < len && filter.charAt(i + 1) != '/')) {
                    throw new IllegalArgumentException("invalid topic filter '" + filter + "': '+' must be a whole level");
                }
            } else if (c == '\u0000') {
                throw new IllegalArgumentException("invalid topic filter '" + filter + "': contains U+0000");
            }
        }
    }

    /** Walks (and with {@code create}, builds) the path of a checked filter; null if absent and not creating. */
    private @Nullable TrieNode descend(String filter, boolean create) {
        TrieNode node = root;
        int len = filter.length();
        int pos = 0;
        while (true) {
            int end = filter.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            TrieNode next;
            if (end - pos == 1 && filter.charAt(pos) == '+') {
                next = node.plus;
                if (next == null && create) {
                    next = new TrieNode(node, TrieNode.PLUS_KEY);
                    node.plus = next;
                }
            } else if (end - pos == 1 && filter.charAt(pos) == '#') {
                next = node.multi;
                if (next == null && create) {
                    next = new TrieNode(node, TrieNode.MULTI_KEY);
                    node.multi = next;
                }
            } else {
                int h = TrieNode.levelHash(filter, pos, end);
                next = node.findChild(filter, pos, end, h);
                if (next == null && create) {
                    next = new TrieNode(node, internKey(filter, pos, end, h));
                    node.addChild(next);
                }
            }
            if (next == null) {
                return null;
            }
            node = next;
            if (end == len) {
                return node;
            }
            pos = end + 1;
        }
    }

    /** Unlinks {@code node} and then each ancestor that became empty. */
    private void prune(TrieNode node) {
        while (node.parent != null && node.isEmpty()) {
            TrieNode parent = node.parent;
            if (node.key == TrieNode.PLUS_KEY) {
                parent.plus = null;
            } else if (node.key == TrieNode.MULTI_KEY) {
                parent.multi = null;
            } else {
                parent.removeChild(node);
            }
            node = parent;
        }
    }

    private static String filterOf(TrieNode node) {
        ArrayDeque<String> levels = new ArrayDeque<>();
        for (TrieNode n = node; n.parent != null; n = n.parent) {
            levels.push(n.levelText());
        }
        return String.join("/", levels);
    }

    private ClusterState intern(String cluster) {
        ClusterState cs = clustersByName.get(cluster);
        if (cs == null) {
            if (cluster.isEmpty()) {
                throw new IllegalArgumentException("cluster name must not be empty");
            }
            cs = new ClusterState(cluster, clustersById.size());
            clustersById.add(cs);
            clustersByName.put(cluster, cs);
            String[] grown = Arrays.copyOf(names, cs.id + 1);
            grown[cs.id] = cluster;
            names = grown;
        }
        return cs;
    }

    private void publishClusterAdded(TrieNode node, int id) {
        int[] old = node.clusters;
        if (old == null) {
            node.clusters = clustersById.get(id).singleton;
        } else {
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            node.clusters = grown;
        }
    }

    private void publishClusterRemoved(TrieNode node, int id) {
        int[] old = node.clusters;
        if (old == null) {
            return;
        }
        if (old.length == 1) {
            node.clusters = null;
            return;
        }
        int[] shrunk = new int[old.length - 1];
        int j = 0;
        for (int c : old) {
            if (c != id) {
                shrunk[j++] = c;
            }
        }
        node.clusters = shrunk.length == 1 ? clustersById.get(shrunk[0]).singleton : shrunk;
    }

    /**
     * Moves a node's only row onto its cluster's shared array when it is the common kind (a plain subscription held
     * by one lane), so that most single-route filters of a large index carry no row array of their own.
     */
    private void shareSingleRow(TrieNode node) {
        Object r = node.rows;
        if (r instanceof int[] && ((int[]) r).length == 3) {
            int[] row = (int[]) r;
            if (row[2] == SAME_AS_FILTER && Integer.bitCount(row[1]) == 1) {
                node.rows = clustersById.get(row[0]).singleRow(Integer.numberOfTrailingZeros(row[1]));
            }
        }
    }

    private void removeRow(TrieNode node, int i, ClusterState cs) {
        if ((node.rowLanes(i) & OVERFLOW) != 0) {
            overflow.remove(new OverflowKey(node, cs.id, node.rowCode(i)));
        }
        releaseCode(node.rowCode(i));
        node.removeRow(i);
        cs.routes--;
        total--;
    }

    /** Level key for a new node: the cached instance when one spells the same level, else a fresh one. */
    private Object internKey(String filter, int from, int to, int hash) {
        int slot = (hash ^ (hash >>> 16)) & (KEY_CACHE - 1);
        Object k = keyCache[slot];
        if (k == null || !TrieNode.keyEquals(k, filter, from, to)) {
            k = TrieNode.makeKey(filter, from, to);
            keyCache[slot] = k;
        }
        return k;
    }

    /** The code of an existing encoding of {@code routeId} on {@code filter}, or -1 if no row can have it. */
    private int codeOf(RouteId routeId, byte[] filter) {
        if (routeId.bytesEqual(filter)) {
            return SAME_AS_FILTER;
        }
        IdCode e = routeId.endsWithProperly(filter)
                ? prefixes.get(routeId.prefix(routeId.length() - filter.length))
                : rawIds.get(routeId);
        return e == null ? -1 : e.code;
    }

    /**
     * Encodes {@code routeId} relative to {@code filter} (its UTF-8 bytes) for a new row and counts the use.
     * Canonical: one route id on one filter always gets the same code, so rows compare by code.
     */
    private int acquireCode(RouteId routeId, byte[] filter) {
        if (routeId.bytesEqual(filter)) {
            return SAME_AS_FILTER;
        }
        boolean raw = !routeId.endsWithProperly(filter);
        RouteId key = raw ? routeId : routeId.prefix(routeId.length() - filter.length);
        Map<RouteId, IdCode> table = raw ? rawIds : prefixes;
        IdCode e = table.get(key);
        if (e == null) {
            Integer free = freeCodes.poll();
            int code = free != null ? free : idsByCode.size();
            e = new IdCode(key, raw, code);
            if (free != null) {
                idsByCode.set(code, e);
            } else {
                idsByCode.add(e);
            }
            table.put(key, e);
        }
        e.refs++;
        return e.code;
    }

    private void releaseCode(int code) {
        if (code == SAME_AS_FILTER) {
            return;
        }
        IdCode e = requireNonNull(idsByCode.get(code), "id code");
        if (--e.refs == 0) {
            (e.raw ? rawIds : prefixes).remove(e.id);
            idsByCode.set(code, null);
            freeCodes.push(code);
        }
    }

    private RouteId decodeId(int code, String filter) {
        if (code == SAME_AS_FILTER) {
            return RouteId.utf8(filter);
        }
        IdCode e = requireNonNull(idsByCode.get(code), "id code");
        return e.raw ? e.id : e.id.concat(filter.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A route-id prefix shared by the rows whose id is {@code id + filter}, or (raw) a whole route id that does not
     * end with its filter; rows store its int code.
     */
    private static final class IdCode {
        final RouteId id;
        final boolean raw;
        final int code;
        int refs;

        IdCode(RouteId id, boolean raw, int code) {
            this.id = id;
            this.raw = raw;
            this.code = code;
        }
    }

    /** A row with overflow lanes: rows are unique per (node, cluster, code), and nodes compare by identity. */
    private record OverflowKey(TrieNode node, int clusterId, int code) {}

    private static final class ClusterState {
        final String name;
        final int id;
        final int[] singleton;
        /** Shared single-row arrays by lane (0..31), made on first use; see {@link RouteIndex#shareSingleRow}. */
        final int[] @Nullable [] singleRows = new int[32][];
        /** Nodes carrying at least one row of this cluster; lets clearLane skip every other cluster's routes. */
        final NodeSet nodes = new NodeSet();
        int routes;

        ClusterState(String name, int id) {
            this.name = name;
            this.id = id;
            this.singleton = new int[] {id};
        }

        /** The shared, never written, row array of a plain subscription of this cluster held by {@code lane} alone. */
        int[] singleRow(int lane) {
            int[] row = singleRows[lane];
            if (row == null) {
                row = new int[] {id, 1 << lane, SAME_AS_FILTER};
                singleRows[lane] = row;
            }
            return row;
        }
    }
}
