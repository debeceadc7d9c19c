package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The invariant checker itself: every other route test trusts {@code validate()}, so it must notice a broken index and
 * say where. Each test breaks one invariant by hand, the way a bug in the writer would.
 */
class RouteIndexInvariantsTest {

    private final RouteIndex index = new RouteIndex();

    private TrieNode node(String filter) {
        TrieNode node = index.nodeAt(filter);
        if (node == null) {
            throw new AssertionError("no node for " + filter);
        }
        return node;
    }

    @Test
    void validate_soundIndex_passes() {
        index.add("a/+/c", "B", "$s/g/a/+/c", 0);
        index.add("a/#", "C", "raw-id", 70);
        index.add("x", "B", "x", 1);

        assertThatCode(index::validate).doesNotThrowAnyException();
    }

    @Test
    void validate_sharedRowWrittenInPlace_throwsNamingTheCluster() {
        index.add("a", "B", "a", 0);
        ((int[]) node("a").rows)[1] = 0b11;

        assertThatThrownBy(index::validate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shared row of cluster B, lane 0 was written");
    }

    @Test
    void validate_publishedClustersStale_throwsNamingTheFilter() {
        index.add("a/b", "B", "a/b", 0);
        node("a/b").clusters = null;

        assertThatThrownBy(index::validate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at 'a/b'")
                .hasMessageContaining("published clusters");
    }

    @Test
    void validate_emptyNodeLeftLinked_throwsNamingTheFilter() {
        index.add("a/b", "B", "a/b", 0);
        node("a/b").rows = null;

        assertThatThrownBy(index::validate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at 'a/b'")
                .hasMessageContaining("empty node not pruned");
    }

    @Test
    void validate_overflowFlagWithoutOverflowLanes_throws() {
        index.add("a", "B", "a", 5);
        node("a").rows = new long[] {0L, RowLanes.FLAG | (1L << 5)};

        assertThatThrownBy(index::validate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("overflow flag without overflow lanes");
    }

    @Test
    void validate_idCodeUseMiscounted_throwsNamingTheCode() {
        index.add("t", "B", "$s/g/t", 0);
        index.add("u", "B", "$s/g/u", 0);
        // Drop one row's use of the shared "$s/g/" prefix code without removing the row.
        index.codes.release(node("t").rowCode(0));

        assertThatThrownBy(index::validate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("counts 1 but has 2 uses");
    }
}
