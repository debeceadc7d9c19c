package io.clink.api.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Input/output vectors for {@link TopicAlgebra}. Each CSV row names its source in the first column: a test case of
 * EMQX's {@code apps/emqx/test/emqx_topic_SUITE.erl} or {@code apps/emqx_cluster_link/test/...} (facts only, read at
 * EMQX commit 50e04386de), a section of the protocol document, a matcher bug known from other projects, or our own.
 * Lists inside a cell are separated by spaces.
 */
class TopicAlgebraVectorsTest {

    private static final String NONE = "none";

    @ParameterizedTest(name = "[{index}] {0}: {1} matches {2} = {3}")
    @CsvFileSource(resources = "match.csv", numLinesToSkip = 1)
    void match_vector_givesExpected(String source, String filter, String topic, boolean expected) {
        assertThat(TopicAlgebra.match(filter, topic)).as(source).isEqualTo(expected);
        // The value types agree with the string algebra.
        assertThat(TopicFilter.of(filter).matches(TopicName.of(topic)))
                .as(source)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} ∩ {2} = {3}")
    @CsvFileSource(resources = "intersection.csv", numLinesToSkip = 1)
    void intersection_vector_givesExpectedInBothOrders(String source, String a, String b, String expected) {
        String want = NONE.equals(expected) ? null : expected;
        // Both orders for every row: this also covers emqx_topic_SUITE t_intersect_commutes.
        assertThat(TopicAlgebra.intersection(a, b)).as(source).isEqualTo(want);
        assertThat(TopicAlgebra.intersection(b, a)).as(source).isEqualTo(want);
        assertThat(TopicFilter.of(a)
                        .intersect(TopicFilter.of(b))
                        .map(TopicFilter::value)
                        .orElse(null))
                .as(source)
                .isEqualTo(want);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} ⊆ {2} = {3}")
    @CsvFileSource(resources = "subset.csv", numLinesToSkip = 1)
    void isSubset_vector_givesExpected(String source, String a, String b, boolean expected) {
        assertThat(TopicAlgebra.isSubset(a, b)).as(source).isEqualTo(expected);
        assertThat(TopicFilter.of(b).covers(TopicFilter.of(a))).as(source).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: union({1}) = {2}")
    @CsvFileSource(resources = "union.csv", numLinesToSkip = 1)
    void union_vector_givesExpectedInFirstSeenOrder(String source, String input, String expected) {
        assertThat(TopicAlgebra.union(split(input))).as(source).containsExactlyElementsOf(split(expected));
    }

    @Test
    void union_emptyInput_givesEmptyList() {
        // emqx_topic_SUITE t_union: union([]) = [].
        assertThat(TopicAlgebra.union(List.of())).isEmpty();
    }

    /**
     * Section 4.8 of the protocol document and the route-ID table: the link topics are first reduced with union,
     * then each is intersected with the local route, and the results are unionified. The route ID of a plain
     * subscription is the local filter itself. EMQX pushes the operations in reverse link-topic order, so the
     * comparison ignores order.
     */
    @ParameterizedTest(name = "[{index}] {0}: link {1}, local {2} -> {3}")
    @CsvFileSource(resources = "intersections.csv", numLinesToSkip = 1)
    void intersections_routeTableRow_givesExpectedOps(String source, String linkTopics, String local, String expected) {
        List<String> link = TopicAlgebra.union(split(linkTopics));
        List<String> ops = TopicAlgebra.intersections(local, link);
        assertThat(ops).as(source).containsExactlyInAnyOrderElementsOf(expected == null ? List.of() : split(expected));
        assertThat(Subscription.parse(local).routeId()).as(source).isEqualTo(local);
    }

    @Test
    void intersections_severalSurvivors_keepsLinkTopicOrder() {
        assertThat(TopicAlgebra.intersections("t/+/#", List.of("t/1", "t/2", "t/3")))
                .containsExactly("t/1", "t/2", "t/3");
    }

    @Test
    void intersections_linkTopicsNotReduced_stillUnionifiesResults() {
        // t/1/2/3 (from t/1/2/+) is covered by t/1/2/3/# (from t/1/+/3/#): only the latter is replicated.
        assertThat(TopicAlgebra.intersections("t/+/2/3/#", List.of("t/1/2/+", "t/z", "t/1/+/3/#")))
                .containsExactly("t/1/2/3/#");
    }

    @Test
    void intersection_resultEqualToAnInput_returnsThatInstance() {
        String a = "t/global/#";
        String b = "t/+/1/+";
        String topic = new String("t/test/1".toCharArray());
        assertThat(TopicAlgebra.intersection(a, "#")).isSameAs(a);
        assertThat(TopicAlgebra.intersection("t/test/#", topic)).isSameAs(topic);
        assertThat(TopicAlgebra.intersection(b, "t/+/+/+")).isSameAs(b);
    }

    @Test
    void isWildcard_filters_detectsWildcardLevels() {
        // emqx_topic_SUITE t_wildcard (the empty topic is not valid here, so that vector is left out).
        assertThat(TopicAlgebra.isWildcard("a/b/#")).isTrue();
        assertThat(TopicAlgebra.isWildcard("a/+/#")).isTrue();
        assertThat(TopicAlgebra.isWildcard("a/b/c")).isFalse();
        assertThat(TopicFilter.of("+").isWildcard()).isTrue();
        assertThat(TopicFilter.of("a//b").isWildcard()).isFalse();
    }

    private static List<String> split(String cell) {
        return Arrays.asList(cell.trim().split(" +"));
    }
}
