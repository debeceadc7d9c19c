package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The lane sets of rows: which actors of the row's cluster advertise it. Lanes below {@link #FIRST_LANE} are bits of
 * the row's lane mask; lanes {@link #FIRST_LANE} and up (more actors for one cluster than any real cluster has nodes)
 * live in an overflow table here, flagged by bit {@link #FLAG} of the mask, so rows of the common case carry no more
 * than their mask.
 *
 * <p>Invariants: every lane is in {@code [0, RouteIndex.MAX_LANES)}; an overflow entry exists exactly for the rows
 * whose mask has {@link #FLAG} set, and its set is non-empty and within {@code [FIRST_LANE, MAX_LANES)}. Rows are
 * unique per {@code (node, cluster id, code)} and nodes compare by identity, so that triple names a row.
 *
 * <p>Concurrency: writer only; readers never look at lanes.
 */
final class RowLanes {

    /** Lanes from this one on live here; the mask's bit of the same number flags that. */
    static final int FIRST_LANE = 63;

    /** Bit of a row's lane mask meaning "the row has lanes in the overflow table". */
    static final long FLAG = 1L << FIRST_LANE;

    /** Lanes from {@link #FIRST_LANE} on, of the rows whose mask has {@link #FLAG} set; never empty. */
    private final Map<Key, BitSet> overflow = new HashMap<>();

    /**
     * Rejects a lane outside {@code [0, MAX_LANES)}.
     *
     * @throws IllegalArgumentException naming the lane and the range
     */
    static void check(int lane) {
        if (lane < 0 || lane >= RouteIndex.MAX_LANES) {
            throw new IllegalArgumentException("lane must be in [0, " + (RouteIndex.MAX_LANES - 1) + "], got " + lane);
        }
    }

    /** {@code mask} of row {@code (node, clusterId, code)} with {@code lane} added (to the overflow table if high). */
    long withLane(TrieNode node, int clusterId, int code, long mask, int lane) {
        if (lane < FIRST_LANE) {
            return mask | (1L << lane);
        }
        overflow.computeIfAbsent(new Key(node, clusterId, code), k -> new BitSet())
                .set(lane);
        return mask | FLAG;
    }

    /**
     * {@code mask} of the row with {@code lane} cleared (the flag too if it was the row's last high lane); {@code mask}
     * itself if the row does not hold that lane.
     */
    long withoutLane(TrieNode node, int clusterId, int code, long mask, int lane) {
        if (lane < FIRST_LANE) {
            return mask & ~(1L << lane);
        }
        if ((mask & FLAG) == 0) {
            return mask;
        }
        Key key = new Key(node, clusterId, code);
        BitSet high = requireNonNull(overflow.get(key), "overflow lanes");
        if (!high.get(lane)) {
            return mask;
        }
        high.clear(lane);
        if (!high.isEmpty()) {
            return mask;
        }
        overflow.remove(key);
        return mask & ~FLAG;
    }

    /** True when the row with {@code mask} holds {@code lane}. */
    boolean holds(TrieNode node, int clusterId, int code, long mask, int lane) {
        if (lane < FIRST_LANE) {
            return (mask & (1L << lane)) != 0;
        }
        if ((mask & FLAG) == 0) {
            return false;
        }
        BitSet high = overflow.get(new Key(node, clusterId, code));
        return high != null && high.get(lane);
    }

    /** Forgets the high lanes of a row that goes, if its {@code mask} says it has any. */
    void forget(TrieNode node, int clusterId, int code, long mask) {
        if ((mask & FLAG) != 0) {
            overflow.remove(new Key(node, clusterId, code));
        }
    }

    /** Every lane of the row with {@code mask}: a fresh set. */
    BitSet all(TrieNode node, int clusterId, int code, long mask) {
        BitSet out = BitSet.valueOf(new long[] {mask & ~FLAG});
        if ((mask & FLAG) != 0) {
            out.or(requireNonNull(overflow.get(new Key(node, clusterId, code)), "overflow"));
        }
        return out;
    }

    /** The overflow-table lanes of a row, or null; for {@link RouteIndexInvariants}. */
    @Nullable
    BitSet overflowLanes(TrieNode node, int clusterId, int code) {
        return overflow.get(new Key(node, clusterId, code));
    }

    /** Number of rows with lanes in the overflow table. */
    int overflowRows() {
        return overflow.size();
    }

    private record Key(TrieNode node, int clusterId, int code) {}
}
