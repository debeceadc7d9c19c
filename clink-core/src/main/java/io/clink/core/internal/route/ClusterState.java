package io.clink.core.internal.route;

import org.jspecify.annotations.Nullable;

/**
 * One interned remote cluster of the {@link ClusterTable}: its permanent small id, its row count, the nodes carrying
 * its rows, and the immutable arrays many nodes share instead of a copy each.
 *
 * <p>Invariants: {@code id} never changes and is never given to another cluster; {@code routes} counts the cluster's
 * rows and {@code nodes} holds exactly the nodes carrying at least one of them; {@link #singleton} and the arrays of
 * {@link #singleRow} are never written after they are made.
 *
 * <p>Concurrency: writer only, except that readers may see {@link #singleton} as a node's published {@code clusters}
 * array (immutable, published by a release store) and never touch this object itself.
 */
final class ClusterState {

    final String name;
    final int id;
    /** {@code {id}}: the published {@code clusters} array of every node whose rows are all this cluster's. */
    final int[] singleton;
    /** Shared single-row arrays by lane (0..31), made on first use; see {@code ClusterTable.shareSingleRow}. */
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
            row = new int[] {id, 1 << lane, RouteIdCodes.SAME_AS_FILTER};
            singleRows[lane] = row;
        }
        return row;
    }
}
