package io.clink.core.internal.route;

import java.util.Arrays;

/**
 * Receives the destination clusters of one {@link RouteIndex#match(String, MatchSink)} call, each at most once.
 *
 * <p>A sink is owned by one thread (typically one per publisher thread) and reused across calls, so matching
 * allocates nothing in steady state: de-duplication uses an {@code int} stamp per interned cluster id compared with
 * a per-call generation, and the traversal stack lives here too. Both grow only when a new cluster or a deeper trie
 * is met for the first time. A sink must not be used by two threads at once, nor re-entered from {@link #accept}.
 *
 * @since 0.1.0
 */
public abstract class MatchSink {

    private int[] seen = new int[8];
    private int generation;

    // Traversal stack, owned by RouteIndex.match.
    TrieNode[] stackNodes = new TrieNode[16];
    int[] stackPos = new int[16];

    /**
     * Creates a sink.
     *
     * @since 0.1.0
     */
    protected MatchSink() {}

    /**
     * Called once per matched destination cluster, on the thread that called {@code match}, before {@code match}
     * returns. An exception thrown here ends the match and propagates to the caller; the index is unaffected.
     *
     * @param cluster the destination cluster name
     * @since 0.1.0
     */
    protected abstract void accept(String cluster);

    /** Starts a new call: every cluster becomes unseen again. */
    final void begin() {
        if (++generation == 0) {
            // The int wrapped: old stamps could collide with new generations, so forget them once every 2^32 calls.
            Arrays.fill(seen, 0);
            generation = 1;
        }
    }

    /** Delivers {@code clusterId} unless this call already delivered it. */
    final void offer(int clusterId, String[] names) {
        int[] s = seen;
        if (clusterId >= s.length) {
            seen = s = Arrays.copyOf(s, Math.max(clusterId + 1, s.length * 2));
        }
        if (s[clusterId] != generation) {
            s[clusterId] = generation;
            accept(names[clusterId]);
        }
    }

    void growStack() {
        int n = stackNodes.length * 2;
        stackNodes = Arrays.copyOf(stackNodes, n);
        stackPos = Arrays.copyOf(stackPos, n);
    }
}
