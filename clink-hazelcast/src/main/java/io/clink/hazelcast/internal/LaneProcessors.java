package io.clink.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * The entry processors of the route map (key: {@link RouteEntryKey}, value: {@link LaneGens}). Each changes one
 * route entry atomically on its partition, and only stores a value when something changed, so a repeated op
 * produces no map event and no index event.
 */
public final class LaneProcessors {

    private LaneProcessors() {}

    /** Sets a lane under a generation (see {@link LaneGens#set}); returns whether the route's lanes changed. */
    public static final class SetLane extends StoreData implements EntryProcessor<RouteEntryKey, LaneGens, Boolean> {
        private int lane;
        private long gen;

        public SetLane() {}

        public SetLane(int lane, long gen) {
            this.lane = lane;
            this.gen = gen;
        }

        @Override
        public Boolean process(Map.Entry<RouteEntryKey, LaneGens> entry) {
            LaneGens v = entry.getValue();
            if (v == null) {
                v = new LaneGens();
            } else if (v.holdsAtLeast(lane, gen)) {
                return Boolean.FALSE; // held already under this generation or a newer one: nothing to store
            }
            boolean changed = v.set(lane, gen);
            entry.setValue(v);
            return changed;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.SET_LANE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(lane);
            out.writeLong(gen);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            lane = in.readInt();
            gen = in.readLong();
        }
    }

    /**
     * Clears a lane held under a generation up to {@code maxGen} (a delete of the writer's own assignment, or the
     * clearing of a lane whose assignment ended); removes the entry when no lane is left. Returns whether the lane
     * was cleared.
     */
    public static final class ClearLane extends StoreData implements EntryProcessor<RouteEntryKey, LaneGens, Boolean> {
        private int lane;
        private long maxGen;

        public ClearLane() {}

        public ClearLane(int lane, long maxGen) {
            this.lane = lane;
            this.maxGen = maxGen;
        }

        @Override
        public Boolean process(Map.Entry<RouteEntryKey, LaneGens> entry) {
            LaneGens v = entry.getValue();
            if (v == null || !v.clear(lane, maxGen)) {
                return Boolean.FALSE;
            }
            entry.setValue(v.isEmpty() ? null : v);
            return Boolean.TRUE;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.CLEAR_LANE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(lane);
            out.writeLong(maxGen);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            lane = in.readInt();
            maxGen = in.readLong();
        }
    }
}
