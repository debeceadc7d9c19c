package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSetTest {

    private static List<TrieNode> nodes(int n) {
        List<TrieNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TrieNode(null, null));
        }
        return out;
    }

    @Test
    void addAndRemove_growThenEmpty_tracksMembersAndGivesSpaceBack() {
        NodeSet set = new NodeSet();
        List<TrieNode> nodes = nodes(5_000);

        for (TrieNode n : nodes) {
            assertThat(set.add(n)).isTrue();
        }
        assertThat(set.add(nodes.get(17))).isFalse();
        assertThat(set.size()).isEqualTo(5_000);
        assertThat(set.check()).isNull();
        for (int i = 0; i < nodes.size(); i += 2) {
            assertThat(set.remove(nodes.get(i))).isTrue();
        }
        assertThat(set.check()).isNull();
        for (int i = 0; i < nodes.size(); i++) {
            assertThat(set.contains(nodes.get(i))).as("node %s", i).isEqualTo(i % 2 == 1);
        }
        assertThat(set.remove(nodes.get(0))).isFalse();
        for (int i = 1; i < nodes.size(); i += 2) {
            assertThat(set.remove(nodes.get(i))).isTrue();
        }

        assertThat(set.size()).isZero();
        assertThat(set.toArray()).isEmpty();
        assertThat(set.check()).isNull();
        assertThat(set.toString()).isEqualTo("NodeSet[]");
    }

    @Test
    void randomOperations_agreeWithIdentitySet() {
        Random random = new Random(7);
        List<TrieNode> universe = nodes(300);
        NodeSet set = new NodeSet();
        Set<TrieNode> model = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int step = 0; step < 20_000; step++) {
            TrieNode n = universe.get(random.nextInt(universe.size()));
            // Phases that mostly add, then mostly remove, so the table grows and shrinks repeatedly.
            boolean adding = (step / 2_000) % 2 == 0 ? random.nextInt(4) != 0 : random.nextInt(4) == 0;
            if (adding) {
                assertThat(set.add(n)).isEqualTo(model.add(n));
            } else {
                assertThat(set.remove(n)).isEqualTo(model.remove(n));
            }
            assertThat(set.size()).isEqualTo(model.size());
            if (step % 500 == 0) {
                assertThat(set.check()).isNull();
                assertThat(Set.of(set.toArray())).isEqualTo(model);
            }
        }
        for (TrieNode n : universe) {
            assertThat(set.contains(n)).isEqualTo(model.contains(n));
        }
    }
}
