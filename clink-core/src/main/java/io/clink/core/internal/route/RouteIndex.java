package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
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
 * set bit 63 of the mask and live in a writer-only {@link RowLanes} table, so rows of the common case carry no
 * more than a mask.
 * {@link #match} yields every cluster owning at least one row whose filter matches the topic, each cluster once.
 *
 * <h2>Structure and invariants</h2>
 * A trie of {@link TrieNode}s, one node per filter level. A node has exact children ({@link ExactChildren}) and
 * dedicated {@code plus} and {@code multi} slots for the {@code +} and {@code #} children; a {@code #} node never
 * has children. Level keys ({@link LevelKeys}) are immutable and shared between nodes spelling the same level
 * ({@link TriePaths} caches recent keys). Rows live on the node their filter ends at, packed into one writer-owned
 * primitive array per node ({@link PackedRows}), so no object exists per route. Route ids are stored as int codes
 * relative to the filter ({@link RouteIdCodes}). Clusters are interned to small permanent int ids
 * ({@link ClusterTable}); a node whose only row is a plain subscription held by one lane (the most common row of
 * all) points at its cluster's shared, immutable array for that row.
 * Invariants (each part's class comment states its own share; {@link RouteIndexInvariants} checks them all for
 * {@link #validate()}): every non-root node has a row or a child (empty nodes are pruned at once); a row exists
 * exactly while its lane set is non-empty and is unique per {@code (node, cluster, route-id code)}; a node's published
 * {@code clusters} array holds exactly the distinct cluster ids of its rows; each cluster's node set and row count,
 * each code's use count and the total match the rows; shared arrays are never written.
 *
 * <h2>Concurrency</h2>
 * One writer, many readers. Writes ({@code add}, {@code delete}, {@code clearLane}, {@code removeCluster}) are
 * <b>not thread-safe</b>: the caller confines them to one thread (or serialises them). Reads ({@code match}) take no
 * lock, allocate nothing in steady state, and may run at any time on any number of threads. Readers only look at
 * the child references, the wildcard slots, the (immutable) level keys, each node's {@code clusters} array and the
 * {@code names} array here: each of them is replaced by a release store of a fully built immutable object
 * (copy-on-write); rows, route-id codes, lane sets, cluster state and row lookups belong to the writer alone.
 * The one exception, large child tables updated in place, keeps every probe chain intact ({@link ExactChildren}).
 * Nodes are never reused: a pruned node is unlinked, and a path re-added later gets new nodes. A route that stays in
 * the index while the writer churns others therefore keeps its whole path and its cluster id in every array a
 * reader can reach, so a reader always matches it; a route added or removed during a match may or may not be seen.
 * Cluster ids are never reassigned, so an id read from a stale array still names the right cluster. The matcher
 * reaches every node directly through final classes and static helpers: no interface dispatch, no object between
 * two levels.
 *
 * <h2>Costs</h2>
 * {@code match} visits the nodes that the topic's levels reach, through at most one exact, one {@code +} and one
 * {@code #} child per level. Writes cost the filter's depth plus a scan of the rows on the filter's node, or a hash
 * probe once that node is crowded (a writer-only {@link RowLookup}, e.g. thousands of sessions on one filter); a
 * change to a small node copies its exact-size row array. {@code clearLane} and {@code removeCluster} visit only
 * the nodes holding rows of that cluster. Memory: a node is 40 bytes; a filter with one plain row whose levels were
 * seen recently costs nothing more but its entry in the cluster's node set. The IoT-shaped workload of
 * {@code clink-benchmarks} ({@code HeapPerRoute}) costs about 72 bytes per route at a million routes, more than half
 * of it in nodes.
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

    private static final String[] NO_NAMES = new String[0];

    final TrieNode root = new TrieNode(null, null);

    // Writer-only state.
    final ClusterTable clusters = new ClusterTable();
    final RouteIdCodes codes = new RouteIdCodes();
    final RowLanes laneSets = new RowLanes();
    private final TriePaths paths = new TriePaths();
    /** The UTF-8 bytes of the filter and of a text route id of the current write: reused, so a write copies none. */
    private final Utf8Scratch filterBytes = new Utf8Scratch();

    private final Utf8Scratch idBytes = new Utf8Scratch();
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
            TrieNode child = ExactChildren.find(node.children, topic, pos, end, hash);
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
        match(topic, new MatchSink() {
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
        return add(filter, cluster, routeId.bytes(), routeId.length(), lane);
    }

    private boolean add(String filter, String cluster, byte[] id, int idLength, int lane) {
        requireNonNull(filter, "filter");
        requireNonNull(cluster, "cluster");
        RowLanes.check(lane);
        TriePaths.check(filter);
        filterBytes.set(filter);
        ClusterState cs = intern(cluster);
        TrieNode node = requireNonNull(paths.descend(root, filter, true), "created path");
        int code = codes.codeOf(id, idLength, filterBytes.bytes, filterBytes.length);
        int i = code < 0 ? -1 : node.findRow(cs.id, code);
        if (i >= 0) {
            node.setRowLanes(i, laneSets.withLane(node, cs.id, code, node.rowLanes(i), lane));
            clusters.shareSingleRow(node);
            return false;
        }
        boolean firstOfCluster = !node.hasRowOf(cs.id);
        int newCode = codes.acquire(id, idLength, filterBytes.bytes, filterBytes.length);
        node.appendRow(cs.id, newCode, laneSets.withLane(node, cs.id, newCode, 0L, lane));
        clusters.shareSingleRow(node);
        if (firstOfCluster) {
            clusters.publishAdded(node, cs.id);
            cs.nodes.add(node);
        }
        cs.routes++;
        total++;
        return true;
    }

    /**
     * {@link #add(String, String, RouteId, int)} for a route id held as a byte array (a route store's key), used as
     * is without a copy; the caller must not modify it afterwards.
     *
     * @param filter an MQTT topic filter
     * @param cluster the remote cluster that wants the filter
     * @param routeId the route id bytes
     * @param lane the advertising actor's lane
     * @return true if the row was created
     * @throws IllegalArgumentException as the {@link RouteId} form does
     * @since 0.1.0
     */
    public boolean add(String filter, String cluster, byte[] routeId, int lane) {
        return add(filter, cluster, requireNonNull(routeId, "routeId"), routeId.length, lane);
    }

    /**
     * {@link #delete(String, String, RouteId, int)} for a route id held as a byte array.
     *
     * @param filter the row's topic filter
     * @param cluster the remote cluster
     * @param routeId the route id bytes
     * @param lane the withdrawing actor's lane
     * @return true if the row was removed
     * @throws IllegalArgumentException as the {@link RouteId} form does
     * @since 0.1.0
     */
    public boolean delete(String filter, String cluster, byte[] routeId, int lane) {
        return delete(filter, cluster, requireNonNull(routeId, "routeId"), routeId.length, lane);
    }

    /**
     * Checks what {@link #add} checks of a filter, without changing anything: a receiver validates a route op with it
     * before the op reaches a route store, so every store entry is one the index accepts.
     *
     * @param filter a topic filter
     * @throws IllegalArgumentException naming the filter and what is wrong with it
     * @since 0.1.0
     */
    public static void checkFilter(String filter) {
        TriePaths.check(requireNonNull(filter, "filter"));
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
        idBytes.set(requireNonNull(routeId, "routeId"));
        return add(filter, cluster, idBytes.bytes, idBytes.length, lane);
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
        idBytes.set(requireNonNull(routeId, "routeId"));
        return delete(filter, cluster, idBytes.bytes, idBytes.length, lane);
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
        return delete(filter, cluster, routeId.bytes(), routeId.length(), lane);
    }

    private boolean delete(String filter, String cluster, byte[] id, int idLength, int lane) {
        requireNonNull(filter, "filter");
        requireNonNull(cluster, "cluster");
        RowLanes.check(lane);
        TriePaths.check(filter);
        ClusterState cs = clusters.get(cluster);
        if (cs == null) {
            return false;
        }
        TrieNode node = paths.descend(root, filter, false);
        if (node == null) {
            return false;
        }
        filterBytes.set(filter);
        int code = codes.codeOf(id, idLength, filterBytes.bytes, filterBytes.length);
        int i = code < 0 ? -1 : node.findRow(cs.id, code);
        if (i < 0) {
            return false;
        }
        long lanes = node.rowLanes(i);
        if (!laneSets.holds(node, cs.id, code, lanes, lane)) {
            return false;
        }
        lanes = laneSets.withoutLane(node, cs.id, code, lanes, lane);
        if (lanes != 0) {
            node.setRowLanes(i, lanes);
            clusters.shareSingleRow(node);
            return false;
        }
        removeRow(node, i, cs);
        clusters.shareSingleRow(node);
        if (!node.hasRowOf(cs.id)) {
            clusters.publishRemoved(node, cs.id);
            cs.nodes.remove(node);
        }
        TriePaths.prune(node);
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
        RowLanes.check(lane);
        ClusterState cs = clusters.get(cluster);
        if (cs == null) {
            return 0;
        }
        return lane < RowLanes.FIRST_LANE ? strip(cs, 1L << lane, -1) : strip(cs, 0L, lane);
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
        ClusterState cs = clusters.get(cluster);
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
                if (highLane >= 0) {
                    left = laneSets.withoutLane(node, cs.id, node.rowCode(i), left, highLane);
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
            clusters.shareSingleRow(node);
            if (!node.hasRowOf(cs.id)) {
                clusters.publishRemoved(node, cs.id);
                cs.nodes.remove(node);
                TriePaths.prune(node);
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
        ClusterState cs = clusters.get(requireNonNull(cluster, "cluster"));
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
        for (ClusterState cs : clusters.all()) {
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
    public List<IndexedRoute> routes(String cluster) {
        ClusterState cs = clusters.get(requireNonNull(cluster, "cluster"));
        if (cs == null) {
            return List.of();
        }
        List<IndexedRoute> out = new ArrayList<>(cs.routes);
        for (TrieNode node : cs.nodes.toArray()) {
            String filter = TriePaths.filterOf(node);
            for (int i = 0; i < node.rowCount(); i++) {
                if (node.rowCluster(i) == cs.id) {
                    int code = node.rowCode(i);
                    out.add(new IndexedRoute(
                            filter,
                            cs.name,
                            codes.decode(code, filter),
                            laneSets.all(node, cs.id, code, node.rowLanes(i))));
                }
            }
        }
        return out;
    }

    /** The node a filter ends at, or null: for white-box tests. Writer thread only. */
    @Nullable
    TrieNode nodeAt(String filter) {
        TriePaths.check(filter);
        return paths.descend(root, filter, false);
    }

    /**
     * Checks every structural invariant listed in the class comment and throws {@link IllegalStateException} naming
     * the first one broken. Walks the whole index: for tests and diagnostics. Writer thread only.
     */
    void validate() {
        new RouteIndexInvariants(this).check();
    }

    // =================================================================================================================
    // Internals

    /** The cluster named {@code cluster}, interned if new; a new name is published before any array holds its id. */
    private ClusterState intern(String cluster) {
        ClusterState cs = clusters.intern(cluster);
        if (cs.id >= names.length) {
            String[] grown = Arrays.copyOf(names, cs.id + 1);
            grown[cs.id] = cluster;
            names = grown;
        }
        return cs;
    }

    private void removeRow(TrieNode node, int i, ClusterState cs) {
        int code = node.rowCode(i);
        laneSets.forget(node, cs.id, code, node.rowLanes(i));
        codes.release(code);
        node.removeRow(i);
        cs.routes--;
        total--;
    }
}
