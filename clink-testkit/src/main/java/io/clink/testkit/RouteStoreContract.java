package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clink.api.store.ActorInit;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link RouteStore} contract suite: every promise of the {@link RouteStore} Javadoc, checked against a store
 * implementation. A store author extends this class and implements {@link #newStore()} (a store over fresh, empty
 * data) and {@link #otherNode(RouteStore)} (another node's store over the same data: for an in-process store the same
 * instance, for a distributed one a store on another member); JUnit 5 runs the inherited tests.
 *
 * <p>What it checks: the handshake outcomes and lanes (lowest free lane per cluster, same lane when resumed or
 * reincarnated, a lane freed by expiry reused), fencing of stale incarnations in heartbeats and route ops,
 * idempotent route ops, a route living while any lane holds it, reincarnation and expiry clearing the old lane's
 * routes, GC through {@code expireIfStillExpired} won by exactly one of racing callers, concurrent handshakes of one
 * actor agreeing on one lane, {@code removeCluster}, a subscription's snapshot followed by live changes without a gap
 * while a writer runs, and a route written through one node seen by another node's subscription. Time is passed in
 * as numbers; every concurrent part is bounded in threads and time.
 *
 * @since 0.1.0
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RouteStoreContract {

    private static final long LEASE = 30_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Creates the contract; JUnit does. */
    protected RouteStoreContract() {}

    /**
     * A store over fresh, empty data; closed after the test.
     *
     * @return the store
     * @throws Exception if it cannot be made
     */
    protected abstract RouteStore newStore() throws Exception;

    /**
     * Another node's store over the same data as {@code first}; closed after the test unless it is {@code first}.
     *
     * @param first a store from {@link #newStore()}
     * @return the other node's store
     * @throws Exception if it cannot be made
     */
    protected abstract RouteStore otherNode(RouteStore first) throws Exception;

    @AfterEach
    void closeStores() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    private RouteStore store() throws Exception {
        RouteStore s = newStore();
        opened.add(s);
        return s;
    }

    private RouteStore other(RouteStore first) throws Exception {
        RouteStore s = otherNode(first);
        if (s != first) {
            opened.add(s);
        }
        return s;
    }

    private static ActorKey actor(String cluster, String name) {
        return new ActorKey(cluster, name);
    }

    private static RouteKey route(String cluster, String filter) {
        return new RouteKey(cluster, filter, filter.getBytes(StandardCharsets.UTF_8));
    }

    private static RouteOp add(String cluster, String filter) {
        return new RouteOp(route(cluster, filter), true);
    }

    private static RouteOp delete(String cluster, String filter) {
        return new RouteOp(route(cluster, filter), false);
    }

    /** The store's routes, per route the lanes holding it, as a fresh subscription's snapshot shows them. */
    private Map<RouteKey, Set<Integer>> table(RouteStore s) throws Exception {
        Table t = new Table();
        try (RouteStore.Subscription sub = s.subscribe(t)) {
            Await.until("the snapshot is complete", WAIT, () -> t.snapshotDone);
            return t.copy();
        }
    }

    /** A node's route index, rebuilt from the events it receives. */
    static final class Table implements RouteStore.Listener {
        private final Map<RouteKey, Set<Integer>> lanes = new HashMap<>();
        final List<RouteEvent> events = new ArrayList<>();
        volatile boolean snapshotDone;

        @Override
        public synchronized void onEvent(RouteEvent e) {
            events.add(e);
            if (e instanceof RouteEvent.LaneAdded a) {
                lanes.computeIfAbsent(a.route(), k -> new HashSet<>()).add(a.lane());
            } else if (e instanceof RouteEvent.LaneDeleted d) {
                Set<Integer> l = lanes.get(d.route());
                if (l != null) {
                    l.remove(d.lane());
                    if (l.isEmpty()) {
                        lanes.remove(d.route());
                    }
                }
            } else if (e instanceof RouteEvent.LaneCleared c) {
                lanes.entrySet()
                        .removeIf(en -> en.getKey().cluster().equals(c.cluster())
                                && en.getValue().remove(c.lane())
                                && en.getValue().isEmpty());
            } else if (e instanceof RouteEvent.ClusterRemoved r) {
                lanes.keySet().removeIf(k -> k.cluster().equals(r.cluster()));
            }
        }

        @Override
        public void onSnapshotComplete() {
            snapshotDone = true;
        }

        synchronized Map<RouteKey, Set<Integer>> copy() {
            Map<RouteKey, Set<Integer>> out = new HashMap<>();
            lanes.forEach((k, v) -> out.put(k, new HashSet<>(v)));
            return out;
        }

        synchronized boolean holds(RouteKey key) {
            return lanes.containsKey(key);
        }
    }

    /** One racer's work; {@code i} is the racer's number, 0 to 7. */
    @FunctionalInterface
    interface Racer {
        void run(int i) throws Exception;
    }

    /** Runs eight racers released at once, waiting at most 30 s for them. */
    private static void race(Racer racer) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    go.await();
                    racer.run(n);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void initActor_newActors_lowestFreeLanePerCluster() throws Exception {
        RouteStore s = store();

        assertEquals(new ActorInit(ActorInit.Outcome.CREATED, 0), s.initActor(actor("eu", "a"), 1, 0, LEASE));
        assertEquals(new ActorInit(ActorInit.Outcome.CREATED, 1), s.initActor(actor("eu", "b"), 1, 0, LEASE));
        assertEquals(new ActorInit(ActorInit.Outcome.CREATED, 0), s.initActor(actor("ap", "a"), 1, 0, LEASE));
        RouteStore.ActorRecord r = s.actor(actor("eu", "b")).orElseThrow();
        assertEquals(1, r.incarnation());
        assertEquals(1, r.lane());
        assertEquals(LEASE, r.leaseUntilMillis());
        assertTrue(s.actor(actor("eu", "nobody")).isEmpty());
    }

    @Test
    void actors_perCluster_listsOnlyThatClustersLiveActors() throws Exception {
        RouteStore s = store();
        s.initActor(actor("eu", "a"), 1, 0, LEASE);
        s.initActor(actor("eu", "b"), 7, 5, LEASE);
        s.initActor(actor("ap", "a"), 1, 0, LEASE);
        s.removeCluster("ap");

        List<RouteStore.ActorRecord> eu = new ArrayList<>(s.actors("eu"));
        eu.sort(Comparator.comparing(r -> r.key().actor()));

        assertEquals(
                List.of(
                        new RouteStore.ActorRecord(actor("eu", "a"), 1, 0, LEASE),
                        new RouteStore.ActorRecord(actor("eu", "b"), 7, 1, 5 + LEASE)),
                eu);
        assertEquals(List.of(), s.actors("ap"));
        assertEquals(List.of(), s.actors("nowhere"));
    }

    @Test
    void initActor_sameGreaterSmallerIncarnation_resumedReincarnatedOutdated() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        s.initActor(a, 5, 0, LEASE);
        s.applyRoutes(a, 5, List.of(add("eu", "t/#")));

        assertEquals(new ActorInit(ActorInit.Outcome.RESUMED, 0), s.initActor(a, 5, 10, LEASE));
        assertTrue(table(s).containsKey(route("eu", "t/#")));
        assertEquals(new ActorInit(ActorInit.Outcome.OUTDATED, -1), s.initActor(a, 4, 20, LEASE));
        assertEquals(5, s.actor(a).orElseThrow().incarnation());

        ActorInit again = s.initActor(a, 6, 30, LEASE);

        assertEquals(ActorInit.Outcome.REINCARNATED, again.outcome());
        assertEquals(0, again.lane());
        assertTrue(again.needBootstrap());
        assertEquals(Map.of(), table(s), "the old incarnation's routes are cleared");
        assertFalse(s.applyRoutes(a, 5, List.of(add("eu", "stale/#"))), "the old incarnation is fenced");
        assertTrue(s.applyRoutes(a, 6, List.of(add("eu", "new/#"))));
        assertEquals(Set.of(route("eu", "new/#")), table(s).keySet());
    }

    @Test
    void initActor_leaseNotPositive_refused() throws Exception {
        RouteStore s = store();
        assertThrows(IllegalArgumentException.class, () -> s.initActor(actor("eu", "a"), 1, 0, 0));
        assertTrue(s.actor(actor("eu", "a")).isEmpty());
    }

    @Test
    void heartbeat_currentIncarnationOnly_extendsTheLease() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        s.initActor(a, 2, 0, LEASE);

        assertFalse(s.heartbeat(a, 1, 100, LEASE));
        assertFalse(s.heartbeat(actor("eu", "unknown"), 2, 100, LEASE));
        assertEquals(LEASE, s.actor(a).orElseThrow().leaseUntilMillis());
        assertTrue(s.heartbeat(a, 2, 100, LEASE));
        assertEquals(100 + LEASE, s.actor(a).orElseThrow().leaseUntilMillis());
    }

    @Test
    void applyRoutes_sameOpTwice_oneRouteOneEvent() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        s.initActor(a, 1, 0, LEASE);
        Table t = new Table();
        opened.add(s.subscribe(t));
        Await.until("the snapshot is complete", WAIT, () -> t.snapshotDone);

        assertTrue(s.applyRoutes(a, 1, List.of(add("eu", "t/#"), add("eu", "t/#"))));
        assertTrue(s.applyRoutes(a, 1, List.of(add("eu", "t/#"))));
        assertTrue(s.applyRoutes(a, 1, List.of(delete("eu", "never/#"))));

        assertEquals(Map.of(route("eu", "t/#"), Set.of(0)), table(s));
        Await.until("the add arrives", WAIT, () -> t.holds(route("eu", "t/#")));
        synchronized (t) {
            assertEquals(
                    List.of(new RouteEvent.LaneAdded(route("eu", "t/#"), 0)), t.events, "one event for one change");
        }
    }

    @Test
    void applyRoutes_unknownActorOrStaleIncarnation_fencedAndNothingChanges() throws Exception {
        RouteStore s = store();
        s.initActor(actor("eu", "a"), 3, 0, LEASE);

        assertFalse(s.applyRoutes(actor("eu", "ghost"), 3, List.of(add("eu", "g/#"))));
        assertFalse(s.applyRoutes(actor("eu", "a"), 2, List.of(add("eu", "old/#"))));
        assertEquals(Map.of(), table(s));
    }

    @Test
    void applyRoutes_twoLanesOnOneRoute_liveWhileEitherHoldsIt() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        ActorKey b = actor("eu", "b");
        s.initActor(a, 1, 0, LEASE);
        s.initActor(b, 1, 0, LEASE);
        s.applyRoutes(a, 1, List.of(add("eu", "shared/#")));
        s.applyRoutes(b, 1, List.of(add("eu", "shared/#")));
        assertEquals(Map.of(route("eu", "shared/#"), Set.of(0, 1)), table(s));

        s.applyRoutes(a, 1, List.of(delete("eu", "shared/#")));
        assertEquals(Map.of(route("eu", "shared/#"), Set.of(1)), table(s));
        s.applyRoutes(b, 1, List.of(delete("eu", "shared/#")));
        assertEquals(Map.of(), table(s));
    }

    @Test
    void applyRoutes_lanesBeyondTheFirst64_keptAndClearedLikeLowOnes() throws Exception {
        RouteStore s = store();
        for (int i = 0; i < 70; i++) {
            assertEquals(i, s.initActor(actor("eu", "n" + i), 1, 0, LEASE).lane());
        }
        s.applyRoutes(actor("eu", "n3"), 1, List.of(add("eu", "wide/#")));
        s.applyRoutes(actor("eu", "n69"), 1, List.of(add("eu", "wide/#"), add("eu", "high/#")));
        assertEquals(Map.of(route("eu", "wide/#"), Set.of(3, 69), route("eu", "high/#"), Set.of(69)), table(s));

        assertTrue(s.expireIfStillExpired(actor("eu", "n69"), 1, LEASE + 1));

        assertEquals(Map.of(route("eu", "wide/#"), Set.of(3)), table(s));
        assertEquals(69, s.initActor(actor("eu", "late"), 1, 0, LEASE).lane(), "lane 69 is free again");
    }

    @Test
    void expireIfStillExpired_leasePassed_actorAndItsLaneGoneLaneReused() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        ActorKey b = actor("eu", "b");
        s.initActor(a, 1, 0, 1_000);
        s.initActor(b, 1, 0, 60_000);
        s.applyRoutes(a, 1, List.of(add("eu", "a/#"), add("eu", "both/#")));
        s.applyRoutes(b, 1, List.of(add("eu", "both/#")));

        assertTrue(s.expiredActors(500).isEmpty());
        assertEquals(
                List.of(a),
                s.expiredActors(2_000).stream().map(RouteStore.ActorRecord::key).toList());
        assertFalse(s.expireIfStillExpired(a, 1, 500), "not expired yet");
        assertTrue(s.expireIfStillExpired(a, 1, 2_000));
        assertFalse(s.expireIfStillExpired(a, 1, 2_000), "only once");

        assertTrue(s.actor(a).isEmpty());
        assertEquals(Map.of(route("eu", "both/#"), Set.of(1)), table(s));
        assertEquals(0, s.initActor(actor("eu", "c"), 1, 2_000, LEASE).lane(), "lane 0 is free again");
    }

    @Test
    void expireIfStillExpired_heartbeatInBetween_notRemoved() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        s.initActor(a, 1, 0, 1_000);
        List<RouteStore.ActorRecord> candidates = s.expiredActors(2_000);
        s.heartbeat(a, 1, 1_900, 1_000);

        assertEquals(1, candidates.size());
        assertFalse(s.expireIfStillExpired(a, 1, 2_000));
        assertTrue(s.actor(a).isPresent());
    }

    @Test
    void expireIfStillExpired_eightRacingNodes_exactlyOneWins() throws Exception {
        RouteStore s = store();
        RouteStore t = other(s);
        ActorKey a = actor("eu", "a");
        s.initActor(a, 1, 0, 1_000);
        AtomicInteger wins = new AtomicInteger();
        race(i -> {
            RouteStore node = i % 2 == 0 ? s : t;
            if (node.expireIfStillExpired(a, 1, 5_000)) {
                wins.incrementAndGet();
            }
        });
        assertEquals(1, wins.get());
    }

    @Test
    void initActor_eightConcurrentHandshakesOfOneActor_oneCreatedAllOnOneLane() throws Exception {
        RouteStore s = store();
        RouteStore t = other(s);
        ActorKey a = actor("eu", "a");
        s.initActor(actor("eu", "first"), 1, 0, LEASE);
        Map<ActorInit.Outcome, Integer> outcomes = new ConcurrentHashMap<>();
        Set<Integer> lanes = ConcurrentHashMap.newKeySet();
        race(i -> {
            RouteStore node = i % 2 == 0 ? s : t;
            ActorInit r = node.initActor(a, 7, 0, LEASE);
            outcomes.merge(r.outcome(), 1, Integer::sum);
            lanes.add(r.lane());
        });
        assertEquals(Map.of(ActorInit.Outcome.CREATED, 1, ActorInit.Outcome.RESUMED, 7), outcomes);
        assertEquals(Set.of(1), lanes);
    }

    @Test
    void removeCluster_linkDeleted_itsActorsAndRoutesGoneOthersStay() throws Exception {
        RouteStore s = store();
        s.initActor(actor("eu", "a"), 1, 0, LEASE);
        s.initActor(actor("ap", "a"), 1, 0, LEASE);
        s.applyRoutes(actor("eu", "a"), 1, List.of(add("eu", "e/#")));
        s.applyRoutes(actor("ap", "a"), 1, List.of(add("ap", "p/#")));

        assertEquals(
                List.of(actor("eu", "a")),
                s.removeCluster("eu").stream().map(RouteStore.ActorRecord::key).toList());

        assertTrue(s.actor(actor("eu", "a")).isEmpty());
        assertEquals(Set.of(route("ap", "p/#")), table(s).keySet());
        assertEquals(
                ActorInit.Outcome.CREATED,
                s.initActor(actor("eu", "a"), 1, 0, LEASE).outcome());
    }

    @Test
    void subscribe_whileAWriterRuns_snapshotThenChangesWithoutAGap() throws Exception {
        RouteStore s = store();
        ActorKey a = actor("eu", "a");
        s.initActor(a, 1, 0, LEASE);
        for (int i = 0; i < 200; i++) {
            s.applyRoutes(a, 1, List.of(add("eu", "before/" + i)));
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Table t = new Table();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    s.applyRoutes(a, 1, List.of(add("eu", "during/" + i)));
                    if (i % 3 == 0) {
                        s.applyRoutes(a, 1, List.of(delete("eu", "before/" + (i % 200))));
                    }
                }
                return null;
            });
            opened.add(s.subscribe(t));
            writes.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        Map<RouteKey, Set<Integer>> truth = table(s);

        Await.until(
                "the subscriber's index equals the store",
                WAIT,
                () -> t.snapshotDone && t.copy().equals(truth),
                () -> "subscriber has " + t.copy().size() + " routes, the store " + truth.size());
    }

    @Test
    void subscribe_otherNode_seesRoutesWrittenThroughTheFirst() throws Exception {
        RouteStore s = store();
        RouteStore t = other(s);
        Table onOther = new Table();
        opened.add(t.subscribe(onOther));
        Await.until("the snapshot is complete", WAIT, () -> onOther.snapshotDone);

        ActorKey a = actor("eu", "a");
        s.initActor(a, 1, 0, LEASE);
        s.applyRoutes(a, 1, List.of(add("eu", "seen/#")));

        Await.until("the other node sees the route", WAIT, () -> onOther.holds(route("eu", "seen/#")));
        assertTrue(t.actor(a).isPresent(), "and the actor");
        assertTrue(t.heartbeat(a, 1, 10, LEASE), "a heartbeat on any node counts");
        assertEquals(10 + LEASE, s.actor(a).orElseThrow().leaseUntilMillis());
    }
}
