package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lock-free readers against one churning writer: routes that stay in the index must be matched by every read, and
 * nothing may be matched that the writer never added.
 */
class RouteIndexConcurrencyTest {

    private static final int READERS = 4;
    private static final int WRITER_ROUNDS = 6_000;
    private static final int FAN_OUT = 40;

    private static final List<String[]> STABLE = List.of(
            new String[] {"s/1/+", "S"},
            new String[] {"s/2/x", "S"},
            new String[] {"$SYS/s/#", "S"},
            new String[] {"s/+/y/#", "S"},
            new String[] {"s/#", "T"},
            new String[] {"+/2/x", "T"});

    private static final List<String> TOPICS = List.of(
            "s/1/a",
            "s/2/x",
            "s/3/x",
            "s/5/x",
            "s/7/y/z",
            "$SYS/s/q",
            "q/2/x",
            "s/1",
            "s/17/x",
            "s/2/y",
            "s/1/a/deep/3",
            "s",
            "r/s");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void match_whileWriterChurnsSharedPaths_alwaysSeesStableRoutes() throws Exception {
        RouteIndex index = new RouteIndex();
        NaiveRoutes stable = new NaiveRoutes();
        for (String[] r : STABLE) {
            index.add(r[0], r[1], r[0], 0);
            stable.add(r[0], r[1], r[0], 0);
        }
        NaiveRoutes everChurned = new NaiveRoutes();
        Map<String, Set<String>> mustMatch = new HashMap<>();
        Map<String, Set<String>> mayMatch = new HashMap<>();
        // Dry run of the writer against the model, to know what any read may legitimately see.
        churn(
                new Writes() {
                    @Override
                    public void add(String f, String c, String id, int lane) {
                        everChurned.add(f, c, id, lane);
                    }

                    @Override
                    public void delete(String f, String c, String id, int lane) {}

                    @Override
                    public void clearLane(String c, int lane) {}

                    @Override
                    public void removeCluster(String c) {}
                },
                2 * FAN_OUT);
        for (String topic : TOPICS) {
            mustMatch.put(topic, stable.match(topic));
            Set<String> may = new HashSet<>(stable.match(topic));
            may.addAll(everChurned.match(topic));
            mayMatch.put(topic, may);
        }
        assertThat(mustMatch.values()).as("probes exercise stable routes").anyMatch(s -> s.size() == 2);
        assertThat(mayMatch.get("s/5/x")).as("probes exercise churned routes").contains("C");

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch readersRunning = new CountDownLatch(READERS);
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        List<Future<Long>> readers = new ArrayList<>();
        try {
            for (int r = 0; r < READERS; r++) {
                int offset = r;
                readers.add(pool.submit(() -> {
                    Set<String> got = new HashSet<>();
                    MatchSink sink = new MatchSink() {
                        @Override
                        protected void accept(String cluster) {
                            if (!got.add(cluster)) {
                                failure.compareAndSet(null, "cluster delivered twice: " + cluster);
                            }
                        }
                    };
                    long reads = 0;
                    readersRunning.countDown();
                    for (int i = offset; !done.get() && failure.get() == null; i++) {
                        String topic = TOPICS.get(i % TOPICS.size());
                        got.clear();
                        index.match(topic, sink);
                        reads++;
                        if (!got.containsAll(mustMatch.get(topic))
                                || !mayMatch.get(topic).containsAll(got)) {
                            failure.compareAndSet(
                                    null,
                                    topic + " matched " + got + ", must " + mustMatch.get(topic) + ", may "
                                            + mayMatch.get(topic));
                        }
                    }
                    return reads;
                }));
            }
            assertThat(readersRunning.await(30, TimeUnit.SECONDS)).isTrue();
            churn(
                    new Writes() {
                        @Override
                        public void add(String f, String c, String id, int lane) {
                            index.add(f, c, id, lane);
                        }

                        @Override
                        public void delete(String f, String c, String id, int lane) {
                            index.delete(f, c, id, lane);
                        }

                        @Override
                        public void clearLane(String c, int lane) {
                            index.clearLane(c, lane);
                        }

                        @Override
                        public void removeCluster(String c) {
                            index.removeCluster(c);
                        }
                    },
                    WRITER_ROUNDS);
            done.set(true);
            long totalReads = 0;
            for (Future<Long> f : readers) {
                long reads = f.get(30, TimeUnit.SECONDS);
                assertThat(reads).as("every reader ran").isPositive();
                totalReads += reads;
            }
            assertThat(failure.get()).isNull();
            assertThat(totalReads).isGreaterThanOrEqualTo(READERS);
        } finally {
            done.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        index.validate();
        for (String topic : TOPICS) {
            assertThat(index.match(topic)).containsAll(mustMatch.get(topic));
        }
    }

    interface Writes {
        void add(String f, String c, String id, int lane);

        void delete(String f, String c, String id, int lane);

        void clearLane(String c, int lane);

        void removeCluster(String c);
    }

    /**
     * The writer's churn: sibling fan-out under the stable {@code s} node (child table grows to a hash table, gets
     * tombstones, rebuilds and shrinks back), rows of another cluster and of the same cluster on stable nodes, extra
     * lanes on stable rows, subtrees below stable nodes, and bulk lane and cluster removal.
     */
    private static void churn(Writes w, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int k = i % (2 * FAN_OUT);
            String fan = "s/" + (k % FAN_OUT) + "/x";
            String deep = "s/1/a/deep/" + (k % 7);
            if (k < FAN_OUT) {
                w.add(fan, "C", fan, 0);
                w.add(deep, "C", "$s/g/" + deep, 0);
            } else {
                w.delete(fan, "C", fan, 0);
                w.delete(deep, "C", "$s/g/" + deep, 0);
            }
            if (i % 2 == 0) {
                w.add("s/1/+", "C", "s/1/+", 0);
                w.add("s/1/+", "S", "$s/g/s/1/+", 0);
                w.add("s/2/x", "S", "s/2/x", 1);
                w.add("s", "C", "s", 2);
            } else {
                w.delete("s/1/+", "C", "s/1/+", 0);
                w.delete("s/1/+", "S", "$s/g/s/1/+", 0);
                w.delete("s/2/x", "S", "s/2/x", 1);
            }
            if (i % 97 == 0) {
                w.clearLane("S", 1);
                w.clearLane("C", 2);
            }
            if (i % 331 == 0) {
                w.removeCluster("C");
            }
        }
    }
}
