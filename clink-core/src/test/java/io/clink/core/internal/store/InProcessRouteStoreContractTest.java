package io.clink.core.internal.store;

import io.clink.api.store.RouteStore;
import io.clink.testkit.RouteStoreContract;

/** The store contract against the in-process store; "another node" is the same instance, as on a single node. */
class InProcessRouteStoreContractTest extends RouteStoreContract {

    @Override
    protected RouteStore newStore() {
        return new InProcessRouteStore();
    }

    @Override
    protected RouteStore otherNode(RouteStore first) {
        return first;
    }
}
