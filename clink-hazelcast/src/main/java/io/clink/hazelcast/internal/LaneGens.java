package io.clink.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A route map value: the lanes holding the route, each with the generation of the actor assignment that set it.
 * Lanes are sorted; a route has one lane per actor of its cluster advertising it, so a handful at most.
 *
 * <p>The generation is what makes lane writes safe without a cross-partition transaction: a lane number is reused
 * when an actor expires or is reincarnated, but each assignment of a lane gets a new, greater generation from its
 * cluster's actor entry. A write carries the writer's generation; a lane already set by a newer generation is left
 * alone, and a clear removes only generations up to the one it names. So a writer whose actor was reincarnated or
 * collected between its fencing check and its write can leave a lane only under its own, dead generation, which the
 * next clear of that lane removes.
 */
public final class LaneGens extends StoreData {

    private int[] lanes = new int[0];
    private long[] gens = new long[0];

    /** For deserialization and new entries. */
    public LaneGens() {}

    /** The lanes as a bit set, for the event diffs. */
    public BitSet lanes() {
        BitSet b = new BitSet();
        for (int lane : lanes) {
            b.set(lane);
        }
        return b;
    }

    boolean isEmpty() {
        return lanes.length == 0;
    }

    /** Sets {@code lane} under {@code gen} unless a generation at least as new holds it; true if the lanes changed. */
    boolean set(int lane, long gen) {
        int i = Arrays.binarySearch(lanes, lane);
        if (i >= 0) {
            if (gens[i] < gen) {
                gens[i] = gen; // the same lane, now the newer assignment's: stored, but no lane changed
            }
            return false;
        }
        int at = -i - 1;
        int[] l = new int[lanes.length + 1];
        long[] g = new long[gens.length + 1];
        System.arraycopy(lanes, 0, l, 0, at);
        System.arraycopy(gens, 0, g, 0, at);
        l[at] = lane;
        g[at] = gen;
        System.arraycopy(lanes, at, l, at + 1, lanes.length - at);
        System.arraycopy(gens, at, g, at + 1, gens.length - at);
        lanes = l;
        gens = g;
        return true;
    }

    /** Whether {@code lane} is held under {@code gen} or a newer generation: a write of {@code gen} changes nothing. */
    boolean holdsAtLeast(int lane, long gen) {
        int i = Arrays.binarySearch(lanes, lane);
        return i >= 0 && gens[i] >= gen;
    }

    /** Removes {@code lane} if its generation is at most {@code maxGen}; true if it was removed. */
    boolean clear(int lane, long maxGen) {
        int i = Arrays.binarySearch(lanes, lane);
        if (i < 0 || gens[i] > maxGen) {
            return false;
        }
        int[] l = new int[lanes.length - 1];
        long[] g = new long[gens.length - 1];
        System.arraycopy(lanes, 0, l, 0, i);
        System.arraycopy(gens, 0, g, 0, i);
        System.arraycopy(lanes, i + 1, l, i, lanes.length - i - 1);
        System.arraycopy(gens, i + 1, g, i, gens.length - i - 1);
        lanes = l;
        gens = g;
        return true;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.LANE_GENS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeIntArray(lanes);
        out.writeLongArray(gens);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int[] l = in.readIntArray();
        long[] g = in.readLongArray();
        lanes = l == null ? new int[0] : l;
        gens = g == null ? new long[0] : g;
    }

    @Override
    public String toString() {
        return "lanes " + Arrays.toString(lanes) + " gens " + Arrays.toString(gens);
    }
}
