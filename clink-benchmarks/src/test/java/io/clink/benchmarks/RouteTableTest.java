package io.clink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    private static final RouteWorkload WORKLOAD = new RouteWorkload(42);
    private static final int ROUTES = 3_000;

    @ParameterizedTest
    @ValueSource(strings = {"clink", "moquette", "hivemq"})
    void clusters_sameRoutesAsNaive_sameClusters(String impl) {
        List<RouteWorkload.Route> routes = WORKLOAD.routes(ROUTES);
        RouteTable naive = RouteTable.create("naive");
        RouteTable table = RouteTable.create(impl);
        routes.forEach(naive::add);
        routes.forEach(table::add);

        for (String topic : WORKLOAD.topics(ROUTES, 512)) {
            assertThat(table.clusters(topic)).as(topic).isEqualTo(naive.clusters(topic));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clink", "naive", "moquette", "hivemq"})
    void remove_everyRoute_noTopicMatchesAnyMore(String impl) {
        List<RouteWorkload.Route> routes = WORKLOAD.routes(ROUTES);
        RouteTable table = RouteTable.create(impl);
        routes.forEach(table::add);
        routes.forEach(table::remove);

        for (String topic : WORKLOAD.topics(ROUTES, 256)) {
            assertThat(table.clusters(topic)).as(topic).isEmpty();
        }
    }

    @Test
    void topics_skewedWorkload_giveZeroOneAndManyClusters() {
        RouteTable table = RouteTable.create("clink");
        WORKLOAD.generate(100_000, table::add);
        int zero = 0;
        int one = 0;
        int many = 0;
        Set<String> distinct = new HashSet<>();
        String[] topics = WORKLOAD.topics(100_000, 4096);
        for (String topic : topics) {
            distinct.add(topic);
            int n = table.clusters(topic).size();
            if (n == 0) {
                zero++;
            } else if (n == 1) {
                one++;
            } else {
                many++;
            }
        }
        assertThat(zero).isBetween(topics.length / 8, topics.length / 2);
        assertThat(one).isGreaterThan(topics.length / 10);
        assertThat(many).isGreaterThan(topics.length / 10);
        // Skewed: popular topics repeat, yet the stream is not a handful of topics.
        assertThat(distinct.size()).isBetween(topics.length / 8, topics.length - 1);
    }

    @Test
    void generate_sameSeed_sameRoutesWithoutDuplicates() {
        List<RouteWorkload.Route> a = WORKLOAD.routes(20_000);
        List<RouteWorkload.Route> b = new RouteWorkload(42).routes(20_000);

        assertThat(a).hasSize(20_000).isEqualTo(b);
        assertThat(new HashSet<>(a)).hasSize(a.size());
        assertThat(a)
                .allSatisfy(r -> assertThat(r.filter().split("/", -1).length).isBetween(3, 7));
    }

    @Test
    void create_unknownImplementation_namesIt() {
        assertThatThrownBy(() -> RouteTable.create("mosquitto"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mosquitto'");
    }

    @Test
    void topics_notPowerOfTwo_rejected() {
        assertThatThrownBy(() -> WORKLOAD.topics(1000, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
    }
}
