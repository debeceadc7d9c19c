package io.clink.core.internal.route;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A writer-only identity set of trie nodes: the nodes carrying rows of one cluster. At a million routes these sets
 * hold about as many entries as there are filters, so they use one reference per slot (an {@code IdentityHashMap}
 * uses two) in an open-addressing table with linear probing, kept between 3/8 and 3/4 full while it grows and given
 * back when it empties. Deletion shifts later entries back (Knuth's algorithm R), which is safe because readers never
 * see this set.
 */
final class NodeSet {

    private static final int MIN_CAPACITY = 8;

    private @Nullable TrieNode[] table = new TrieNode[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    private static int home(TrieNode node, int mask) {
        int x = System.identityHashCode(node) * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }

    boolean contains(TrieNode node) {
        int mask = table.length - 1;
        for (int i = home(node, mask); ; i = (i + 1) & mask) {
            TrieNode n = table[i];
            if (n == null) {
                return false;
            }
            if (n == node) {
                return true;
            }
        }
    }

    /** Adds {@code node}; returns false if it was present. */
    boolean add(TrieNode node) {
        if (contains(node)) {
            return false;
        }
        if ((size + 1) * 4 > table.length * 3) {
            rehash(table.length * 2);
        }
        insert(table, node);
        size++;
        return true;
    }

    private static void insert(@Nullable TrieNode[] t, TrieNode node) {
        int mask = t.length - 1;
        int i = home(node, mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = node;
    }

    private void rehash(int capacity) {
        @Nullable TrieNode[] grown = new TrieNode[capacity];
        for (TrieNode n : table) {
            if (n != null) {
                insert(grown, n);
            }
        }
        table = grown;
    }

    /** Removes {@code node}; returns false if it was absent. */
    boolean remove(TrieNode node) {
        int mask = table.length - 1;
        int hole = home(node, mask);
        while (table[hole] != node) {
            if (table[hole] == null) {
                return false;
            }
            hole = (hole + 1) & mask;
        }
        table[hole] = null;
        for (int j = (hole + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int h = home(table[j], mask);
            // Entry j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
            if (!stays) {
                table[hole] = table[j];
                table[j] = null;
                hole = j;
            }
        }
        size--;
        if (table.length > MIN_CAPACITY && size * 8 < table.length * 3 / 2) {
            // Below 3/16 full: halve (a mass withdrawal gives its memory back), which leaves it at most 3/8 full.
            int capacity = table.length / 2;
            while (capacity > MIN_CAPACITY && size * 8 < capacity * 3 / 2) {
                capacity /= 2;
            }
            rehash(capacity);
        }
        return true;
    }

    /** A snapshot of the members, in no particular order. */
    TrieNode[] toArray() {
        TrieNode[] out = new TrieNode[size];
        int j = 0;
        for (TrieNode n : table) {
            if (n != null) {
                out[j++] = n;
            }
        }
        return out;
    }

    /** Describes the first structural problem, or returns null. For {@code RouteIndex.validate()}. */
    @org.jspecify.annotations.Nullable
    String check() {
        int counted = 0;
        for (TrieNode n : table) {
            if (n != null) {
                counted++;
                if (!contains(n)) {
                    return "node set member unreachable by lookup";
                }
            }
        }
        if (counted != size || Integer.bitCount(table.length) != 1 || size * 4 > table.length * 3) {
            return "node set counts " + size + " but holds " + counted + " in " + table.length + " slots";
        }
        return null;
    }

    @Override
    public String toString() {
        return "NodeSet" + Arrays.toString(toArray());
    }
}
