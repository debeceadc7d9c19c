package io.clink.hivemq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWatchTest {

    @TempDir
    Path dir;

    private final List<String> seen = new ArrayList<>();

    private ConfigFileWatch watch(Path file) {
        return new ConfigFileWatch(file, p -> {
            try {
                seen.add(Files.readString(p));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void poll_unchangedFile_nothingHandedOn() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        w.poll();
        w.poll();
        assertThat(seen).isEmpty();
    }

    @Test
    void poll_changedContent_handedOnOnceAfterTwoMatchingReads() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        Files.writeString(f, "b");

        w.poll();
        assertThat(seen).as("one read is not settled yet").isEmpty();
        w.poll();
        assertThat(seen).containsExactly("b");
        w.poll();
        w.poll();
        assertThat(seen).containsExactly("b");
    }

    @Test
    void poll_stillBeingWritten_onlyTheSettledContentHandedOn() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        Files.writeString(f, "b-half");
        w.poll();
        Files.writeString(f, "b-whole");
        w.poll();
        assertThat(seen).isEmpty();
        w.poll();
        assertThat(seen).containsExactly("b-whole");
    }

    @Test
    void poll_editorReplacesByRename_handedOn() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        Path tmp = Files.writeString(dir.resolve(".c.conf.swp"), "renamed");
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        w.poll();
        w.poll();
        assertThat(seen).containsExactly("renamed");
    }

    @Test
    void poll_fileBrieflyMissing_skippedUntilItReadsAgain() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        Files.writeString(f, "b");
        w.poll();
        Files.delete(f);
        w.poll();
        w.poll();
        assertThat(seen).isEmpty();
        Files.writeString(f, "b");
        w.poll();
        w.poll();
        assertThat(seen).containsExactly("b");
    }

    @Test
    void poll_changedBackToTheAppliedContent_nothingHandedOn() throws Exception {
        Path f = Files.writeString(dir.resolve("c.conf"), "a");
        ConfigFileWatch w = watch(f);
        Files.writeString(f, "b");
        w.poll();
        Files.writeString(f, "a");
        w.poll();
        w.poll();
        assertThat(seen).isEmpty();
    }
}
