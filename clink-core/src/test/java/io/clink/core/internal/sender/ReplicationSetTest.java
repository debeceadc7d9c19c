package io.clink.core.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.topic.Subscription;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protocol section 4.8 and scenarios 16 to 18 of section 8: what one local route replicates on a link. */
class ReplicationSetTest {

    private static List<RouteOp> adds(List<String> linkTopics, String route) {
        return new ReplicationSet(linkTopics).ops(Subscription.parse(route), false);
    }

    @Test
    void ops_redundantLinkTopicsReducingToHash_giveTheRouteItself() {
        // Scenario 16: t/1, t/2, t/3, t/+, t/#, t/+/+, t/+/+/+ reduce to t/#.
        List<String> topics = List.of("t/1", "t/2", "t/3", "t/+", "t/#", "t/+/+", "t/+/+/+");
        assertThat(new ReplicationSet(topics).unionTopics()).containsExactly("t/#");
        assertThat(adds(topics, "t/6")).containsExactly(RouteOp.add("t/6", "t/6"));
    }

    @Test
    void ops_overlappingFilters_giveOneOpPerSurvivingIntersection() {
        // Scenario 17.
        List<String> topics = List.of("t/+/1/#", "t/z", "t/1/+");
        assertThat(adds(topics, "t/+")).containsExactly(RouteOp.add("t/z", "t/+"));
        assertThat(adds(topics, "t/+/+"))
                .containsExactlyInAnyOrder(RouteOp.add("t/1/+", "t/+/+"), RouteOp.add("t/+/1", "t/+/+"));
    }

    @Test
    void ops_literalLinkTopics_giveOneOpEach() {
        assertThat(adds(List.of("t/1", "t/2", "t/3"), "t/+/#"))
                .containsExactlyInAnyOrder(
                        RouteOp.add("t/1", "t/+/#"), RouteOp.add("t/2", "t/+/#"), RouteOp.add("t/3", "t/+/#"));
    }

    @Test
    void ops_linkTopicsWithCoveringWildcard_giveOnlyTheWildcardIntersection() {
        assertThat(adds(List.of("t/1", "t/2", "t/3", "t/+"), "t/+/#")).containsExactly(RouteOp.add("t/+", "t/+/#"));
    }

    @Test
    void ops_intersectionsThatAreSubsetsOfOthers_collapse() {
        // Scenario 18: t/1/2/3 is a subset of t/1/2/3/#.
        assertThat(adds(List.of("t/1/+/3/#", "t/z", "t/1/2/+"), "t/+/2/3/#"))
                .containsExactly(RouteOp.add("t/1/2/3/#", "t/+/2/3/#"));
    }

    @Test
    void ops_sharedSubscription_usesShareRouteId() {
        assertThat(adds(List.of("t/1", "t/2", "t/3", "t/+"), "$share/g/t/+"))
                .containsExactly(RouteOp.add("t/+", "$s/g/t/+"));
        assertThat(adds(List.of("q/#"), "$queue/q/1")).containsExactly(RouteOp.add("q/1", "$s/$queue/q/1"));
    }

    @Test
    void ops_disjointRouteOrEmptyTopics_giveNothing() {
        assertThat(adds(List.of("t/#"), "u/1")).isEmpty();
        assertThat(adds(List.of(), "t/1")).isEmpty();
        assertThat(adds(List.of("#"), "$SYS/x")).isEmpty();
    }

    @Test
    void ops_delete_marksEveryOpAsDelete() {
        List<RouteOp> ops =
                new ReplicationSet(List.of("t/+/1/#", "t/z", "t/1/+")).ops(Subscription.parse("t/+/+"), true);
        assertThat(ops).containsExactlyInAnyOrder(RouteOp.delete("t/1/+", "t/+/+"), RouteOp.delete("t/+/1", "t/+/+"));
    }
}
