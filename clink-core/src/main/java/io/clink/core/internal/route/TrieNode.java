package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One level of the route trie. See {@link RouteIndex} for the invariants and the concurrency model; this class only
 * holds the per-node mechanics: the child table, the exact-level key and the route rows.
 *
 * <p>Fields are split by audience. {@code children}, {@code plus}, {@code multi} and {@code clusters} are read by
 * lock-free readers, so every change to them is a release store (volatile field, or a {@link VarHandle} release on a
 * {@link Table} slot) of an object that is never mutated afterwards; the one exception is a published table's slots,
 * which never return to {@code null} (see {@link Table}). Everything else belongs to the single writer.
 */
final class TrieNode {

    /** Key of a {@code +} node. Identity-compared; never equal to a level's key. */
    static final Object PLUS_KEY = new Object();

    /** Key of a {@code #} node. */
    static final Object MULTI_KEY = new Object();

    /**
     * Marks a removed slot of an open-addressing child table. Removing in place by shifting later entries back would
     * let a concurrent reader skip over a node that moved behind its probe position; a tombstone keeps every probe
     * chain intact until the writer rebuilds the table.
     */
    static final TrieNode TOMBSTONE = new TrieNode(null, new byte[0]);

    /** Child lists up to this length are scanned linearly; one more child turns the list into a {@link Table}. */
    static final int LIST_MAX = 8;

    /** A table shrinking to this many live children becomes a list again (hysteresis against flapping). */
    static final int LIST_SHRINK = 4;

