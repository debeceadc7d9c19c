package io.clink.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * An actor map value: every actor of one remote cluster, and the cluster's next lane generation. Keeping a cluster's
 * actors in one entry makes each handshake, heartbeat and expiry one entry processor on one key, so the incarnation
 * check and the choice of the lowest free lane are one atomic step cluster-wide. A cluster has at most {@code
 * RouteStore.MAX_LANES} actors (in practice one per node of the remote region), so the entry stays small. The entry
 * outlives its actors (the generation counter must never go back).
 */
public final class ClusterActors extends StoreData {

    /** One actor. */
    public static final class Actor {
        public long incarnation;
        public int lane;
        public long leaseUntil;
        public long gen;

        Actor(long incarnation, int lane, long leaseUntil, long gen) {
            this.incarnation = incarnation;
            this.lane = lane;
            this.leaseUntil = leaseUntil;
            this.gen = gen;
        }
    }

    private long nextGen = 1;
    private final Map<String, Actor> actors = new TreeMap<>();

    /** For deserialization and new entries. */
    public ClusterActors() {}

    /** The actors by name; a live view. */
    public Map<String, Actor> actors() {
        return actors;
    }

    long takeGen() {
        return nextGen++;
    }

    int lowestFreeLane() {
        BitSet used = new BitSet();
        for (Actor a : actors.values()) {
            used.set(a.lane);
        }
        return used.nextClearBit(0);
    }

    @Override
    public int getClassId() {
        return StoreSerialization.CLUSTER_ACTORS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(nextGen);
        out.writeInt(actors.size());
        for (Map.Entry<String, Actor> e : actors.entrySet()) {
            Actor a = e.getValue();
            out.writeString(e.getKey());
            out.writeLong(a.incarnation);
            out.writeInt(a.lane);
            out.writeLong(a.leaseUntil);
            out.writeLong(a.gen);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        nextGen = in.readLong();
        int n = in.readInt();
        actors.clear();
        for (int i = 0; i < n; i++) {
            String name = String.valueOf(in.readString());
            actors.put(name, new Actor(in.readLong(), in.readInt(), in.readLong(), in.readLong()));
        }
    }
}
