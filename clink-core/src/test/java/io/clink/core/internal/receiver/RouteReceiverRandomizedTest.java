package io.clink.core.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.TopicFilter;
import io.clink.api.topic.TopicName;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.testkit.RecordingBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of handshakes, route batches, heartbeats, garbage, closes and clock advances from three actors
 * of two clusters, checked after every step against a plain model of protocol sections 4.4 and 4.5: the outcome of
 * each publish, the route index (rows, the actors holding them, counts, matches), the actor table, the counters and
 * the tracked connections.
 */
class RouteReceiverRandomizedTest {

    private static final int SEEDS = 16;
    private static final int STEPS = 250;
    private static final long TTL = Harness.TTL.toNanos();
    private static final long REPEAT = ReceiverTimings.EMQX.gcRepeat().toNanos();

    private static final String[][] ACTORS = {{"clA", "a1"}, {"clA", "a2"}, {"clB", "b1"}};
    private static final String[] FILTERS = {"t/1", "t/+", "t/#", "x/y/z", "+/z", "#", "$SYS/x", "a//b", "t"};
    private static final String[] ID_PREFIXES = {"", "$s/g1/", "$p/session-7/"};
    private static final String[] TOPICS = {"t/1", "t/2/3", "x/y/z", "q/z", "$SYS/x", "a//b", "t", "other"};
    private static final String BAD_FILTER = "t/#/x";

    @Test
    void randomInterleavings_receiverAgreesWithModelAfterEveryStep() {
        for (long seed = 0; seed < SEEDS; seed++) {
            new Run(seed).execute();
        }
    }

    /** The model's view of one connection. */
    private static final class MConn {
        String cluster;

        @Nullable
        String boundActor;

        @Nullable
        String boundCluster;

        long incarnation;
        boolean closing;

        MConn(String cluster) {
            this.cluster = cluster;
        }
    }

    /** The model's actor record. */
    private static final class MActor {
        final long incarnation;
        long until;

        MActor(long incarnation, long until) {
            this.incarnation = incarnation;
            this.until = until;
        }
    }

    /** What a publish must do. */
    private record Expect(int code, ControlMessage.@Nullable Result ack, boolean disconnect) {
        static final Expect HANDLED = new Expect(0x10, null, false);
        static final Expect CLOSING = new Expect(0x83, null, false);
        static final Expect ERROR = new Expect(0x83, null, true);
    }

    /** One open connection of the simulated senders. */
    private record Open(LinkConnection conn, int actor) {}

    private static final class Run {
        final long seed;
        final Random random;
        final Harness h = new Harness();
        final List<Open> open = new ArrayList<>();
        final long[] senderIncarnation = {100, 100, 100};
        int step;

        // The model.
        final Map<LinkConnection, MConn> conns = new HashMap<>();
        final Map<String, MActor> actors = new TreeMap<>();
        /** "cluster|filter|routeId" -> names of the actors advertising it. */
        final Map<String, Set<String>> rows = new TreeMap<>();

        final Map<String, Long> protocolErrors = new HashMap<>();
        final Map<String, Long> routesReceived = new HashMap<>();
        final Map<String, Long> routesSkipped = new HashMap<>();
        long nextGc;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void execute() {
            h.receiver.start();
            nextGc = h.time.nanoTime() + TTL;
            for (step = 0; step < STEPS; step++) {
                int dice = random.nextInt(100);
                if (dice < 20) {
                    handshake();
                } else if (dice < 23) {
                    secondHandshake();
                } else if (dice < 55) {
                    routeBatch();
                } else if (dice < 68) {
                    heartbeat();
                } else if (dice < 71) {
                    impersonate();
                } else if (dice < 73) {
                    garbage();
                } else if (dice < 83) {
                    close();
                } else {
                    advance(Duration.ofMillis(random.nextInt(15_000)));
                }
                check();
            }
        }

        private String where() {
            return "seed " + seed + " step " + step;
        }

        // ---- simulated senders

