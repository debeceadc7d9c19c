package io.clink.hazelcast.internal;

import com.hazelcast.config.Config;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The factory of every type the route store puts on the wire or in a map. Identified serialization (a factory id and
 * a class id instead of class names) is compact, fast, and needs no class loading by name inside a broker.
 */
public final class StoreSerialization implements DataSerializableFactory {

    /** clink's factory id; a Hazelcast cluster that hosts other applications must not use it for anything else. */
    public static final int FACTORY_ID = 0x0C11_4C01;

    static final int ROUTE_ENTRY_KEY = 1;
    static final int LANE_GENS = 2;
    static final int CLUSTER_ACTORS = 3;
    static final int INIT_ACTOR = 4;
    static final int HEARTBEAT = 5;
    static final int EXPIRE = 6;
    static final int REMOVE_ACTORS = 7;
    static final int SET_LANE = 8;
    static final int CLEAR_LANE = 9;

    /**
     * Registers the factory in a member's configuration.
     *
     * @param config the configuration to change
     */
    public static void register(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(FACTORY_ID, new StoreSerialization());
    }

    /**
     * Whether a configuration has this factory registered.
     *
     * @param config a member's configuration
     * @return true if registered
     */
    public static boolean isRegistered(Config config) {
        return config.getSerializationConfig().getDataSerializableFactories().get(FACTORY_ID)
                instanceof StoreSerialization;
    }

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        switch (typeId) {
            case ROUTE_ENTRY_KEY:
                return new RouteEntryKey();
            case LANE_GENS:
                return new LaneGens();
            case CLUSTER_ACTORS:
                return new ClusterActors();
            case INIT_ACTOR:
                return new ActorProcessors.InitActor();
            case HEARTBEAT:
                return new ActorProcessors.Heartbeat();
            case EXPIRE:
                return new ActorProcessors.Expire();
            case REMOVE_ACTORS:
                return new ActorProcessors.RemoveActors();
            case SET_LANE:
                return new LaneProcessors.SetLane();
            case CLEAR_LANE:
                return new LaneProcessors.ClearLane();
            default:
                throw new IllegalArgumentException("unknown clink route store type " + typeId);
        }
    }
}
