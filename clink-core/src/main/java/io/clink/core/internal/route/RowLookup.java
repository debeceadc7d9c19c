package io.clink.core.internal.route;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The rows of one crowded trie node (at least {@link PackedRows#LOOKUP_MIN}), with a hash index over them, so that
 * add and delete on a filter shared by many route ids (thousands of durable sessions subscribed to one filter, say)
 * cost O(1) instead of a scan of every row. Writer-only: readers never see it.
 *
 * <p>{@code data} is a row array in {@link PackedRows}' layout with spare capacity; rows {@code [0, count)} are live.
 * A row is identified by its {@code (cluster id, id code)} pair, whose hash is recomputed from the row itself, so
 * nothing is stored per row beyond the row. Open addressing with linear probing over row indices
 * ({@code slots[j] = row + 1}, 0 for empty). Removing a row moves the last row into its index; deletion shifts later
 * entries back (Knuth's algorithm R), which is safe because only the writer probes this table.
 */
final class RowLookup {

    Object data;
    int count;
    int[] slots;
    /** Rows per cluster id on this node, so "does the cluster still have a row here?" needs no scan. */
    private int[] perCluster = new int[4];

    /** Takes over {@code n} rows of an exact-size array. */
    RowLookup(Object rows, int n) {
        int capacity = n + (n >> 1) + 1;
        data = PackedRows.copy(rows, n, false, capacity);
        slots = new int[tableSize(capacity)];
        for (int r = 0; r < n; r++) {
            index(r);
        }
        count = n;
    }

    private static int tableSize(int rows) {
        int cap = 16;
        while (cap < rows * 2) {
            cap <<= 1;
        }
        return cap;
    }

    static int hash(int clusterId, int code) {
        int x = (code * 31 + clusterId) * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    int capacity() {
        return data instanceof int[] ? ((int[]) data).length / 3 : ((long[]) data).length / 2;
    }

    int rowsOf(int clusterId) {
        return clusterId < perCluster.length ? perCluster[clusterId] : 0;
    }

    int find(int clusterId, int code) {
        int mask = slots.length - 1;
        for (int j = hash(clusterId, code) & mask; ; j = (j + 1) & mask) {
            int v = slots[j];
            if (v == 0) {
                return -1;
            }
            int r = v - 1;
            if (PackedRows.cluster(data, r) == clusterId && PackedRows.code(data, r) == code) {
                return r;
            }
        }
    }

    void append(int clusterId, int code, long lanes, boolean wide) {
        int n = count;
        if (n == capacity() || (wide && data instanceof int[])) {
            data = PackedRows.copy(data, n, wide, n == capacity() ? n + (n >> 1) + 1 : capacity());
        }
        PackedRows.put(data, n, clusterId, code, lanes);
        count = n + 1;
        if (count * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int r = 0; r < n; r++) {
                insert(r);
            }
        }
        index(n);
    }

    /** Enters row {@code r} into the hash index and the per-cluster counts. */
    private void index(int r) {
        int c = PackedRows.cluster(data, r);
        if (c >= perCluster.length) {
            perCluster = Arrays.copyOf(perCluster, Math.max(c + 1, perCluster.length * 2));
        }
        perCluster[c]++;
        insert(r);
    }

    private void insert(int r) {
        int mask = slots.length - 1;
        int j = hash(PackedRows.cluster(data, r), PackedRows.code(data, r)) & mask;
        while (slots[j] != 0) {
            j = (j + 1) & mask;
        }
        slots[j] = r + 1;
    }

    private int slotOf(int r) {
        int mask = slots.length - 1;
        for (int j = hash(PackedRows.cluster(data, r), PackedRows.code(data, r)) & mask; ; j = (j + 1) & mask) {
            if (slots[j] == r + 1) {
                return j;
            }
            if (slots[j] == 0) {
                throw new IllegalStateException("row " + r + " missing from row lookup");
            }
        }
    }

    /** Removes row {@code r}; the last row takes its index. */
    void remove(int r) {
        int c = PackedRows.cluster(data, r);
        perCluster[c]--;
        int mask = slots.length - 1;
        int hole = slotOf(r);
        slots[hole] = 0;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = hash(PackedRows.cluster(data, slots[j] - 1), PackedRows.code(data, slots[j] - 1)) & mask;
            // Entry j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                slots[hole] = slots[j];
                slots[j] = 0;
                hole = j;
            }
        }
        int last = --count;
        if (r != last) {
            slots[slotOf(last)] = r + 1;
            PackedRows.put(
                    data, r, PackedRows.cluster(data, last), PackedRows.code(data, last), PackedRows.lanes(data, last));
        }
        if (count * 4 < capacity() && count >= PackedRows.LOOKUP_MIN) {
            // Give back the space of a mass withdrawal.
            data = PackedRows.copy(data, count, false, count + (count >> 1) + 1);
            slots = new int[tableSize(count)];
            Arrays.fill(perCluster, 0);
            for (int i = 0; i < count; i++) {
                index(i);
            }
        }
    }

    /** Checks the index against the rows; returns a description of the first problem, or null. Writer side. */
    @Nullable
    String check() {
        int[] expected = new int[perCluster.length];
        int entries = 0;
        for (int v : slots) {
            if (v != 0) {
                entries++;
                if (v - 1 >= count) {
                    return "row lookup entry for row " + (v - 1) + " beyond " + count + " rows";
                }
            }
        }
        if (entries != count) {
            return "row lookup holds " + entries + " of " + count + " rows";
        }
        for (int r = 0; r < count; r++) {
            int c = PackedRows.cluster(data, r);
            if (c < expected.length) {
                expected[c]++;
            }
            if (find(c, PackedRows.code(data, r)) != r) {
                return "row " + r + " not found through the row lookup";
            }
        }
        if (!Arrays.equals(expected, perCluster)) {
            return "row lookup per-cluster counts " + Arrays.toString(perCluster) + ", rows give "
                    + Arrays.toString(expected);
        }
        if (count < PackedRows.LOOKUP_MIN || count > capacity()) {
            return "row lookup with " + count + " rows of capacity " + capacity();
        }
        return null;
    }
}
