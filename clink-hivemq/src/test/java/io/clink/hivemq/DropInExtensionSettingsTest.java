package io.clink.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.config.ConfigLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropInExtensionSettingsTest {

    @TempDir
    Path dir;

    @Test
    void load_shippedConfiguration_parses() {
        DropInExtensionMain.Settings s =
                DropInExtensionMain.Settings.load(Path.of("src", "main", "dist", "conf", "cluster-link.conf"));

        assertThat(s.cluster().name()).isEqualTo("cluster-us-east");
        assertThat(s.cluster().links()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("cluster-eu-west");
            assertThat(l.topics()).containsExactly("#");
        });
        assertThat(s.linkListeners()).containsExactly("clink");
    }

    @Test
    void load_withoutHivemqSection_defaultsLinkListener() throws IOException {
        Path f = Files.writeString(dir.resolve("c.conf"), "cluster { name = a }\n");

        assertThat(DropInExtensionMain.Settings.load(f).linkListeners()).containsExactly("clink");
    }

    @Test
    void load_customLinkListener_isUsed() throws IOException {
        Path f = Files.writeString(dir.resolve("c.conf"), "cluster { name = a }\nhivemq { link_listener = links }\n");

        assertThat(DropInExtensionMain.Settings.load(f).linkListeners()).containsExactly("links");
    }

    @Test
    void load_severalLinkListeners_areAllUsed() throws IOException {
        Path f = Files.writeString(
                dir.resolve("c.conf"), "cluster { name = a }\nhivemq { link_listeners = [clink, clink-tls] }\n");

        assertThat(DropInExtensionMain.Settings.load(f).linkListeners()).containsExactly("clink", "clink-tls");
    }

    @Test
    void load_linkListenersEmptyDuplicateOrWithLinkListener_refused() throws IOException {
        Path empty = Files.writeString(dir.resolve("e.conf"), "cluster { name = a }\nhivemq { link_listeners = [] }\n");
        Path twice =
                Files.writeString(dir.resolve("t.conf"), "cluster { name = a }\nhivemq { link_listeners = [x, x] }\n");
        Path both = Files.writeString(
                dir.resolve("b.conf"), "cluster { name = a }\nhivemq { link_listener = x, link_listeners = [y] }\n");

        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(empty))
                .hasMessageContaining("hivemq.link_listeners = []")
                .hasMessageContaining("one or more different");
        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(twice))
                .hasMessageContaining("hivemq.link_listeners = [\"x\",\"x\"]");
        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(both)).hasMessageContaining("not both");
    }

    @Test
    void load_unknownHivemqKey_namesIt() throws IOException {
        Path f = Files.writeString(dir.resolve("c.conf"), "cluster { name = a }\nhivemq { link_listner = x }\n");

        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(f))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(f + ":2: hivemq.link_listner")
                .hasMessageContaining("did you mean 'link_listener'?");
    }

    @Test
    void load_unknownTopLevelKey_namesIt() throws IOException {
        Path f = Files.writeString(dir.resolve("c.conf"), "cluster { name = a }\nlisteners { }\n");

        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(f)).hasMessageContaining("unknown key 'listeners'");
    }

    @Test
    void load_blankLinkListener_isRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("c.conf"), "cluster { name = a }\nhivemq { link_listener = \" \" }\n");

        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(f))
                .hasMessageContaining("hivemq.link_listener = \" \"");
    }

    @Test
    void load_missingFile_namesIt() {
        Path f = dir.resolve("conf/cluster-link.conf");

        assertThatThrownBy(() -> DropInExtensionMain.Settings.load(f))
                .hasMessageContaining(f.toString())
                .hasMessageContaining("no such configuration file");
    }
}
