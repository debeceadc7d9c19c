package io.clink.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.partition.PartitionAware;
import io.clink.api.store.RouteKey;
import java.io.IOException;
import java.util.Arrays;

/**
 * A route map key: cluster, filter and route id. Hazelcast compares keys by their serialized bytes; {@link
 * #getCluster()} is the attribute the map's index and the lane-clearing queries use ({@code __key.cluster}).
 */
public final class RouteEntryKey extends StoreData implements PartitionAware<String> {

    /** Partitions one cluster's routes are spread over. */
    public static final int SHARDS = 16;

    private String cluster = "";
    private String filter = "";
    private byte[] routeId = new byte[0];

    /** For deserialization. */
    public RouteEntryKey() {}

    /** @param route the route */
    public RouteEntryKey(RouteKey route) {
        this.cluster = route.cluster();
        this.filter = route.filter();
        this.routeId = route.routeId();
    }

    /** The attribute {@code __key.cluster}. */
    public String getCluster() {
        return cluster;
    }

    /**
     * The partition key: the cluster and one of {@link #SHARDS} shards by the route's hash. A route batch then
     * touches at most {@code SHARDS} partitions instead of nearly all of them (each partition touched costs one
     * operation and its backup round trip, which dominated the cost of a 4,000-op batch at Hazelcast's 271
     * partitions), while a cluster's routes still spread over up to {@code SHARDS} partitions and so over the
     * members.
     */
    @Override
    public String getPartitionKey() {
        return cluster + "#" + Math.floorMod(hashCode(), SHARDS);
    }

    /** The public form. */
    public RouteKey toRouteKey() {
        return new RouteKey(cluster, filter, routeId);
    }

    @Override
    public int getClassId() {
        return StoreSerialization.ROUTE_ENTRY_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(cluster);
        out.writeString(filter);
        out.writeByteArray(routeId);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        cluster = String.valueOf(in.readString());
        filter = String.valueOf(in.readString());
        byte[] id = in.readByteArray();
        routeId = id == null ? new byte[0] : id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteEntryKey k
                && cluster.equals(k.cluster)
                && filter.equals(k.filter)
                && Arrays.equals(routeId, k.routeId);
    }

    @Override
    public int hashCode() {
        return (cluster.hashCode() * 31 + filter.hashCode()) * 31 + Arrays.hashCode(routeId);
    }

    @Override
    public String toString() {
        return cluster + ":" + filter + "#" + routeId.length + "b";
    }
}
