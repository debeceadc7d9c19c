package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The compact encoding of the route rows on one trie node (the {@code TrieNode.rows} field): no object per route, only
 * primitive arrays. A row is {@code (cluster id, lane mask, route-id code)}; see {@link RouteIdCodes} for the code and
 * {@link RowLanes} for lanes above 62.
 *
 * <p>Layout, chosen by content and size: null for no rows; an exact-size {@code int[]} of
 * {@code (cluster id, lanes, code)} triples while every lane mask fits in 32 bits (actors rarely number more than a
 * few per cluster); an exact-size {@code long[]} of {@code ((cluster id << 32 | code), lanes)} pairs for good once a
 * lane of 32 or more is set; and a {@link RowLookup} (an array of either form with spare capacity, plus a hash index)
 * from {@link #LOOKUP_MIN} rows on. Exact-size arrays cost a copy per change, which is cheap below
 * {@link #LOOKUP_MIN} rows and saves the count and capacity slack on the half a million small nodes of a large index.
 *
 * <p>Invariants: {@code (cluster id, code)} is unique among a node's rows; every lane mask is non-zero; an exact-size
 * array holds 1 to {@code LOOKUP_MIN - 1} rows; a one-row {@code int[]} is never written in place, so the writer may
 * share one among many nodes ({@link ClusterState#singleRow}) and the shared arrays always hold what they were made
 * with. Removing a row moves the last row into its index.
 *
 * <p>Concurrency: writer only. Readers (the matcher) never look at rows; they read the node's published
 * {@code clusters} array instead. The mutators return the value the node must store as its rows.
 */
final class PackedRows {

    /** Nodes with this many rows or more get a {@link RowLookup}; below it a scan of the rows is cheaper. */
    static final int LOOKUP_MIN = 12;

    private PackedRows() {}

    static int count(@Nullable Object rows) {
        if (rows == null) {
            return 0;
        }
        if (rows instanceof int[]) {
            return ((int[]) rows).length / 3;
        }
        if (rows instanceof long[]) {
            return ((long[]) rows).length / 2;
        }
        return ((RowLookup) rows).count;
    }

    /** The row array behind {@code rows}: itself, or a lookup's data. */
    static Object data(@Nullable Object rows) {
        Object r = requireNonNull(rows, "rows");
        return r instanceof RowLookup ? ((RowLookup) r).data : r;
    }

    static int cluster(Object d, int i) {
        return d instanceof int[] ? ((int[]) d)[3 * i] : (int) (((long[]) d)[2 * i] >>> 32);
    }

    static long lanes(Object d, int i) {
        return d instanceof int[] ? ((int[]) d)[3 * i + 1] & 0xFFFF_FFFFL : ((long[]) d)[2 * i + 1];
    }

    static int code(Object d, int i) {
        return d instanceof int[] ? ((int[]) d)[3 * i + 2] : (int) ((long[]) d)[2 * i];
    }

    /** Writes row {@code i} of {@code d}, which must be a long[] if {@code lanes} needs more than 32 bits. */
    static void put(Object d, int i, int clusterId, int code, long lanes) {
        if (d instanceof int[]) {
            int[] a = (int[]) d;
            a[3 * i] = clusterId;
            a[3 * i + 1] = (int) lanes;
            a[3 * i + 2] = code;
        } else {
            long[] a = (long[]) d;
            a[2 * i] = ((long) clusterId << 32) | (code & 0xFFFF_FFFFL);
            a[2 * i + 1] = lanes;
        }
    }

    /** A row array of {@code capacity} rows in the form of {@code like} (int[] unless a wide form is needed). */
    static Object newRows(@Nullable Object like, boolean wide, int capacity) {
        return wide || like instanceof long[] ? new long[2 * capacity] : new int[3 * capacity];
    }

    /** The first {@code n} rows of {@code d} in a new array of {@code capacity} rows, widened if {@code wide}. */
    static Object copy(Object d, int n, boolean wide, int capacity) {
        Object out = newRows(d, wide, capacity);
        for (int i = 0; i < n; i++) {
            put(out, i, cluster(d, i), code(d, i), lanes(d, i));
        }
        return out;
    }

    /** Index of the row {@code (clusterId, code)} in {@code rows}, or -1. */
    static int find(@Nullable Object rows, int clusterId, int code) {
        if (rows == null) {
            return -1;
        }
        if (rows instanceof RowLookup) {
            return ((RowLookup) rows).find(clusterId, code);
        }
        if (rows instanceof int[]) {
            int[] a = (int[]) rows;
            for (int j = 0; j < a.length; j += 3) {
                if (a[j] == clusterId && a[j + 2] == code) {
                    return j / 3;
                }
            }
            return -1;
        }
        long[] a = (long[]) rows;
        long key = ((long) clusterId << 32) | (code & 0xFFFF_FFFFL);
        for (int j = 0; j < a.length; j += 2) {
            if (a[j] == key) {
                return j / 2;
            }
        }
        return -1;
    }

    static boolean hasRowOf(@Nullable Object rows, int clusterId) {
        if (rows == null) {
            return false;
        }
        if (rows instanceof RowLookup) {
            return ((RowLookup) rows).rowsOf(clusterId) > 0;
        }
        for (int i = 0, n = count(rows); i < n; i++) {
            if (cluster(rows, i) == clusterId) {
                return true;
            }
        }
        return false;
    }

    /** {@code rows} with the lanes of row {@code i} set to {@code lanes}. */
    static Object withLanes(@Nullable Object rows, int i, long lanes) {
        Object r = requireNonNull(rows, "rows");
        boolean wide = (lanes >>> 32) != 0;
        if (r instanceof RowLookup) {
            RowLookup lookup = (RowLookup) r;
            if (wide && lookup.data instanceof int[]) {
                lookup.data = copy(lookup.data, lookup.count, true, lookup.capacity());
            }
            put(lookup.data, i, cluster(lookup.data, i), code(lookup.data, i), lanes);
            return lookup;
        }
        int n = count(r);
        if ((wide && r instanceof int[]) || n == 1) {
            // Widening, or a one-row array that may be shared: write a copy.
            r = copy(r, n, wide, n);
        }
        put(r, i, cluster(r, i), code(r, i), lanes);
        return r;
    }

    /** {@code rows} with the row {@code (clusterId, code, lanes)}, known to be absent, appended. */
    static Object withRow(@Nullable Object rows, int clusterId, int code, long lanes) {
        boolean wide = (lanes >>> 32) != 0;
        if (rows instanceof RowLookup) {
            ((RowLookup) rows).append(clusterId, code, lanes, wide);
            return rows;
        }
        int n = count(rows);
        if (n + 1 >= LOOKUP_MIN) {
            RowLookup lookup = new RowLookup(requireNonNull(rows, "rows"), n);
            lookup.append(clusterId, code, lanes, wide);
            return lookup;
        }
        Object grown = rows == null ? newRows(null, wide, 1) : copy(rows, n, wide, n + 1);
        put(grown, n, clusterId, code, lanes);
        return grown;
    }

    /** {@code rows} without row {@code i} (the last row takes its index); null when it was the last row. */
    static @Nullable Object without(@Nullable Object rows, int i) {
        Object r = requireNonNull(rows, "rows");
        if (r instanceof RowLookup) {
            RowLookup lookup = (RowLookup) r;
            lookup.remove(i);
            return lookup.count < LOOKUP_MIN ? copy(lookup.data, lookup.count, false, lookup.count) : lookup;
        }
        int last = count(r) - 1;
        if (last == 0) {
            return null;
        }
        Object shrunk = copy(r, last, false, last);
        if (i != last) {
            put(shrunk, i, cluster(r, last), code(r, last), lanes(r, last));
        }
        return shrunk;
    }
}
