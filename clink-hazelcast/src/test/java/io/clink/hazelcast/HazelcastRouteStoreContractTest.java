package io.clink.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.clink.api.store.RouteStore;
import io.clink.testkit.RouteStoreContract;
import io.clink.testkit.net.FreePorts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The route store contract on a two-member Hazelcast cluster on loopback: each test gets fresh maps (a new prefix),
 * {@code newStore()} is a store on the first member and {@code otherNode} one on the second.
 */
class HazelcastRouteStoreContractTest extends RouteStoreContract {

    private static HazelcastInstance first;
    private static HazelcastInstance second;
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Map<RouteStore, String> PREFIX_OF = new ConcurrentHashMap<>();

    @BeforeAll
    static void startMembers() {
        int[] ports = FreePorts.pick(2);
        List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
        first = Hazelcast.newHazelcastInstance(config("contract-a", ports[0], members));
        second = Hazelcast.newHazelcastInstance(config("contract-b", ports[1], members));
    }

    static Config config(String name, int port, List<String> members) {
        Config cfg = HazelcastRouteStore.builder()
                .clusterName("clink-contract")
                .instanceName(name)
                .bind("127.0.0.1", port)
                .members(members)
                .toConfig();
        HazelcastRouteStore.configure(cfg, "t*", 1);
        return cfg;
    }

    @AfterAll
    static void stopMembers() {
        second.shutdown();
        first.shutdown();
    }

    @Override
    protected RouteStore newStore() {
        String prefix = "t" + PREFIXES.incrementAndGet();
        HazelcastRouteStore store = HazelcastRouteStore.on(first, prefix);
        PREFIX_OF.put(store, prefix);
        return store;
    }

    @Override
    protected RouteStore otherNode(RouteStore first) {
        return HazelcastRouteStore.on(second, PREFIX_OF.get(first));
    }
}
