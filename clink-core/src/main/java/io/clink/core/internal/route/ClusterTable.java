package io.clink.core.internal.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Interning of remote cluster names to small permanent int ids ({@link ClusterState}), and the upkeep of what nodes
 * publish about clusters: each node's {@code clusters} array and the shared single-row arrays.
 *
 * <p>Invariants: ids are dense, {@code 0..size-1}, in order of first use, and never reassigned or forgotten (a cluster
 * without rows keeps its id), so an id read from a stale array still names the right cluster; a node's published
 * {@code clusters} array holds exactly the distinct cluster ids of its rows, null when it has none, and is the
 * cluster's {@link ClusterState#singleton} when it holds one id.
 *
 * <p>Concurrency: writer only. What readers see of it, the {@code clusters} arrays, is replaced by a release store of
 * a new immutable array, never written in place. The names readers need are published by {@link RouteIndex}.
 */
final class ClusterTable {

    private final Map<String, ClusterState> byName = new HashMap<>();
    private final List<ClusterState> byId = new ArrayList<>();

    /** The cluster named {@code name}, or null if it was never interned. */
    @Nullable
    ClusterState get(String name) {
        return byName.get(name);
    }

    /**
     * The cluster named {@code name}, interned under the next id if new.
     *
     * @throws IllegalArgumentException if the name is empty
     */
    ClusterState intern(String name) {
        ClusterState cs = byName.get(name);
        if (cs == null) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("cluster name must not be empty");
            }
            cs = new ClusterState(name, byId.size());
            byId.add(cs);
            byName.put(name, cs);
        }
        return cs;
    }

    /** Every interned cluster, by id; unmodifiable view. */
    List<ClusterState> all() {
        return Collections.unmodifiableList(byId);
    }

    /** Publishes that {@code node} now has a row of cluster {@code id}, which it had none of. */
    void publishAdded(TrieNode node, int id) {
        int[] old = node.clusters;
        if (old == null) {
            node.clusters = byId.get(id).singleton;
        } else {
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            node.clusters = grown;
        }
    }

    /** Publishes that {@code node} has no row of cluster {@code id} any more. */
    void publishRemoved(TrieNode node, int id) {
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
        node.clusters = shrunk.length == 1 ? byId.get(shrunk[0]).singleton : shrunk;
    }

    /**
     * Moves a node's only row onto its cluster's shared array when it is the common kind (a plain subscription held
     * by one lane), so that most single-route filters of a large index carry no row array of their own.
     */
    void shareSingleRow(TrieNode node) {
        Object r = node.rows;
        if (r instanceof int[] && ((int[]) r).length == 3) {
            int[] row = (int[]) r;
            if (row[2] == RouteIdCodes.SAME_AS_FILTER && Integer.bitCount(row[1]) == 1) {
                node.rows = byId.get(row[0]).singleRow(Integer.numberOfTrailingZeros(row[1]));
            }
        }
    }
}
