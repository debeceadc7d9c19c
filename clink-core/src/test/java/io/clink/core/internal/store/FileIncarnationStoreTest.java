package io.clink.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIncarnationStoreTest {

    @TempDir
    Path dir;

    @Test
    void next_firstStart_usesWallClock() {
        FileIncarnationStore store = new FileIncarnationStore(dir.resolve("inc.properties"));

        assertThat(store.next("link-a/node1", 1_000L)).isEqualTo(1_000L);
    }

    @Test
    void next_clockWentBackAcrossRestart_stillIncreases() {
        Path file = dir.resolve("inc.properties");
        new FileIncarnationStore(file).next("link-a/node1", 5_000L);

        FileIncarnationStore afterRestart = new FileIncarnationStore(file);

        assertThat(afterRestart.next("link-a/node1", 4_000L)).isEqualTo(5_001L);
        assertThat(afterRestart.next("link-a/node1", 4_000L)).isEqualTo(5_002L);
    }

    @Test
    void next_clockAhead_takesClock() {
        FileIncarnationStore store = new FileIncarnationStore(dir.resolve("inc.properties"));
        store.next("a", 5_000L);

        assertThat(store.next("a", 9_000L)).isEqualTo(9_000L);
    }

    @Test
    void next_actorsAreIndependent() {
        FileIncarnationStore store = new FileIncarnationStore(dir.resolve("inc.properties"));
        store.next("link-a/node1", 9_000L);

        assertThat(store.next("link-b/node1", 1_000L)).isEqualTo(1_000L);
    }

    @Test
    void load_corruptValue_failsNamingFileAndValue() throws Exception {
        Path file = dir.resolve("inc.properties");
        Files.writeString(file, "a=not-a-number\n");

        assertThatThrownBy(() -> new FileIncarnationStore(file).load("a"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not-a-number")
                .hasMessageContaining(file.toString());
    }

    @Test
    void store_leavesNoTemporaryFiles() throws Exception {
        FileIncarnationStore store = new FileIncarnationStore(dir.resolve("inc.properties"));
        store.store("a", 1);
        store.store("a", 2);

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("inc.properties"));
        }
        assertThat(store.load("a")).hasValue(2);
    }
}