    static final int MIN_TABLE = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);

    private static final byte[] EMPTY_LEVEL = new byte[0];

    /**
     * Open-addressing child table with linear probing. {@code hashes[i]} is written before {@code slots[i]} is
     * release-stored, so a reader that acquires a node from a slot sees its hash. Slots go null, then node, then
     * possibly tombstone, then possibly another node; never back to null while the table is published.
     */
    static final class Table {
        final TrieNode[] slots;
        final int[] hashes;
        /** Writer-only: live nodes, and live plus tombstoned slots. */
        int live;
        int used;

        Table(int capacity) {
            slots = new TrieNode[capacity];
            hashes = new int[capacity];
        }
    }

    // Memory matters here (about one node per route at a million routes), so a node carries no hash, no counters and
    // no per-row objects: 7 reference fields, 40 bytes with compressed oops.

    /** {@code byte[]} (all chars below 256) or {@code char[]} for an exact level; PLUS_KEY, MULTI_KEY; null at root. */
    final @Nullable Object key;

    final @Nullable TrieNode parent;

    /**
     * Null, the only exact child itself (most nodes have one), an exact-size {@code TrieNode[]} list (length
     * 2..LIST_MAX), or a {@link Table}.
     */
    volatile @Nullable Object children;

    volatile @Nullable TrieNode plus;

    volatile @Nullable TrieNode multi;

    /** Distinct cluster ids with at least one row here; immutable once published; null when there is no row. */
    volatile int @Nullable [] clusters;

    /** Writer-only: null, an exact-size {@code int[]} or {@code long[]} of rows, or a {@link RowLookup}. */
    @Nullable Object rows;

    TrieNode(@Nullable TrieNode parent, @Nullable Object key) {
        this.parent = parent;
        this.key = key;
    }

    boolean isExact() {
        return key instanceof byte[] || key instanceof char[];
    }

    /** True when the writer may prune this node: no rows and no children of any kind. */
    boolean isEmpty() {
        return rows == null && children == null && plus == null && multi == null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Level keys and hashing

    /** Hash of {@code s[from, to)}, equal to {@code s.substring(from, to).hashCode()} without the substring. */
    static int levelHash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    static Object makeKey(String s, int from, int to) {
        if (from == to) {
            return EMPTY_LEVEL;
        }
        boolean latin1 = true;
        for (int i = from; i < to && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        if (latin1) {
            byte[] b = new byte[to - from];
            for (int i = from; i < to; i++) {
                b[i - from] = (byte) s.charAt(i);
            }
            return b;
        }
        char[] c = new char[to - from];
        s.getChars(from, to, c, 0);
        return c;
    }

    boolean keyEquals(String s, int from, int to) {
        return keyEquals(key, s, from, to);
    }

    /** True when {@code k}, a level key from {@link #makeKey}, spells {@code s[from, to)}. */
    static boolean keyEquals(@Nullable Object k, String s, int from, int to) {
        int len = to - from;
        if (k instanceof byte[]) {
            byte[] b = (byte[]) k;
            if (b.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (s.charAt(from + i) != (char) (b[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }
        if (k instanceof char[]) {
            char[] c = (char[]) k;
            if (c.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (s.charAt(from + i) != c[i]) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** {@link #levelHash} of this node's key; writer side. */
    int keyHash() {
        Object k = key;
        int h = 0;
        if (k instanceof byte[]) {
            for (byte b : (byte[]) k) {
                h = 31 * h + (b & 0xFF);
            }
        } else if (k instanceof char[]) {
            for (char c : (char[]) k) {
                h = 31 * h + c;
            }
        }
        return h;
    }

    /** The level text of an exact node, a wildcard's text, or "" for the root. Cold path (listing, validation). */
    String levelText() {
        Object k = key;
        if (k == PLUS_KEY) {
            return "+";
        }
        if (k == MULTI_KEY) {
            return "#";
        }
        if (k instanceof byte[]) {
            byte[] b = (byte[]) k;
            char[] c = new char[b.length];
            for (int i = 0; i < b.length; i++) {
                c[i] = (char) (b[i] & 0xFF);
            }
            return new String(c);
        }
        if (k instanceof char[]) {
            return new String((char[]) k);
        }
        return "";
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Child table: reader side

    /** Finds the exact child for level {@code s[from, to)} whose hash is {@code h}. Lock-free, allocation-free. */
    @Nullable TrieNode findChild(String s, int from, int to, int h) {
        Object ch = children;
        if (ch == null) {
            return null;
        }
        if (ch instanceof TrieNode) {
            TrieNode c = (TrieNode) ch;
            return c.keyEquals(s, from, to) ? c : null;
        }
        if (ch instanceof TrieNode[]) {
            for (TrieNode c : (TrieNode[]) ch) {
                if (c.keyEquals(s, from, to)) {
                    return c;
                }
            }
            return null;
        }
        Table t = (Table) ch;
        TrieNode[] slots = t.slots;
        int[] hashes = t.hashes;
        int mask = slots.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            TrieNode c = (TrieNode) SLOT.getAcquire(slots, i);
            if (c == null) {
                return null;
            }
            if (c != TOMBSTONE && hashes[i] == h && c.keyEquals(s, from, to)) {
                return c;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Child table: writer side

    /** Adds an exact child known to be absent. */
    void addChild(TrieNode child) {
        Object ch = children;
        if (ch == null) {
            children = child;
            return;
        }
        if (ch instanceof TrieNode) {
            children = new TrieNode[] {(TrieNode) ch, child};
            return;
        }
        if (ch instanceof TrieNode[]) {
            TrieNode[] list = (TrieNode[]) ch;
            int n = list.length;
            if (n < LIST_MAX) {
                TrieNode[] grown = Arrays.copyOf(list, n + 1);
                grown[n] = child;
                children = grown;
            } else {
                Table t = newTable(n + 1);
                for (TrieNode c : list) {
                    insertPlain(t, c);
                }
                insertPlain(t, child);
                children = t;
            }
            return;
        }
        Table t = (Table) ch;
        if ((t.used + 1) * 4 > t.slots.length * 3) {
            Table rebuilt = newTable(t.live + 1);
            for (TrieNode c : t.slots) {
                if (c != null && c != TOMBSTONE) {
                    insertPlain(rebuilt, c);
                }
            }
            insertPlain(rebuilt, child);
            children = rebuilt;
            return;
        }
        int h = child.keyHash();
        int mask = t.slots.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            TrieNode c = t.slots[i];
            if (c == null || c == TOMBSTONE) {
                if (c == null) {
                    t.used++;
                }
                t.live++;
                t.hashes[i] = h;
                SLOT.setRelease(t.slots, i, child);
                return;
            }
        }
    }

    /** Removes an exact child (by identity); the node must be present. */
    void removeChild(TrieNode child) {
        Object ch = children;
        if (ch instanceof TrieNode) {
            children = null;
            return;
        }
        if (ch instanceof TrieNode[]) {
            TrieNode[] list = (TrieNode[]) ch;
            if (list.length == 2) {
                children = list[0] == child ? list[1] : list[0];
                return;
            }
            TrieNode[] shrunk = new TrieNode[list.length - 1];
            int j = 0;
            for (TrieNode c : list) {
                if (c != child) {
                    shrunk[j++] = c;
                }
            }
            children = shrunk;
            return;
        }
        Table t = (Table) requireNonNull(ch, "child table");
        int mask = t.slots.length - 1;
        for (int i = spread(child.keyHash()) & mask; ; i = (i + 1) & mask) {
            TrieNode c = t.slots[i];
            if (c == null) {
                throw new IllegalStateException("child missing from table");
            }
            if (c == child) {
                SLOT.setRelease(t.slots, i, TOMBSTONE);
                t.live--;
                break;
            }
        }
        if (t.live <= LIST_SHRINK) {
            TrieNode[] list = new TrieNode[t.live];
            int j = 0;
            for (TrieNode c : t.slots) {
                if (c != null && c != TOMBSTONE) {
                    list[j++] = c;
                }
            }
            children = list.length == 0 ? null : list.length == 1 ? list[0] : list;
        }
    }

    private static Table newTable(int live) {
        int cap = MIN_TABLE;
        while (live * 2 > cap) {
            cap <<= 1;
        }
        return new Table(cap);
    }

    /** Inserts into a table nobody else can see yet. */
    private static void insertPlain(Table t, TrieNode child) {
        int h = child.keyHash();
        int mask = t.slots.length - 1;
        int i = spread(h) & mask;
        while (t.slots[i] != null) {
            i = (i + 1) & mask;
        }
        t.slots[i] = child;
        t.hashes[i] = h;
        t.live++;
        t.used++;
    }

    /**
     * Checks the child structure and returns the exact children; throws {@link IllegalStateException} describing the
     * first problem. Writer side, for {@code RouteIndex.validate()}.
     */
    List<TrieNode> checkedExactChildren() {
        Object ch = children;
        List<TrieNode> out = new ArrayList<>();
        if (ch == null) {
            return out;
        }
        if (ch instanceof TrieNode) {
            if (ch == TOMBSTONE) {
                throw new IllegalStateException("tombstone as only child");
            }
            out.add((TrieNode) ch);
        } else if (ch instanceof TrieNode[]) {
            TrieNode[] list = (TrieNode[]) ch;
            if (list.length < 2 || list.length > LIST_MAX) {
                throw new IllegalStateException("child list of length " + list.length);
            }
            for (TrieNode c : list) {
                if (c == null || c == TOMBSTONE) {
                    throw new IllegalStateException("null or tombstone in child list");
                }
                out.add(c);
            }
        } else {
            Table t = (Table) ch;
            int n = t.slots.length;
            int used = 0;
            if (Integer.bitCount(n) != 1 || t.hashes.length != n) {
                throw new IllegalStateException("child table of length " + n);
            }
            for (int i = 0; i < n; i++) {
                TrieNode c = t.slots[i];
                if (c == null) {
                    continue;
                }
                used++;
                if (c != TOMBSTONE) {
                    if (t.hashes[i] != c.keyHash()) {
                        throw new IllegalStateException("stale hash of child '" + c.levelText() + "'");
                    }
                    out.add(c);
                }
            }
            if (out.size() != t.live || used != t.used || used == n) {
                throw new IllegalStateException("child table counts live=" + out.size() + "/" + t.live + " used=" + used
                        + "/" + t.used + " of " + n);
            }
            if (t.live <= LIST_SHRINK) {
                throw new IllegalStateException("child table with only " + t.live + " children");
            }
        }
        for (TrieNode c : out) {
            String level = c.levelText();
            if (c.parent != this || !c.isExact()) {
                throw new IllegalStateException("bad exact child '" + level + "'");
            }
            if (findChild(level, 0, level.length(), level.hashCode()) != c) {
                throw new IllegalStateException("child '" + level + "' unreachable by lookup");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows (writer side)
    //
    // Layout: an exact-size int[] of (cluster id, lanes, id code) triples while every lane mask fits in 32 bits (actors
    // rarely number more than a few per cluster), an exact-size long[] of ((cluster id << 32 | id code), lanes) pairs
    // for good once a lane of 32 or more is set, and a RowLookup (arrays with spare capacity plus a hash index) from
    // LOOKUP_MIN rows on. Exact-size arrays cost a copy per change, which is cheap below LOOKUP_MIN rows and saves the
    // count and capacity slack on the half a million small nodes of a large index. A one-row int[] is never written
    // in place, so the writer may share one among many nodes (see RouteIndex.shareSingleRow).

    int rowCount() {
        Object r = rows;
        if (r == null) {
            return 0;
        }
        if (r instanceof int[]) {
            return ((int[]) r).length / 3;
        }
        if (r instanceof long[]) {
            return ((long[]) r).length / 2;
        }
        return ((RowLookup) r).count;
    }

    private Object rowArray() {
        Object r = requireNonNull(rows, "rows");
        return r instanceof RowLookup ? ((RowLookup) r).data : r;
    }

    int rowCluster(int i) {
        return cluster(rowArray(), i);
    }

    long rowLanes(int i) {
        return lanes(rowArray(), i);
    }

    /** The row's route-id code: 0 for "same as the filter", else a code of RouteIndex's id table. */
    int rowCode(int i) {
        return code(rowArray(), i);
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

    static Object copyRows(Object d, int n, boolean wide, int capacity) {
        Object out = newRows(d, wide, capacity);
        for (int i = 0; i < n; i++) {
            put(out, i, cluster(d, i), code(d, i), lanes(d, i));
        }
        return out;
    }

    /** Index of the row {@code (clusterId, code)}, or -1. */
    int findRow(int clusterId, int code) {
        Object r = rows;
        if (r == null) {
            return -1;
        }
        if (r instanceof RowLookup) {
            return ((RowLookup) r).find(clusterId, code);
        }
        if (r instanceof int[]) {
            int[] a = (int[]) r;
            for (int j = 0; j < a.length; j += 3) {
                if (a[j] == clusterId && a[j + 2] == code) {
                    return j / 3;
                }
            }
            return -1;
        }
        long[] a = (long[]) r;
        long key = ((long) clusterId << 32) | (code & 0xFFFF_FFFFL);
        for (int j = 0; j < a.length; j += 2) {
            if (a[j] == key) {
                return j / 2;
            }
        }
        return -1;
    }

    boolean hasRowOf(int clusterId) {
        Object r = rows;
        if (r == null) {
            return false;
        }
        if (r instanceof RowLookup) {
            return ((RowLookup) r).rowsOf(clusterId) > 0;
        }
        for (int i = 0, n = rowCount(); i < n; i++) {
            if (cluster(r, i) == clusterId) {
                return true;
            }
        }
        return false;
    }

    void setRowLanes(int i, long lanes) {
        Object r = requireNonNull(rows, "rows");
        boolean wide = (lanes >>> 32) != 0;
        if (r instanceof RowLookup) {
            RowLookup lookup = (RowLookup) r;
            if (wide && lookup.data instanceof int[]) {
                lookup.data = copyRows(lookup.data, lookup.count, true, lookup.capacity());
            }
            put(lookup.data, i, cluster(lookup.data, i), code(lookup.data, i), lanes);
            return;
        }
        int n = rowCount();
        if ((wide && r instanceof int[]) || n == 1) {
            // Widening, or a one-row array that may be shared: write a copy.
            r = copyRows(r, n, wide, n);
        }
        put(r, i, cluster(r, i), code(r, i), lanes);
        rows = r;
    }

    /** Appends a row known to be absent. */
    void appendRow(int clusterId, int code, long lanes) {
        Object r = rows;
        boolean wide = (lanes >>> 32) != 0;
        if (r instanceof RowLookup) {
            ((RowLookup) r).append(clusterId, code, lanes, wide);
            return;
        }
        int n = rowCount();
        if (n + 1 >= RouteIndex.LOOKUP_MIN) {
            RowLookup lookup = new RowLookup(requireNonNull(r, "rows"), n);
            lookup.append(clusterId, code, lanes, wide);
            rows = lookup;
            return;
        }
        Object grown = r == null ? newRows(null, wide, 1) : copyRows(r, n, wide, n + 1);
        put(grown, n, clusterId, code, lanes);
        rows = grown;
    }

    /** Removes row {@code i}; the last row takes its index. Frees the rows when the last one goes. */
    void removeRow(int i) {
        Object r = requireNonNull(rows, "rows");
        if (r instanceof RowLookup) {
            RowLookup lookup = (RowLookup) r;
            lookup.remove(i);
            if (lookup.count < RouteIndex.LOOKUP_MIN) {
                rows = copyRows(lookup.data, lookup.count, false, lookup.count);
            }
            return;
        }
        int last = rowCount() - 1;
        if (last == 0) {
            rows = null;
            return;
        }
        Object shrunk = copyRows(r, last, false, last);
        if (i != last) {
            put(shrunk, i, cluster(r, last), code(r, last), lanes(r, last));
        }
        rows = shrunk;
    }
}
