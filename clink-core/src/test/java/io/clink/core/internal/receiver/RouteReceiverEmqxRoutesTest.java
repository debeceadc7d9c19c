package io.clink.core.internal.receiver;

import static io.clink.core.internal.receiver.Harness.add;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.core.internal.route.RouteId;
import io.clink.core.internal.route.RouteIndex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What real EMQX nodes put in route batches (issue 12): route ids that are not UTF-8, ops clink cannot apply mixed
 * with good ones, and more actors per cluster than 64. None of it may cost a disconnect.
 */
class RouteReceiverEmqxRoutesTest {

    private final Harness h = new Harness();

    /** {@code $p/<client-id>/<filter>} whose client id is the invalid UTF-8 bytes {@code clientId}. */
    private static RouteId sessionId(byte[] clientId, String filter) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[3 + clientId.length + 1 + f.length];
        out[0] = '$';
        out[1] = 'p';
        out[2] = '/';
        System.arraycopy(clientId, 0, out, 3, clientId.length);
        out[3 + clientId.length] = '/';
        System.arraycopy(f, 0, out, 4 + clientId.length, f.length);
        return RouteId.of(out);
    }

    private static Term bin(String s) {
        return ErlBinary.utf8(s);
    }

    private static Term bin(RouteId id) {
        return ErlBinary.wrap(id.toByteArray());
    }

    /** A route batch payload built term by term, so it can carry ops no clink sender would encode. */
    private static byte[] batch(String actor, Term... ops) {
        return EtfEncoder.encode(ErlMap.of(
                EmqxAtoms.OP,
                bin("route"),
                ErlInteger.of(10),
                bin(actor),
                ErlInteger.of(11),
                ErlInteger.of(1),
                ErlInteger.of(12),
                ErlList.of(Arrays.asList(ops))));
    }

    @Test
    void routeBatch_routeIdsNotUtf8_addedRefCountedAcrossLanesAndDeletedByExactBytes() {
        LinkConnection a1 = h.initialised("clA", "a1", 1);
        LinkConnection a2 = h.initialised("clA", "a2", 1);
        RouteId s1 = sessionId(new byte[] {(byte) 0xFF, 'x'}, "t/#");
        RouteId s1Neighbour = sessionId(new byte[] {(byte) 0xFE, 'x'}, "t/#");

        assertThat(h.routes(a1, "clA", "a1", new RouteOp(false, "t/#", s1), add("t/#")))
                .isEqualTo(0x10);
        assertThat(h.routes(a2, "clA", "a2", new RouteOp(false, "t/#", s1))).isEqualTo(0x10);

        assertThat(h.rowHolders("clA"))
                .containsOnly(Map.entry("t/#|$p/\\xFFx/t/#", Set.of("a1", "a2")), Map.entry("t/#|t/#", Set.of("a1")));
        assertThat(h.receiver.routes("clA"))
                .extracting(io.clink.api.link.RemoteRoute::routeId)
                .containsExactlyInAnyOrder("$p/\\xFFx/t/#", "t/#");

        // Bytes one apart, and the id's escaped text read as UTF-8, are other ids: nothing is deleted.
        h.routes(
                a1,
                "clA",
                "a1",
                new RouteOp(true, "t/#", s1Neighbour),
                new RouteOp(true, "t/#", RouteId.utf8("$p/\\xFFx/t/#")));
        assertThat(h.rowHolders("clA")).containsEntry("t/#|$p/\\xFFx/t/#", Set.of("a1", "a2"));

        h.routes(a1, "clA", "a1", new RouteOp(true, "t/#", s1));
        assertThat(h.rowHolders("clA")).containsEntry("t/#|$p/\\xFFx/t/#", Set.of("a2"));
        h.routes(a2, "clA", "a2", new RouteOp(true, "t/#", s1));
        assertThat(h.rows("clA")).containsExactly("t/#|t/#");

        assertThat(h.routesReceived("clA")).isEqualTo(7);
        assertThat(h.routesSkipped("clA")).isZero();
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void routeBatch_invalidFiltersAmongGoodOps_skippedAndCountedRestAppliedConnectionStays() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        h.routes(conn, "clA", "a1", add("keep/me"), add("drop/me"));
        h.broker.clear();
        RouteId nonUtf8 = sessionId(new byte[] {(byte) 0xC3}, "ok/2");

        int code = h.publish(
                conn,
                "clA",
                batch(
                        "a1",
                        ErlTuple.of(bin("ok/1"), bin("ok/1")),
                        ErlTuple.of(bin("t/#/x"), bin("t/#/x")),
                        ErlTuple.of(ErlInteger.of(100), bin("drop/me"), bin("drop/me")),
                        ErlTuple.of(bin(""), bin("empty")),
                        ErlTuple.of(ErlBinary.wrap(new byte[] {'t', (byte) 0xFF}), bin("not-utf8-filter")),
                        ErlTuple.of(bin("a+"), bin(nonUtf8)),
                        ErlInteger.of(7),
                        ErlTuple.of(bin("ok/2"), bin(nonUtf8))),
                PublishProperties.EMPTY);

        assertThat(code).isEqualTo(0x10);
        assertThat(h.broker.disconnects()).isEmpty();
        assertThat(h.rows("clA")).containsExactlyInAnyOrder("keep/me|keep/me", "ok/1|ok/1", "ok/2|$p/\\xC3/ok/2");
        assertThat(h.routesReceived("clA")).isEqualTo(2 + 3);
        assertThat(h.routesSkipped("clA")).isEqualTo(5);
        assertThat(h.protocolErrors("clA")).isZero();

        // The connection is still bound: the next batch and heartbeat of the same actor apply.
        assertThat(h.routes(conn, "clA", "a1", add("later"))).isEqualTo(0x10);
        assertThat(h.heartbeat(conn, "clA", "a1")).isEqualTo(0x10);
        assertThat(h.rows("clA")).contains("later|later");
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void routeBatch_goldenVectorsOfARealErlangRuntime_appliedWhatCanBeSkippedTheRest() {
        LinkConnection conn = h.initialised("clA", "emqx@10.0.0.2", 1);

        assertThat(h.publish(
                        conn, "clA", GoldenVectors.named("route_emqx_non_utf8_ids").plain, PublishProperties.EMPTY))
                .isEqualTo(0x10);
        assertThat(h.rows("clA"))
                .containsExactlyInAnyOrder(
                        "t/1|t/1",
                        "dev/#|$p/\\xFF\\xFEdev/dev/#",
                        "dev/#|$p/caf\\xE9/dev/#",
                        "dev/+/x|$sp/grp/x\\xC3/dev/+/x",
                        "t/+|$s/g1/t/+",
                        "dev/#|$p/sensor-\u03b1/dev/#");
        assertThat(h.routesReceived("clA")).isEqualTo(7);

        byte[] mixed = GoldenVectors.named("route_emqx_mixed").compressed;
        assertThat(mixed).isNotNull();
        assertThat(h.publish(conn, "clA", mixed, PublishProperties.EMPTY)).isEqualTo(0x10);

        // Skipped: a/#/b, a+ and the empty filter (not MQTT filters), t/<0xFF> (not UTF-8).
        assertThat(h.routesSkipped("clA")).isEqualTo(4);
        assertThat(h.routesReceived("clA")).isEqualTo(7 + 5);
        assertThat(h.rows("clA")).hasSize(6);
        assertThat(h.broker.disconnects()).isEmpty();
        assertThat(h.protocolErrors("clA")).isZero();
    }

    @Test
    void routeBatch_sameBadBatchResentManyTimes_countedEachTimeNeverDisconnected() {
        LinkConnection conn = h.initialised("clA", "a1", 1);
        byte[] payload = batch("a1", ErlTuple.of(bin("a/#/b"), bin("a/#/b")), ErlTuple.of(bin("ok"), bin("ok")));

        for (int i = 0; i < 100; i++) {
            assertThat(h.publish(conn, "clA", payload, PublishProperties.EMPTY)).isEqualTo(0x10);
            h.time.advance(Duration.ofMillis(1_000));
            h.heartbeat(conn, "clA", "a1");
        }

        assertThat(h.routesSkipped("clA")).isEqualTo(100);
        assertThat(h.rows("clA")).containsExactly("ok|ok");
        assertThat(h.broker.disconnects()).isEmpty();
    }

    @Test
    void actorInit_thousandTwentyFourActorsOfOneCluster_allAcceptedAndRoutesHeldByEach() {
        List<LinkConnection> conns = new java.util.ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            LinkConnection c = h.initialised("clA", "n" + i, 1);
            assertThat(h.routes(c, "clA", "n" + i, add("shared/#"), add("own/" + i)))
                    .isEqualTo(0x10);
            conns.add(c);
        }
        assertThat(h.broker.disconnects()).isEmpty();
        assertThat(h.receiver.actors("clA")).hasSize(1024);
        assertThat(h.rowHolders("clA").get("shared/#|shared/#")).hasSize(1024);

        // Every actor but the one on the highest lane withdraws: the route stays until that one goes too.
        for (int i = 0; i < 1023; i++) {
            h.routes(conns.get(i), "clA", "n" + i, Harness.del("shared/#"));
        }
        assertThat(h.rowHolders("clA").get("shared/#|shared/#")).containsExactly("n1023");
        h.routes(conns.get(1023), "clA", "n1023", Harness.del("shared/#"));
        assertThat(h.index().match("shared/x")).isEmpty();
        assertThat(h.index().match("own/1023")).containsExactly("clA");
        assertThat(h.index().routeCount("clA")).isEqualTo(1024);
    }

    @Test
    void gc_actorOnOverflowLaneExpires_itsRoutesGoAndItsLaneIsReused() {
        h.receiver.start();
        List<LinkConnection> conns = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            conns.add(h.initialised("clA", "n" + i, 1));
        }
        LinkConnection last = h.initialised("clA", "n100", 1);
        h.routes(last, "clA", "n100", add("only/n100"), add("n100/t"));
        assertThat(h.receiver.actors("clA"))
                .filteredOn(a -> a.key().actor().equals("n100"))
                .singleElement()
                .satisfies(a -> assertThat(a.lane()).isEqualTo(100));

        // Everyone but n100 heartbeats through two TTLs; the GC collects n100 alone.
        for (int step = 0; step < 12; step++) {
            h.time.advance(Duration.ofSeconds(5));
            for (int i = 0; i < 100; i++) {
                assertThat(h.heartbeat(conns.get(i), "clA", "n" + i)).isEqualTo(0x10);
            }
        }

        assertThat(h.receiver.actors("clA")).hasSize(100);
        assertThat(h.rows("clA")).isEmpty();
        LinkConnection fresh = h.initialised("clA", "newcomer", 1);
        assertThat(h.receiver.actors("clA"))
                .filteredOn(a -> a.key().actor().equals("newcomer"))
                .singleElement()
                .satisfies(a -> assertThat(a.lane()).isEqualTo(100));
        assertThat(h.routes(fresh, "clA", "newcomer", add("again"))).isEqualTo(0x10);
        assertThat(h.rowHolders("clA")).containsExactly(Map.entry("again|again", Set.of("newcomer")));
        assertThat(RouteIndex.MAX_LANES).isGreaterThanOrEqualTo(1024);
    }
}
