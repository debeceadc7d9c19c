package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The compact encoding of a trie node's exact children (the {@code TrieNode.children} field), chosen by size: null
 * for none, the only child itself (most nodes have one), an exact-size {@code TrieNode[]} list of 2 to
 * {@link #LIST_MAX} children, or an open-addressing {@link Table} beyond that, back to a list at {@link #LIST_SHRINK}
 * live children (hysteresis against flapping).
 *
 * <p>Invariants: no two children spell the same level; a list never holds null or {@link #TOMBSTONE}; a table's
 * length is a power of two, never full, and its {@code hashes[i]} is {@link LevelKeys#hash(Object)} of the node in
 * {@code slots[i]}; every child is reachable by {@link #find}.
 *
 * <p>Concurrency: one writer, lock-free readers. {@link #find} runs on publisher threads, takes no lock and allocates
 * nothing. Null, a node and a list are immutable once published: the writer builds a new one and the node
 * release-stores it into its volatile field. A published table is the one thing written in place: {@code hashes[i]}
 * is written before {@code slots[i]} is release-stored, so a reader that acquires a node from a slot sees its hash,
 * and a slot only goes from null to a node, from a node to a tombstone and from a tombstone to a node, never back to
 * null and never shifted, so a probe for a child that stays in the table always reaches it. A rebuilt table is
 * published whole. Everything else here (the counts of a table, {@link #with}, {@link #without}, {@link #check})
 * belongs to the writer.
 */
final class ExactChildren {

    /**
     * Marks a removed slot of a table. Removing in place by shifting later entries back would let a concurrent reader
     * skip over a node that moved behind its probe position; a tombstone keeps every probe chain intact until the
     * writer rebuilds the table.
     */
    static final TrieNode TOMBSTONE = new TrieNode(null, new byte[0]);

    /** Child lists up to this length are scanned linearly; one more child turns the list into a {@link Table}. */
    static final int LIST_MAX = 8;

    /** A table shrinking to this many live children becomes a list again. */
    static final int LIST_SHRINK = 4;

    static final int MIN_TABLE = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);

    /** Open-addressing child table with linear probing; see the class comment for how readers may see it. */
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

    private ExactChildren() {}

    /**
     * The home slot's hash. Level texts such as {@code s-000042} or {@code d-0007} differ in their last characters
     * only, so their polynomial hashes are near neighbours that linear probing would pack into long runs; multiplying
     * by the golden ratio scatters neighbours over the whole table before the low bits are taken.
     */
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reader side

    /**
     * The child in {@code children} for level {@code s[from, to)} whose hash is {@code h}, or null. Lock-free,
     * allocation-free.
     */
    static @Nullable TrieNode find(@Nullable Object children, String s, int from, int to, int h) {
        if (children == null) {
            return null;
        }
        if (children instanceof TrieNode) {
            TrieNode c = (TrieNode) children;
            return LevelKeys.equals(c.key, s, from, to) ? c : null;
        }
        if (children instanceof TrieNode[]) {
            for (TrieNode c : (TrieNode[]) children) {
                if (LevelKeys.equals(c.key, s, from, to)) {
                    return c;
                }
            }
            return null;
        }
        Table t = (Table) children;
        TrieNode[] slots = t.slots;
        int[] hashes = t.hashes;
        int mask = slots.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            TrieNode c = (TrieNode) SLOT.getAcquire(slots, i);
            if (c == null) {
                return null;
            }
            if (c != TOMBSTONE && hashes[i] == h && LevelKeys.equals(c.key, s, from, to)) {
                return c;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writer side

    /**
     * {@code children} with {@code child} (known to be absent) added: a new value to publish, or the same table with
     * the child release-stored into a slot.
     */
    static Object with(@Nullable Object children, TrieNode child) {
        if (children == null) {
            return child;
        }
        if (children instanceof TrieNode) {
            return new TrieNode[] {(TrieNode) children, child};
        }
        if (children instanceof TrieNode[]) {
            TrieNode[] list = (TrieNode[]) children;
            int n = list.length;
            if (n < LIST_MAX) {
                TrieNode[] grown = Arrays.copyOf(list, n + 1);
                grown[n] = child;
                return grown;
            }
            Table t = newTable(n + 1);
            for (TrieNode c : list) {
                insertPlain(t, c);
            }
            insertPlain(t, child);
            return t;
        }
        Table t = (Table) children;
        if ((t.used + 1) * 4 > t.slots.length * 3) {
            Table rebuilt = newTable(t.live + 1);
            for (int i = 0; i < t.slots.length; i++) {
                TrieNode c = t.slots[i];
                if (c != null && c != TOMBSTONE) {
                    // The stored hash, not a new one: rehashing every key would read every child's key bytes.
                    insertPlain(rebuilt, c, t.hashes[i]);
                }
            }
            insertPlain(rebuilt, child);
            return rebuilt;
        }
        int h = LevelKeys.hash(child.key);
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
                return t;
            }
        }
    }

    /**
     * {@code children} without {@code child} (by identity; it must be present): a new value to publish, or the same
     * table with the child's slot release-stored as a tombstone.
     */
    static @Nullable Object without(@Nullable Object children, TrieNode child) {
        if (children instanceof TrieNode) {
            return null;
        }
        if (children instanceof TrieNode[]) {
            TrieNode[] list = (TrieNode[]) children;
            if (list.length == 2) {
                return list[0] == child ? list[1] : list[0];
            }
            TrieNode[] shrunk = new TrieNode[list.length - 1];
            int j = 0;
            for (TrieNode c : list) {
                if (c != child) {
                    shrunk[j++] = c;
                }
            }
            return shrunk;
        }
        Table t = (Table) requireNonNull(children, "child table");
        int mask = t.slots.length - 1;
        for (int i = spread(LevelKeys.hash(child.key)) & mask; ; i = (i + 1) & mask) {
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
        if (t.live > LIST_SHRINK) {
            return t;
        }
        TrieNode[] list = new TrieNode[t.live];
        int j = 0;
        for (TrieNode c : t.slots) {
            if (c != null && c != TOMBSTONE) {
                list[j++] = c;
            }
        }
        return list.length == 0 ? null : list.length == 1 ? list[0] : list;
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
        insertPlain(t, child, LevelKeys.hash(child.key));
    }

    /** Inserts into a table nobody else can see yet, with the child's known hash {@code h}. */
    private static void insertPlain(Table t, TrieNode child, int h) {
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
     * Checks the invariants of {@code parent}'s exact children and returns them; throws {@link IllegalStateException}
     * describing the first problem. Writer side, for {@link RouteIndexInvariants}.
     */
    static List<TrieNode> check(TrieNode parent) {
        Object ch = parent.children;
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
            checkTable((Table) ch, out);
        }
        for (TrieNode c : out) {
            String level = c.levelText();
            if (c.parent != parent || !LevelKeys.isExact(c.key)) {
                throw new IllegalStateException("bad exact child '" + level + "'");
            }
            if (find(ch, level, 0, level.length(), level.hashCode()) != c) {
                throw new IllegalStateException("child '" + level + "' unreachable by lookup");
            }
        }
        return out;
    }

    private static void checkTable(Table t, List<TrieNode> out) {
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
                if (t.hashes[i] != LevelKeys.hash(c.key)) {
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
}
