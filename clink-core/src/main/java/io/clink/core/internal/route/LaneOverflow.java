package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lanes {@link #FIRST_LANE} and up of the rows that have any: more actors for one cluster than any real cluster has
 * nodes, so rows of the common case carry no more than their lane mask, whose bit {@link #FLAG} says "look here".
 *
 * <p>Invariants: an entry exists exactly for the rows whose mask has {@link #FLAG} set, and its set is non-empty and
 * within {@code [FIRST_LANE, RouteIndex.MAX_LANES)}. Rows are unique per {@code (node, cluster id, code)} and nodes
 * compare by identity, so that triple names a row.
 *
 * <p>Concurrency: writer only; readers never look at lanes.
 */
final class LaneOverflow {

    /** Lanes from this one on live here; the mask's bit of the same number flags that. */
    static final int FIRST_LANE = 63;

    /** Bit of a row's lane mask meaning "the row has lanes in the overflow table". */
    static final long FLAG = 1L << FIRST_LANE;

    private final Map<Key, BitSet> lanes = new HashMap<>();

    /** {@code mask} of row {@code (node, clusterId, code)} with {@code lane} added (here if high). */
    long withLane(TrieNode node, int clusterId, int code, long mask, int lane) {
        if (lane < FIRST_LANE) {
            return mask | (1L << lane);
        }
        lanes.computeIfAbsent(new Key(node, clusterId, code), k -> new BitSet()).set(lane);
        return mask | FLAG;
    }

    /**
     * {@code mask} of the row with the high {@code lane} cleared, the flag too if it was the row's last high lane;
     * {@code mask} itself if the row does not hold that lane.
     */
    long withoutLane(TrieNode node, int clusterId, int code, long mask, int lane) {
        if ((mask & FLAG) == 0) {
            return mask;
        }
        Key key = new Key(node, clusterId, code);
        BitSet high = requireNonNull(lanes.get(key), "overflow lanes");
        if (!high.get(lane)) {
            return mask;
        }
        high.clear(lane);
        if (!high.isEmpty()) {
            return mask;
        }
        lanes.remove(key);
        return mask & ~FLAG;
    }

    /** True when the row with {@code mask} holds the high {@code lane}. */
    boolean holds(TrieNode node, int clusterId, int code, long mask, int lane) {
        if ((mask & FLAG) == 0) {
            return false;
        }
        BitSet high = lanes.get(new Key(node, clusterId, code));
        return high != null && high.get(lane);
    }

    /** Forgets the high lanes of a row that goes, if its {@code mask} says it has any. */
    void forget(TrieNode node, int clusterId, int code, long mask) {
        if ((mask & FLAG) != 0) {
            lanes.remove(new Key(node, clusterId, code));
        }
    }

    /** Every lane of the row with {@code mask}: a fresh set. */
    BitSet all(TrieNode node, int clusterId, int code, long mask) {
        BitSet out = BitSet.valueOf(new long[] {mask & ~FLAG});
        if ((mask & FLAG) != 0) {
            out.or(requireNonNull(lanes.get(new Key(node, clusterId, code)), "overflow"));
        }
        return out;
    }

    /** The high lanes of a row, or null; for {@link RouteIndexInvariants}. */
    @Nullable BitSet get(TrieNode node, int clusterId, int code) {
        return lanes.get(new Key(node, clusterId, code));
    }

    /** Rows with high lanes. */
    int size() {
        return lanes.size();
    }

    private record Key(TrieNode node, int clusterId, int code) {}
}
