package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HiveMqWorkDirectoryTest {

    @Test
    void create_thenDelete_leavesNothingBehind() throws Exception {
        HiveMqWorkDirectory work = HiveMqWorkDirectory.create("c1");
        Path root = work.conf().getParent();
        Files.createDirectories(work.tls());
        Files.writeString(work.tls().resolve("k.p12"), "secret");
        work.writeConfig("<hivemq/>");

        assertThat(root.getFileName().toString()).startsWith("clink-broker-c1-");
        assertThat(work.conf().resolve("config.xml")).hasContent("<hivemq/>");
        assertThat(work.data()).isDirectory();
        assertThat(work.extensions()).isDirectory();

        work.delete();

        assertThat(root).doesNotExist();
    }
}
