package io.clink.hazelcast.internal;

import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Every stored or sent type of the route store: serialized by {@link StoreSerialization}, known by its class id. */
abstract class StoreData implements IdentifiedDataSerializable {

    @Override
    public final int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }
}
