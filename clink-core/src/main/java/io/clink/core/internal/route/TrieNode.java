package io.clink.core.internal.route;

import org.jspecify.annotations.Nullable;

/**
 * One level of the route trie: its key, its children and its rows, each in a compact encoding of its own
 * ({@link LevelKeys}, {@link ExactChildren}, {@link PackedRows}). See {@link RouteIndex} for the trie's invariants.
 *
 * <p>Invariants: a {@code #} node has no children; {@code plus} and {@code multi} children carry
 * {@link LevelKeys#PLUS} and {@link LevelKeys#MULTI} keys, exact children exact keys; {@code parent} and {@code key}
 * never change; a node is never reused once unlinked.
 *
 * <p>Concurrency: fields are split by audience. {@code children}, {@code plus}, {@code multi} and {@code clusters} are
 * read by lock-free readers, so every change to them is a release store (a volatile field here, or a slot of a
 * published {@link ExactChildren.Table}) of an object that is not mutated afterwards, the table's slots excepted as
 * {@link ExactChildren} explains. {@code rows} and every method but {@link #findChild} belong to the single writer.
 */
final class TrieNode {

    // Memory matters here (about one node per route at a million routes), so a node carries no hash, no counters and
    // no per-row objects: 7 reference fields, 40 bytes with compressed oops.

    /** A {@link LevelKeys} key: {@code byte[]} or {@code char[]} for an exact level, PLUS, MULTI; null at root. */
    final @Nullable Object key;

    final @Nullable TrieNode parent;

    /** The exact children in an {@link ExactChildren} encoding. */
    volatile @Nullable Object children;

    volatile @Nullable TrieNode plus;

    volatile @Nullable TrieNode multi;

    /** Distinct cluster ids with at least one row here; immutable once published; null when there is no row. */
    volatile int @Nullable [] clusters;

    /** Writer-only: the rows in a {@link PackedRows} encoding. */
    @Nullable
    Object rows;

    TrieNode(@Nullable TrieNode parent, @Nullable Object key) {
        this.parent = parent;
        this.key = key;
    }

    /** True when the writer may prune this node: no rows and no children of any kind. */
    boolean isEmpty() {
        return rows == null && children == null && plus == null && multi == null;
    }

    /** The level text of an exact node, a wildcard's text, or "" for the root. Cold path (listing, validation). */
    String levelText() {
        return LevelKeys.text(key);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Children

    /** Finds the exact child for level {@code s[from, to)} whose hash is {@code h}. Lock-free, allocation-free. */
    @Nullable
    TrieNode findChild(String s, int from, int to, int h) {
        return ExactChildren.find(children, s, from, to, h);
    }

    /** Adds an exact child known to be absent. Writer only. */
    void addChild(TrieNode child) {
        Object ch = children;
        Object next = ExactChildren.with(ch, child);
        if (next != ch) {
            children = next;
        }
    }

    /** Removes an exact child (by identity); the node must be present. Writer only. */
    void removeChild(TrieNode child) {
        Object ch = children;
        Object next = ExactChildren.without(ch, child);
        if (next != ch) {
            children = next;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows (writer only)

    int rowCount() {
        return PackedRows.count(rows);
    }

    int rowCluster(int i) {
        return PackedRows.cluster(PackedRows.data(rows), i);
    }

    long rowLanes(int i) {
        return PackedRows.lanes(PackedRows.data(rows), i);
    }

    /** The row's route-id code: {@link RouteIdCodes#SAME_AS_FILTER} or a code of the index's id table. */
    int rowCode(int i) {
        return PackedRows.code(PackedRows.data(rows), i);
    }

    /** Index of the row {@code (clusterId, code)}, or -1. */
    int findRow(int clusterId, int code) {
        return PackedRows.find(rows, clusterId, code);
    }

    boolean hasRowOf(int clusterId) {
        return PackedRows.hasRowOf(rows, clusterId);
    }

    void setRowLanes(int i, long lanes) {
        rows = PackedRows.withLanes(rows, i, lanes);
    }

    /** Appends a row known to be absent. */
    void appendRow(int clusterId, int code, long lanes) {
        rows = PackedRows.withRow(rows, clusterId, code, lanes);
    }

    /** Removes row {@code i}; the last row takes its index. Frees the rows when the last one goes. */
    void removeRow(int i) {
        rows = PackedRows.without(rows, i);
    }
}
