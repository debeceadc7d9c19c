package io.clink.core.internal.route;

import java.util.Arrays;

/**
 * Writer-only hash index over the rows of one crowded trie node, so that add and delete on a filter shared by many
 * route ids (thousands of durable sessions subscribed to one filter, say) cost O(1) instead of a scan of every row.
 * Readers never see it.
 *
 * <p>Open addressing with linear probing over row indices ({@code slots[j] = row + 1}, 0 for empty). Each row's
 * hash, {@link #rowHash(int, String)} of its cluster and decoded route id, is kept per row index so entries can be
 * found again when rows move (the node removes a row by moving its last row into the gap) without decoding ids.
 * Deletion shifts later entries back (Knuth's algorithm R), which is safe because only the writer probes this table.
 */
final class RowLookup {

    int[] rowHash;
    int[] slots;
    private int size;
    /** Rows per cluster id on this node, so "does the cluster still have a row here?" needs no scan. */
    private int[] perCluster = new int[4];

    RowLookup(int rows) {
        rowHash = new int[Math.max(16, rows * 2)];
        int cap = 16;
        while (cap < rows * 2) {
            cap <<= 1;
        }
        slots = new int[cap];
    }

    static int rowHash(int clusterId, String routeId) {
        return routeId.hashCode() * 31 + clusterId;
    }

    static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    int size() {
        return size;
    }

    int rowsOf(int clusterId) {
        return clusterId < perCluster.length ? perCluster[clusterId] : 0;
    }

    void put(int row, int hash, int clusterId) {
        if (row >= rowHash.length) {
            rowHash = Arrays.copyOf(rowHash, Math.max(row + 1, rowHash.length * 2));
        }
        if (clusterId >= perCluster.length) {
            perCluster = Arrays.copyOf(perCluster, Math.max(clusterId + 1, perCluster.length * 2));
        }
        rowHash[row] = hash;
        perCluster[clusterId]++;
        if ((size + 1) * 2 > slots.length) {
            int[] old = slots;
            slots = new int[old.length * 2];
            for (int v : old) {
                if (v != 0) {
                    insert(v - 1);
                }
            }
        }
        insert(row);
        size++;
    }

    private void insert(int row) {
        int mask = slots.length - 1;
        int j = mix(rowHash[row]) & mask;
        while (slots[j] != 0) {
            j = (j + 1) & mask;
        }
        slots[j] = row + 1;
    }

    private int slotOf(int row) {
        int mask = slots.length - 1;
        for (int j = mix(rowHash[row]) & mask; ; j = (j + 1) & mask) {
            if (slots[j] == row + 1) {
                return j;
            }
            if (slots[j] == 0) {
                throw new IllegalStateException("row " + row + " missing from row lookup");
            }
        }
    }

    void remove(int row, int clusterId) {
        perCluster[clusterId]--;
        size--;
        int mask = slots.length - 1;
        int hole = slotOf(row);
        slots[hole] = 0;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = mix(rowHash[slots[j] - 1]) & mask;
            // Entry j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                slots[hole] = slots[j];
                slots[j] = 0;
                hole = j;
            }
        }
    }

    /** Row {@code from} now lives at index {@code to} (whose own entry was removed already). */
    void move(int from, int to) {
        slots[slotOf(from)] = to + 1;
        rowHash[to] = rowHash[from];
    }
}