        private void handshake() {
            int a = random.nextInt(ACTORS.length);
            long inc;
            int pick = random.nextInt(10);
            if (pick < 2) {
                inc = ++senderIncarnation[a];
            } else if (pick < 3) {
                inc = senderIncarnation[a] - 1;
            } else {
                inc = senderIncarnation[a];
            }
            String target = random.nextInt(20) == 0 ? "not-" + Harness.LOCAL : Harness.LOCAL;
            LinkConnection conn = h.connect(ACTORS[a][0] + ":routesync:" + ACTORS[a][1]);
            open.add(new Open(conn, a));
            publishInit(conn, a, inc, target);
        }

        private void secondHandshake() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.get(random.nextInt(open.size()));
            publishInit(o.conn(), o.actor(), senderIncarnation[o.actor()], Harness.LOCAL);
        }

        private void publishInit(LinkConnection conn, int a, long inc, String target) {
            String cluster = ACTORS[a][0];
            String actor = ACTORS[a][1];
            Expect e = modelInit(conn, cluster, actor, inc, target);
            byte[] payload = ControlCodec.encode(new ActorInit(actor, inc, target, 1));
            publish(conn, cluster, payload, Harness.initProperties(cluster, actor), e);
        }

        private void routeBatch() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.get(random.nextInt(open.size()));
            List<RouteOp> ops = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                String filter = random.nextInt(40) == 0 ? BAD_FILTER : FILTERS[random.nextInt(FILTERS.length)];
                String routeId = ID_PREFIXES[random.nextInt(ID_PREFIXES.length)] + filter;
                // Deletes a bit less often than adds, so the index does not stay empty.
                ops.add(random.nextInt(5) < 2 ? RouteOp.delete(filter, routeId) : RouteOp.add(filter, routeId));
            }
            String cluster = ACTORS[o.actor()][0];
            String actor = ACTORS[o.actor()][1];
            Expect e = modelRoutes(o.conn(), cluster, actor, ops);
            publish(o.conn(), cluster, ControlCodec.encode(new RouteBatch(actor, 1, ops)), PublishProperties.EMPTY, e);
        }

        private void heartbeat() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.get(random.nextInt(open.size()));
            String cluster = ACTORS[o.actor()][0];
            String actor = ACTORS[o.actor()][1];
            Expect e = modelHeartbeat(o.conn(), cluster, actor);
            publish(o.conn(), cluster, ControlCodec.encode(new Heartbeat(actor, 1)), PublishProperties.EMPTY, e);
        }

        /** A connection speaks for another actor of its cluster (or another cluster's topic). */
        private void impersonate() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.get(random.nextInt(open.size()));
            int other = random.nextInt(ACTORS.length);
            String cluster = ACTORS[other][0];
            String actor = ACTORS[other][1];
            if (random.nextBoolean()) {
                Expect e = modelHeartbeat(o.conn(), cluster, actor);
                publish(o.conn(), cluster, ControlCodec.encode(new Heartbeat(actor, 1)), PublishProperties.EMPTY, e);
            } else {
                List<RouteOp> ops = List.of(RouteOp.add("imp/" + actor, "imp"));
                Expect e = modelRoutes(o.conn(), cluster, actor, ops);
                publish(
                        o.conn(),
                        cluster,
                        ControlCodec.encode(new RouteBatch(actor, 1, ops)),
                        PublishProperties.EMPTY,
                        e);
            }
        }

        private void garbage() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.get(random.nextInt(open.size()));
            String cluster = ACTORS[o.actor()][0];
            MConn mc = conns.computeIfAbsent(o.conn(), c -> new MConn(cluster));
            Expect e = mc.closing ? Expect.CLOSING : error(mc, cluster);
            byte[] junk = new byte[1 + random.nextInt(8)];
            random.nextBytes(junk);
            junk[0] = 1; // never the ETF version byte
            publish(o.conn(), cluster, junk, PublishProperties.EMPTY, e);
        }

        private void close() {
            if (open.isEmpty()) {
                return;
            }
            Open o = open.remove(random.nextInt(open.size()));
            conns.remove(o.conn());
            h.receiver.onConnectionClosed(o.conn());
        }

        private void advance(Duration d) {
            long target = h.time.nanoTime() + d.toNanos();
            while (nextGc <= target) {
                long now = nextGc;
                List<String> expired = new ArrayList<>();
                actors.forEach((key, a) -> {
                    if (a.until < now) {
                        expired.add(key);
                    }
                });
                expired.forEach(this::dropActor);
                nextGc = now + (expired.isEmpty() ? TTL : REPEAT);
            }
            h.time.advance(d);
        }

        // ---- the model of sections 4.4 and 4.5

        private Expect modelInit(LinkConnection conn, String cluster, String actor, long inc, String target) {
            MConn mc = conns.computeIfAbsent(conn, c -> new MConn(cluster));
            if (mc.closing) {
                return Expect.CLOSING;
            }
            if (mc.boundActor != null) {
                return error(mc, cluster);
            }
            mc.cluster = cluster;
            if (!target.equals(Harness.LOCAL)) {
                return new Expect(0x10, new Rejected(Rejected.BAD_REMOTE_CLUSTER_LINK_NAME), false);
            }
            long now = h.time.nanoTime();
            String key = cluster + "/" + actor;
            MActor a = actors.get(key);
            boolean bootstrap;
            if (a == null) {
                actors.put(key, new MActor(inc, now + TTL));
                bootstrap = true;
            } else if (a.incarnation == inc) {
                a.until = now + TTL;
                bootstrap = false;
            } else if (inc < a.incarnation) {
                return error(mc, cluster);
            } else {
                dropActor(key);
                actors.put(key, new MActor(inc, now + TTL));
                bootstrap = true;
            }
            mc.boundCluster = cluster;
            mc.boundActor = actor;
            mc.incarnation = inc;
            return new Expect(0x10, new Accepted(bootstrap), false);
        }

        private Expect modelRoutes(LinkConnection conn, String cluster, String actor, List<RouteOp> ops) {
            MConn mc = conns.computeIfAbsent(conn, c -> new MConn(cluster));
            if (mc.closing) {
                return Expect.CLOSING;
            }
            if (mc.boundActor == null || !live(mc, cluster, actor)) {
                return error(mc, cluster);
            }
            long skipped = 0;
            for (RouteOp op : ops) {
                try {
                    TopicFilter.of(op.filter());
                } catch (InvalidTopicException e) {
                    // Skipped and counted; the rest of the batch applies and the connection stays.
                    skipped++;
                    continue;
                }
                String row = cluster + "|" + op.filter() + "|" + op.routeId();
                if (op.delete()) {
                    Set<String> holders = rows.get(row);
                    if (holders != null) {
                        holders.remove(actor);
                        if (holders.isEmpty()) {
                            rows.remove(row);
                        }
                    }
                } else {
                    rows.computeIfAbsent(row, r -> new TreeSet<>()).add(actor);
                }
            }
            routesReceived.merge(cluster, ops.size() - skipped, Long::sum);
            routesSkipped.merge(cluster, skipped, Long::sum);
            return Expect.HANDLED;
        }

        private Expect modelHeartbeat(LinkConnection conn, String cluster, String actor) {
            MConn mc = conns.computeIfAbsent(conn, c -> new MConn(cluster));
            if (mc.closing) {
                return Expect.CLOSING;
            }
            if (mc.boundActor == null) {
                mc.cluster = cluster;
                return Expect.HANDLED;
            }
            if (!live(mc, cluster, actor)) {
                return error(mc, cluster);
            }
            actors.get(cluster + "/" + actor).until = h.time.nanoTime() + TTL;
            return Expect.HANDLED;
        }

        /** The connection is bound to exactly this actor, whose record still has the connection's incarnation. */
        private boolean live(MConn mc, String cluster, String actor) {
            if (!cluster.equals(mc.boundCluster) || !actor.equals(mc.boundActor)) {
                return false;
            }
            MActor a = actors.get(cluster + "/" + actor);
            return a != null && a.incarnation == mc.incarnation;
        }

        private Expect error(MConn mc, String cluster) {
            mc.closing = true;
            protocolErrors.merge(cluster, 1L, Long::sum);
            return Expect.ERROR;
        }

        private void dropActor(String key) {
            actors.remove(key);
            String cluster = key.substring(0, key.indexOf('/'));
            String actor = key.substring(key.indexOf('/') + 1);
            rows.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(cluster + "|")) {
                    e.getValue().remove(actor);
                }
                return e.getValue().isEmpty();
            });
        }

        // ---- running and checking

        private void publish(LinkConnection conn, String cluster, byte[] payload, PublishProperties props, Expect e) {
            int replies = h.broker.replies().size();
            int disconnects = h.broker.disconnects().size();

            int code = h.publish(conn, cluster, payload, props);

            assertThat(code).as("%s: PUBACK code", where()).isEqualTo(e.code());
            if (e.ack() == null) {
                assertThat(h.broker.replies()).as("%s: no ack", where()).hasSize(replies);
            } else {
                assertThat(h.broker.replies()).as("%s: one ack", where()).hasSize(replies + 1);
                assertThat(h.lastAck().result()).as("%s: ack result", where()).isEqualTo(e.ack());
            }
            if (e.disconnect()) {
                assertThat(h.broker.disconnects())
                        .as("%s: one disconnect", where())
                        .hasSize(disconnects + 1);
                RecordingBroker.Disconnect d = h.broker.disconnects().get(disconnects);
                assertThat(d.connection()).isEqualTo(conn);
                assertThat(d.reasonCode()).isEqualTo(0x83);
            } else {
                assertThat(h.broker.disconnects())
                        .as("%s: no disconnect", where())
                        .hasSize(disconnects);
            }
        }

        private void check() {
            int total = 0;
            Map<String, Set<String>> expectedMatches = new TreeMap<>();
            for (String cluster : List.of("clA", "clB")) {
                Map<String, Set<String>> expected = new TreeMap<>();
                rows.forEach((row, holders) -> {
                    if (row.startsWith(cluster + "|")) {
                        expected.put(row.substring(cluster.length() + 1), holders);
                    }
                });
                assertThat(new TreeMap<>(h.rowHolders(cluster)))
                        .as("%s: rows of %s", where(), cluster)
                        .isEqualTo(expected);
                assertThat(h.receiver.routeCount(cluster)).isEqualTo(expected.size());
                total += expected.size();

                Map<String, Long> expectedActors = new TreeMap<>();
                actors.forEach((key, a) -> {
                    if (key.startsWith(cluster + "/")) {
                        expectedActors.put(key.substring(cluster.length() + 1), a.incarnation);
                    }
                });
                Map<String, Long> actual = new TreeMap<>();
                h.receiver.actors(cluster).forEach(a -> actual.put(a.key().actor(), a.incarnation()));
                assertThat(actual).as("%s: actors of %s", where(), cluster).isEqualTo(expectedActors);
                h.receiver
                        .actors(cluster)
                        .forEach(a -> assertThat(a.leaseUntilMillis())
                                .isEqualTo(Math.floorDiv(
                                        actors.get(cluster + "/" + a.key().actor()).until, 1_000_000L)));

                assertThat(h.protocolErrors(cluster))
                        .as("%s: protocol errors of %s", where(), cluster)
                        .isEqualTo(protocolErrors.getOrDefault(cluster, 0L));
                assertThat(h.routesReceived(cluster))
                        .as("%s: routes received of %s", where(), cluster)
                        .isEqualTo(routesReceived.getOrDefault(cluster, 0L));
                assertThat(h.routesSkipped(cluster))
                        .as("%s: routes skipped of %s", where(), cluster)
                        .isEqualTo(routesSkipped.getOrDefault(cluster, 0L));

                for (String topic : TOPICS) {
                    for (String row : expected.keySet()) {
                        String filter = row.substring(0, row.indexOf('|'));
                        if (TopicFilter.of(filter).matches(TopicName.of(topic))) {
                            expectedMatches
                                    .computeIfAbsent(topic, t -> new TreeSet<>())
                                    .add(cluster);
                        }
                    }
                }
            }
            assertThat(h.index().routeCount()).as("%s: total rows", where()).isEqualTo(total);
            for (String topic : TOPICS) {
                assertThat(h.index().match(topic))
                        .as("%s: match(%s)", where(), topic)
                        .isEqualTo(expectedMatches.getOrDefault(topic, Set.of()));
            }
            assertThat(h.receiver.trackedConnections())
                    .as("%s: tracked connections", where())
                    .isEqualTo(conns.size());
        }
    }
}
