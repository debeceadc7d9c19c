package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Model-based test: random write sequences against {@link NaiveRoutes}, then random topics. */
class RouteIndexPropertyTest {

    enum Kind {
        ADD,
        DELETE,
        CLEAR_LANE,
        REMOVE_CLUSTER
    }

    record Op(Kind kind, String filter, String cluster, RouteId routeId, int lane) {}

    private static final List<String> CLUSTERS = List.of("B", "C", "D");
    private static final List<String> LEVELS = List.of("a", "b", "", "$x", "c1", "é");

    @Property(tries = 100)
    void writeSequence_matchesNaiveModel(@ForAll("ops") List<Op> ops, @ForAll("topics") List<String> topics) {
        replay(ops, topics);
    }

    /** Few filters, many route ids: crowded nodes cross the row-lookup threshold in both directions. */
    @Property(tries = 60)
    void crowdedNodes_matchNaiveModel(@ForAll("crowdedOps") List<Op> ops, @ForAll("topics") List<String> topics) {
        replay(ops, topics);
    }

    private static void replay(List<Op> ops, List<String> topics) {
        RouteIndex index = new RouteIndex();
        NaiveRoutes model = new NaiveRoutes();
        for (Op op : ops) {
            switch (op.kind()) {
                case ADD ->
                    assertThat(index.add(op.filter(), op.cluster(), op.routeId(), op.lane()))
                            .as("%s", op)
                            .isEqualTo(model.add(op.filter(), op.cluster(), op.routeId(), op.lane()));
                case DELETE ->
                    assertThat(index.delete(op.filter(), op.cluster(), op.routeId(), op.lane()))
                            .as("%s", op)
                            .isEqualTo(model.delete(op.filter(), op.cluster(), op.routeId(), op.lane()));
                case CLEAR_LANE ->
                    assertThat(index.clearLane(op.cluster(), op.lane()))
                            .as("%s", op)
                            .isEqualTo(model.clearLane(op.cluster(), op.lane()));
                case REMOVE_CLUSTER ->
                    assertThat(index.removeCluster(op.cluster()))
                            .as("%s", op)
                            .isEqualTo(model.removeCluster(op.cluster()));
            }
            index.validate();
        }
        assertThat(index.routeCount()).isEqualTo(model.count());
        for (String cluster : CLUSTERS) {
            assertThat(index.routeCount(cluster)).isEqualTo(model.count(cluster));
            assertThat(new HashSet<>(index.routes(cluster))).isEqualTo(model.routes(cluster));
        }
        for (String topic : topics) {
            assertThat(index.match(topic)).as("match %s", topic).isEqualTo(model.match(topic));
        }
        // Every stored filter, read as a topic, too: that hits exact paths the random topics may miss.
        for (NaiveRoutes.Key k : model.keys()) {
            String asTopic = k.filter().replace("+", "p").replace("#", "h");
            assertThat(index.match(asTopic)).as("match %s", asTopic).isEqualTo(model.match(asTopic));
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> filter = filters();
        Arbitrary<String> cluster = Arbitraries.of(CLUSTERS);
        Arbitrary<Integer> lane = Arbitraries.of(0, 1, 2, 62, 63, 64, RouteIndex.MAX_LANES - 1);
        Arbitrary<Op> write = Combinators.combine(
                        Arbitraries.of(Kind.ADD, Kind.ADD, Kind.ADD, Kind.DELETE, Kind.DELETE),
                        filter,
                        cluster,
                        Arbitraries.integers().between(0, 6),
                        lane)
                .as((kind, f, c, idShape, l) -> new Op(kind, f, c, routeId(f, idShape), l));
        Arbitrary<Op> bulk = Combinators.combine(
                        Arbitraries.of(Kind.CLEAR_LANE, Kind.CLEAR_LANE, Kind.REMOVE_CLUSTER), cluster, lane)
                .as((kind, c, l) -> new Op(kind, "", c, RouteId.utf8(""), l));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, write), net.jqwik.api.Tuple.of(1, bulk))
                .list()
                .ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Op>> crowdedOps() {
        Arbitrary<String> filter = Arbitraries.of("a/#", "a/+", "$x/b");
        Arbitrary<String> cluster = Arbitraries.of("B", "C");
        Arbitrary<Integer> lane = Arbitraries.of(0, 1, 40, 500);
        Arbitrary<Op> write = Combinators.combine(
                        Arbitraries.of(Kind.ADD, Kind.ADD, Kind.ADD, Kind.DELETE, Kind.DELETE),
                        filter,
                        cluster,
                        Arbitraries.integers().between(0, 24),
                        lane)
                .as((kind, f, c, n, l) ->
                        new Op(kind, f, c, RouteId.utf8(n % 3 == 0 ? "$p/s" + n + "/" + f : "r" + n), l));
        Arbitrary<Op> bulk = Combinators.combine(Arbitraries.of(Kind.CLEAR_LANE, Kind.REMOVE_CLUSTER), cluster, lane)
                .as((kind, c, l) -> new Op(kind, "", c, RouteId.utf8(""), l));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(40, write), net.jqwik.api.Tuple.of(1, bulk))
                .list()
                .ofMinSize(20)
                .ofMaxSize(200);
    }

    /**
     * Route ids in the shapes the protocol produces (§1.5), with durable-session client ids that are not UTF-8, plus
     * unrelated opaque ones.
     */
    private static RouteId routeId(String filter, int shape) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        return switch (shape) {
            case 0 -> RouteId.utf8(filter);
            case 1 -> RouteId.utf8("$s/g/" + filter);
            case 2 -> RouteId.utf8("$p/sess1/" + filter);
            case 3 -> RouteId.utf8("$sp/g/sess2/" + filter);
            case 4 -> RouteId.of(concat(new byte[] {'$', 'p', '/', (byte) 0xFF, (byte) 0xC3, '/'}, f));
            case 5 -> RouteId.of(new byte[] {'o', (byte) 0xC3});
            default -> RouteId.utf8("opaque");
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Arbitrary<String> filters() {
        Arbitrary<String> level = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(LEVELS)), net.jqwik.api.Tuple.of(2, Arbitraries.just("+")));
        Arbitrary<String> body = level.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        return Combinators.combine(body, Arbitraries.of(false, false, true))
                .as((b, hash) -> hash ? b + "/#" : b)
                .filter(f -> !f.isEmpty()) // MQTT: a filter has at least one character
                .injectDuplicates(0.3)
                .edgeCases(e -> e.add("#"));
    }

    @Provide
    Arbitrary<List<String>> topics() {
        Arbitrary<String> topic = Arbitraries.of(LEVELS)
                .list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(l -> String.join("/", l))
                .filter(t -> !t.isEmpty());
        return topic.list().ofMinSize(5).ofMaxSize(30);
    }
}
