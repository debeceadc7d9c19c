package io.clink.core.internal.route;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The writer's walks along the path of a topic filter: validating the filter, finding or building its nodes, pruning
 * the nodes that became empty, and spelling a node's filter back.
 *
 * <p>Invariants kept: every non-root node has a row or a child once a write returns (empty nodes are pruned at once);
 * nodes are never reused, a path re-added later gets new nodes; level keys are immutable and, through a small cache
 * of recently created keys, shared between nodes spelling the same level.
 *
 * <p>Concurrency: writer only. A new node is fully built (parent and key are final) before it is linked by a release
 * store ({@code plus}, {@code multi}, or {@link TrieNode#addChild}); pruning unlinks by release stores too, so a
 * reader sees either the old or the new path, both valid.
 */
final class TriePaths {

    /** Slots of the level-key cache (a power of two). */
    static final int KEY_CACHE = 2048;

    /**
     * Recently created level keys, direct-mapped by hash: a new node whose level was seen recently ({@code device},
     * {@code telemetry}, {@code d-0042}) shares the existing immutable key instead of a copy. Sharing is safe because
     * keys are never written after creation; a key that outlives its nodes here is bounded garbage.
     */
    private final @Nullable Object[] keyCache = new Object[KEY_CACHE];

    /**
     * Rejects what MQTT forbids in a filter, before anything is changed.
     *
     * @throws IllegalArgumentException naming the filter and what is wrong with it
     */
    static void check(String filter) {
        int len = filter.length();
        if (len == 0) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        int start = 0;
        for (int i = 0; i <= len; i++) {
            char c = i < len ? filter.charAt(i) : '/';
            if (c == '/') {
                start = i + 1;
            } else if (c == '#') {
                if (i != start || i != len - 1) {
                    throw new IllegalArgumentException(
                            "invalid topic filter '" + filter + "': '#' must be a whole level and the last one");
                }
            } else if (c == '+') {
                if (i != start || (i + 1 < len && filter.charAt(i + 1) != '/')) {
                    throw new IllegalArgumentException(
                            "invalid topic filter '" + filter + "': '+' must be a whole level");
                }
            } else if (c == '\u0000') {
                throw new IllegalArgumentException("invalid topic filter '" + filter + "': contains U+0000");
            }
        }
    }

    /** Walks from {@code root} (and with {@code create}, builds) the path of a checked filter; null if absent. */
    @Nullable
    TrieNode descend(TrieNode root, String filter, boolean create) {
        TrieNode node = root;
        int len = filter.length();
        int pos = 0;
        while (true) {
            int end = filter.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            TrieNode next;
            if (end - pos == 1 && filter.charAt(pos) == '+') {
                next = node.plus;
                if (next == null && create) {
                    next = new TrieNode(node, LevelKeys.PLUS);
                    node.plus = next;
                }
            } else if (end - pos == 1 && filter.charAt(pos) == '#') {
                next = node.multi;
                if (next == null && create) {
                    next = new TrieNode(node, LevelKeys.MULTI);
                    node.multi = next;
                }
            } else {
                int h = LevelKeys.hash(filter, pos, end);
                next = node.findChild(filter, pos, end, h);
                if (next == null && create) {
                    next = new TrieNode(node, internKey(filter, pos, end, h));
                    node.addChild(next);
                }
            }
            if (next == null) {
                return null;
            }
            node = next;
            if (end == len) {
                return node;
            }
            pos = end + 1;
        }
    }

    /** Unlinks {@code node} and then each ancestor that became empty. */
    static void prune(TrieNode node) {
        while (node.parent != null && node.isEmpty()) {
            TrieNode parent = node.parent;
            if (node.key == LevelKeys.PLUS) {
                parent.plus = null;
            } else if (node.key == LevelKeys.MULTI) {
                parent.multi = null;
            } else {
                parent.removeChild(node);
            }
            node = parent;
        }
    }

    /** The filter whose path ends at {@code node}. Cold path. */
    static String filterOf(TrieNode node) {
        ArrayDeque<String> levels = new ArrayDeque<>();
        for (TrieNode n = node; n.parent != null; n = n.parent) {
            levels.push(n.levelText());
        }
        return String.join("/", levels);
    }

    /** Level key for a new node: the cached instance when one spells the same level, else a fresh one. */
    private Object internKey(String filter, int from, int to, int hash) {
        int slot = (hash ^ (hash >>> 16)) & (KEY_CACHE - 1);
        Object k = keyCache[slot];
        if (k == null || !LevelKeys.equals(k, filter, from, to)) {
            k = LevelKeys.make(filter, from, to);
            keyCache[slot] = k;
        }
        return k;
    }
}
