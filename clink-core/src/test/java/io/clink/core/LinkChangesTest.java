package io.clink.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.config.LinkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkChangesTest {

    private static LinkConfig link(String name, String... topics) {
        return LinkConfig.builder()
                .name(name)
                .server("127.0.0.1:1883")
                .topics(topics)
                .build();
    }

    @Test
    void between_sameLinks_isEmpty() {
        LinkChanges diff = LinkChanges.between(List.of(link("a", "t/#")), List.of(link("a", "t/#")));
        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.summary()).isEqualTo("no link changes");
    }

    @Test
    void between_addedRemovedAndChangedTopics_namesEachKindOnce() {
        LinkChanges diff = LinkChanges.between(
                List.of(link("keep", "k/#"), link("gone", "g/#"), link("edit", "e/#")),
                List.of(link("keep", "k/#"), link("edit", "e/#", "f/#"), link("new", "n/#")));
        assertThat(diff.added()).containsExactly("new");
        assertThat(diff.removed()).containsExactly("gone");
        assertThat(diff.changed()).containsExactly("edit");
        assertThat(diff.summary()).isEqualTo("added [new], removed [gone], changed [edit]");
    }
}
