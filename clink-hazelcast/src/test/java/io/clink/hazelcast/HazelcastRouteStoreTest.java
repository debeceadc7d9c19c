package io.clink.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.clink.api.store.ActorInit;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import io.clink.testkit.Await;
import io.clink.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Member loss, wiring errors and the builder's validation. */
class HazelcastRouteStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long LEASE = 30_000;

    private static RouteOp add(String filter) {
        return new RouteOp(new RouteKey("eu", filter, filter.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** A node's index in miniature: route -> lanes, from the events. */
    private static final class Index implements RouteStore.Listener {
        final Map<String, Set<Integer>> lanes = new HashMap<>();
        volatile boolean ready;

        @Override
        public synchronized void onEvent(RouteEvent e) {
            if (e instanceof RouteEvent.LaneAdded a) {
                lanes.computeIfAbsent(a.route().filter(), f -> new HashSet<>()).add(a.lane());
            } else if (e instanceof RouteEvent.LaneDeleted d) {
                Set<Integer> s = lanes.get(d.route().filter());
                if (s != null && s.remove(d.lane()) && s.isEmpty()) {
                    lanes.remove(d.route().filter());
                }
            }
        }

        @Override
        public void onSnapshotComplete() {
            ready = true;
        }

        synchronized Set<String> routes() {
            return new HashSet<>(lanes.keySet());
        }
    }

    @Test
    void memberLoss_oneOfThreeTerminated_actorsAndRoutesSurviveAndSubscriptionsGoOn() throws InterruptedException {
        int[] ports = FreePorts.pick(3);
        List<String> members = new ArrayList<>();
        for (int p : ports) {
            members.add("127.0.0.1:" + p);
        }
        List<HazelcastInstance> hz = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Config cfg = HazelcastRouteStore.builder()
                        .clusterName("clink-loss")
                        .instanceName("loss-" + i)
                        .bind("127.0.0.1", ports[i])
                        .members(members)
                        .toConfig();
                hz.add(Hazelcast.newHazelcastInstance(cfg));
            }
            Await.until(
                    "three members",
                    WAIT,
                    () -> hz.get(2).getCluster().getMembers().size() == 3);
            RouteStore onFirst = HazelcastRouteStore.on(hz.get(0), "clink");
            RouteStore onSecond = HazelcastRouteStore.on(hz.get(1), "clink");
            RouteStore onThird = HazelcastRouteStore.on(hz.get(2), "clink");
            ActorKey actor = new ActorKey("eu", "eu-1");
            assertThat(onFirst.initActor(actor, 7, 0, LEASE)).isEqualTo(new ActorInit(ActorInit.Outcome.CREATED, 0));
            List<RouteOp> ops = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ops.add(add("t/" + i + "/#"));
            }
            assertThat(onFirst.applyRoutes(actor, 7, ops)).isTrue();
            Index index = new Index();
            RouteStore.Subscription sub = onSecond.subscribe(index);
            Await.until(
                    "the snapshot", WAIT, () -> index.ready && index.routes().size() == 200);

            hz.get(0).getLifecycleService().terminate();
            Await.until(
                    "two members left",
                    WAIT,
                    () -> hz.get(1).getCluster().getMembers().size() == 2);

            assertThat(onSecond.actor(actor).orElseThrow().incarnation()).isEqualTo(7);
            Index fresh = new Index();
            onThird.subscribe(fresh).close();
            assertThat(fresh.routes()).as("every route survived in a backup").hasSize(200);
            assertThat(onThird.heartbeat(actor, 7, 10, LEASE)).isTrue();
            assertThat(onThird.applyRoutes(actor, 7, List.of(add("after/#")))).isTrue();
            Await.until(
                    "a subscription on a survivor sees a later write",
                    WAIT,
                    () -> index.routes().contains("after/#"));
            assertThat(onThird.initActor(actor, 7, 20, LEASE).outcome())
                    .as("a reconnect to another node resumes the actor")
                    .isEqualTo(ActorInit.Outcome.RESUMED);
            sub.close();
        } finally {
            for (HazelcastInstance h : hz) {
                if (h.getLifecycleService().isRunning()) {
                    h.shutdown();
                }
            }
        }
    }

    @Test
    void on_memberNotConfiguredForTheStore_refusedNamingTheFix() {
        Config cfg = new Config().setClusterName("clink-bare").setInstanceName("bare");
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.getNetworkConfig().setPort(FreePorts.one()).setPortAutoIncrement(false);
        cfg.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        cfg.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        HazelcastInstance bare = Hazelcast.newHazelcastInstance(cfg);
        try {
            assertThatThrownBy(() -> HazelcastRouteStore.on(bare, "clink"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HazelcastRouteStore.configure");
        } finally {
            bare.shutdown();
        }
    }

    @Test
    void builder_badValues_refusedNamingThem() {
        HazelcastRouteStore.Builder b = HazelcastRouteStore.builder();
        assertThatThrownBy(() -> b.members(List.of("127.0.0.1")))
                .hasMessageContaining("member '127.0.0.1' must be host:port");
        assertThatThrownBy(() -> b.members(List.of("h:70000"))).hasMessageContaining("member 'h:70000' port");
        assertThatThrownBy(() -> b.bind("127.0.0.1", 0)).hasMessageContaining("bind port must be 1 to 65535, got 0");
        assertThatThrownBy(() -> b.backupCount(7)).hasMessageContaining("backupCount must be 0 to 6, got 7");
        assertThatThrownBy(() -> b.mapPrefix("a b")).hasMessageContaining("got 'a b'");
        assertThatThrownBy(() -> HazelcastRouteStore.configure(new Config(), "a*b*", 1))
                .hasMessageContaining("at most one '*'");
    }
}
