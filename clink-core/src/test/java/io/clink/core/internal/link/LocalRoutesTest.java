package io.clink.core.internal.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.topic.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalRoutesTest {

    private final List<String> events = new ArrayList<>();
    private final LocalRoutes routes = new LocalRoutes(true);

    {
        routes.addListener(recorder(events, ""));
    }

    /** A listener that records "+route" and "-route", each prefixed with {@code tag}. */
    private static LocalRouteListener recorder(List<String> events, String tag) {
        return new LocalRouteListener() {
            @Override
            public void routeAdded(Subscription route) {
                events.add(tag + "+" + route.routeId());
            }

            @Override
            public void routeRemoved(Subscription route) {
                events.add(tag + "-" + route.routeId());
            }
        };
    }

    private static Subscription sub(String s) {
        return Subscription.parse(s);
    }

    @Test
    void subscribe_firstAndLastHolder_onlyTheyReachListener() {
        routes.subscribe("c1", sub("t/#"));
        routes.subscribe("c2", sub("t/#"));
        routes.unsubscribe("c1", sub("t/#"));
        routes.unsubscribe("c2", sub("t/#"));

        assertThat(events).containsExactly("+t/#", "-t/#");
    }

    @Test
    void subscribe_sameClientTwice_countedOnce() {
        routes.subscribe("c1", sub("t/#"));
        routes.subscribe("c1", sub("t/#"));
        routes.unsubscribe("c1", sub("t/#"));

        assertThat(events).containsExactly("+t/#", "-t/#");
        assertThat(routes.routes()).isEmpty();
    }

    @Test
    void subscribe_sharedGroupsAndPlainOnSameFilter_areDistinctRoutes() {
        routes.subscribe("c1", sub("$share/g1/t/+"));
        routes.subscribe("c2", sub("$share/g2/t/+"));
        routes.subscribe("c3", sub("t/+"));
        routes.subscribe("c4", sub("$queue/t/+"));

        assertThat(events).containsExactly("+$s/g1/t/+", "+$s/g2/t/+", "+t/+", "+$s/$queue/t/+");
    }

    @Test
    void unsubscribe_unknown_ignored() {
        routes.unsubscribe("nobody", sub("t/#"));

        assertThat(events).isEmpty();
    }

    @Test
    void sessionEnd_dropsEveryRouteOnlyThatClientHeld() {
        routes.subscribe("c1", sub("a"));
        routes.subscribe("c1", sub("b"));
        routes.subscribe("c2", sub("b"));

        routes.sessionEnd("c1");

        assertThat(events).containsExactly("+a", "+b", "-a");
        assertThat(routes.holders(sub("b"))).isEqualTo(1);
    }

    @Test
    void applyResync_sessionDroppedWithoutEvents_routesRemoved() {
        routes.subscribe("c1", sub("a"));
        routes.subscribe("c2", sub("b"));
        long token = routes.beginResync();

        LocalRoutes.ResyncResult r = routes.applyResync(token, Map.of("c2", List.of(sub("b"), sub("c"))));

        assertThat(events.subList(2, events.size())).containsExactlyInAnyOrder("-a", "+c");
        assertThat(r.added()).isEqualTo(1);
        assertThat(r.removed()).isEqualTo(1);
        assertThat(routes.routes()).containsExactlyInAnyOrder(sub("b"), sub("c"));
    }

    @Test
    void applyResync_clientTouchedAfterSnapshotStarted_keepsNewerEventState() {
        routes.subscribe("c1", sub("a"));
        long token = routes.beginResync();
        // Snapshot read here still shows c1 on "a"; then the client unsubscribes and subscribes "z".
        routes.unsubscribe("c1", sub("a"));
        routes.subscribe("c2", sub("z"));

        routes.applyResync(token, Map.of("c1", List.of(sub("a"))));

        assertThat(routes.routes()).containsExactly(sub("z"));
    }

    @Test
    void abortResync_keepsEventState() {
        routes.subscribe("c1", sub("a"));
        routes.beginResync();
        routes.unsubscribe("c1", sub("a"));

        routes.abortResync();

        assertThat(routes.routes()).isEmpty();
        assertThat(events).containsExactly("+a", "-a");
    }

    @Test
    void addListener_twoListeners_eachSeesEveryChangeFromRegistrationOn() {
        routes.subscribe("c1", sub("early"));
        List<String> second = new ArrayList<>();
        routes.addListener(recorder(second, "2"));

        routes.subscribe("c1", sub("late"));
        routes.unsubscribe("c1", sub("early"));
        routes.unsubscribe("c1", sub("late"));

        assertThat(events).containsExactly("+early", "+late", "-early", "-late");
        assertThat(second).containsExactly("2+late", "2-early", "2-late");
    }

    @Test
    void removeListener_removed_hearsNothingMoreAndOthersStillDo() {
        List<String> second = new ArrayList<>();
        LocalRouteListener listener = recorder(second, "2");
        routes.addListener(listener);
        routes.subscribe("c1", sub("a"));

        routes.removeListener(listener);
        routes.subscribe("c1", sub("b"));

        assertThat(second).containsExactly("2+a");
        assertThat(events).containsExactly("+a", "+b");
    }

    @Test
    void removeListener_unknown_ignored() {
        routes.removeListener(recorder(new ArrayList<>(), "x"));
        routes.subscribe("c1", sub("a"));

        assertThat(events).containsExactly("+a");
    }

    @Test
    void routeOf_linkTopicOrInvalidFilter_null() {
        assertThat(routes.routeOf("us", "c1", "$LINK/cluster/resp/us/actor")).isNull();
        assertThat(routes.routeOf("us", "c1", "a/#/b")).isNull();
        assertThat(routes.routeOf("us", "c1", "")).isNull();
    }

    @Test
    void routeOf_plainAndShared_parsed() {
        assertThat(routes.routeOf("us", "c1", "t/+")).isEqualTo(sub("t/+"));
        assertThat(routes.routeOf("us", "c1", "$share/g/t/#")).isEqualTo(sub("$share/g/t/#"));
    }

    @Test
    void routeOf_queueOnBrokerWithQueues_sharedGroupQueue() {
        assertThat(routes.routeOf("us", "c1", "$queue/t/#")).isEqualTo(sub("$share/$queue/t/#"));
    }

    @Test
    void routeOf_queueOnBrokerWithoutQueues_null() {
        LocalRoutes plain = new LocalRoutes(false);

        assertThat(plain.routeOf("us", "c1", "$queue/t/#")).isNull();
        assertThat(plain.routeOf("us", "c2", "$queue/x")).isNull();
        assertThat(plain.routeOf("us", "c1", "$share/g/t/#")).isEqualTo(sub("$share/g/t/#"));
        assertThat(plain.routeOf("us", "c1", "$queue")).isEqualTo(sub("$queue"));
    }

    /**
     * Model check: with random events, lost events and resyncs, the listener's net view always equals the routes,
     * and right after a resync with no concurrent events the routes equal the broker's truth.
     */
    @Test
    void randomEventsWithLossAndResync_listenerViewMatchesRoutesAndConvergesToTruth() {
        for (long seed = 0; seed < 100; seed++) {
            Random rnd = new Random(seed);
            Set<String> view = new HashSet<>();
            LocalRoutes table = new LocalRoutes(true);
            table.addListener(new LocalRouteListener() {
                @Override
                public void routeAdded(Subscription route) {
                    assertThat(view.add(route.routeId()))
                            .as("added twice: %s", route)
                            .isTrue();
                }

                @Override
                public void routeRemoved(Subscription route) {
                    assertThat(view.remove(route.routeId()))
                            .as("removed while absent: %s", route)
                            .isTrue();
                }
            });
            Map<String, Set<Subscription>> truth = new HashMap<>();
            String[] subs = {"a", "b/+", "$share/g/b/+", "$queue/c", "c/#"};
            for (int step = 0; step < 200; step++) {
                String client = "c" + rnd.nextInt(6);
                Subscription s = sub(subs[rnd.nextInt(subs.length)]);
                boolean lost = rnd.nextInt(5) == 0;
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> {
                        truth.computeIfAbsent(client, k -> new HashSet<>()).add(s);
                        if (!lost) {
                            table.subscribe(client, s);
                        }
                    }
                    case 2 -> {
                        truth.getOrDefault(client, new HashSet<>()).remove(s);
                        if (!lost) {
                            table.unsubscribe(client, s);
                        }
                    }
                    default -> {
                        truth.remove(client);
                        if (!lost) {
                            table.sessionEnd(client);
                        }
                    }
                }
                Set<String> ids = new HashSet<>();
                table.routes().forEach(r -> ids.add(r.routeId()));
                assertThat(view).as("seed %d step %d", seed, step).isEqualTo(ids);
                if (rnd.nextInt(20) == 0) {
                    long token = table.beginResync();
                    Map<String, Set<Subscription>> snapshot = new HashMap<>();
                    truth.forEach((c, set) -> snapshot.put(c, new HashSet<>(set)));
                    table.applyResync(token, snapshot);
                    Set<Subscription> expected = new HashSet<>();
                    truth.values().forEach(expected::addAll);
                    assertThat(table.routes()).as("seed %d step %d", seed, step).isEqualTo(expected);
                }
            }
        }
    }
}
