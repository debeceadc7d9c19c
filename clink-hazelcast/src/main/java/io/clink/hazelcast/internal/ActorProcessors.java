package io.clink.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entry processors of the actor map (key: remote cluster, value: {@link ClusterActors}). Each runs on the
 * partition that owns the cluster's entry, one at a time, and again on its backups with the same arguments (they are
 * deterministic), so each is one atomic step however many nodes call it at once.
 */
public final class ActorProcessors {

    /** Outcome codes of {@link InitActor}, in {@code ActorInit.Outcome} order. */
    public static final int CREATED = 0;

    public static final int RESUMED = 1;
    public static final int REINCARNATED = 2;
    public static final int OUTDATED = 3;
    public static final int NO_FREE_LANE = 4;

    private ActorProcessors() {}

    /** What every step on one actor carries: its name, the incarnation the caller speaks for, and the time. */
    abstract static class ActorStep<R extends @Nullable Object> extends StoreData
            implements EntryProcessor<String, ClusterActors, R> {
        String actor = "";
        long incarnation;
        long now;

        ActorStep() {}

        ActorStep(String actor, long incarnation, long now) {
            this.actor = actor;
            this.incarnation = incarnation;
            this.now = now;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(actor);
            out.writeLong(incarnation);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            actor = String.valueOf(in.readString());
            incarnation = in.readLong();
            now = in.readLong();
        }
    }

    private static ClusterActors valueOf(Map.Entry<String, ClusterActors> entry) {
        ClusterActors v = entry.getValue();
        return v == null ? new ClusterActors() : v;
    }

    /**
     * The handshake. Returns {@code {outcome, lane, gen}}: the lane and the generation of its assignment when
     * accepted, {@code -1}s otherwise.
     */
    public static final class InitActor extends ActorStep<long[]> {
        private long lease;
        private int maxLanes;

        public InitActor() {}

        public InitActor(String actor, long incarnation, long now, long lease, int maxLanes) {
            super(actor, incarnation, now);
            this.lease = lease;
            this.maxLanes = maxLanes;
        }

        @Override
        public long[] process(Map.Entry<String, ClusterActors> entry) {
            ClusterActors v = valueOf(entry);
            ClusterActors.Actor a = v.actors().get(actor);
            int outcome;
            if (a == null) {
                int lane = v.lowestFreeLane();
                if (lane >= maxLanes) {
                    return new long[] {NO_FREE_LANE, -1, -1};
                }
                a = new ClusterActors.Actor(incarnation, lane, now + lease, v.takeGen());
                v.actors().put(actor, a);
                outcome = CREATED;
            } else if (incarnation == a.incarnation) {
                a.leaseUntil = now + lease;
                outcome = RESUMED;
            } else if (incarnation > a.incarnation) {
                a.incarnation = incarnation;
                a.leaseUntil = now + lease;
                a.gen = v.takeGen();
                outcome = REINCARNATED;
            } else {
                return new long[] {OUTDATED, -1, -1};
            }
            entry.setValue(v);
            return new long[] {outcome, a.lane, a.gen};
        }

        @Override
        public int getClassId() {
            return StoreSerialization.INIT_ACTOR;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            super.writeData(out);
            out.writeLong(lease);
            out.writeInt(maxLanes);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            super.readData(in);
            lease = in.readLong();
            maxLanes = in.readInt();
        }
    }

    /** Extends a lease if the incarnation is still the stored one. */
    public static final class Heartbeat extends ActorStep<Boolean> {
        private long lease;

        public Heartbeat() {}

        public Heartbeat(String actor, long incarnation, long now, long lease) {
            super(actor, incarnation, now);
            this.lease = lease;
        }

        @Override
        public Boolean process(Map.Entry<String, ClusterActors> entry) {
            ClusterActors v = entry.getValue();
            ClusterActors.Actor a = v == null ? null : v.actors().get(actor);
            if (v == null || a == null || a.incarnation != incarnation) {
                return Boolean.FALSE;
            }
            a.leaseUntil = now + lease;
            entry.setValue(v);
            return Boolean.TRUE;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.HEARTBEAT;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            super.writeData(out);
            out.writeLong(lease);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            super.readData(in);
            lease = in.readLong();
        }
    }

    /**
     * GC of one actor: removes it if it still has the incarnation and its lease ended before {@code now}. Returns
     * {@code {lane, gen}} of the removed assignment, or null if nothing was removed.
     */
    public static final class Expire extends ActorStep<long @Nullable []> {

        public Expire() {}

        public Expire(String actor, long incarnation, long now) {
            super(actor, incarnation, now);
        }

        @Override
        public long @Nullable [] process(Map.Entry<String, ClusterActors> entry) {
            ClusterActors v = entry.getValue();
            ClusterActors.Actor a = v == null ? null : v.actors().get(actor);
            if (v == null || a == null || a.incarnation != incarnation || a.leaseUntil >= now) {
                return null;
            }
            v.actors().remove(actor);
            entry.setValue(v);
            return new long[] {a.lane, a.gen};
        }

        @Override
        public int getClassId() {
            return StoreSerialization.EXPIRE;
        }
    }

    /** Removes every actor of the cluster, keeping its generation counter; returns the removed actors. */
    public static final class RemoveActors extends StoreData
            implements EntryProcessor<String, ClusterActors, ClusterActors> {

        public RemoveActors() {}

        @Override
        public ClusterActors process(Map.Entry<String, ClusterActors> entry) {
            ClusterActors removed = new ClusterActors();
            ClusterActors v = entry.getValue();
            if (v == null) {
                return removed;
            }
            removed.actors().putAll(v.actors());
            v.actors().clear();
            entry.setValue(v);
            return removed;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.REMOVE_ACTORS;
        }

        @Override
        public void writeData(ObjectDataOutput out) {}

        @Override
        public void readData(ObjectDataInput in) {}
    }
}
