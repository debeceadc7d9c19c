package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverrideFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ClusterLinkConfig base() {
        return ClusterLinkConfigLoader.parse("""
                cluster { name = "us", links = [
                  { name = "eu", server = "eu:11883", topics = ["#"] },
                  { name = "ap", server = "ap:11883", topics = ["ap/#"] } ] }
                """);
    }

    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static LinkConfig link(String name, String server, String... topics) {
        return LinkConfig.builder().name(name).server(server).topics(topics).build();
    }

    @Test
    void pathFor_configFile_siblingWithOverrideSuffix() {
        assertThat(OverrideFile.pathFor(dir.resolve("cluster-us-east.conf")))
                .isEqualTo(dir.resolve("cluster-us-east.override.json"));
        assertThat(OverrideFile.pathFor(dir.resolve("plain"))).isEqualTo(dir.resolve("plain.override.json"));
    }

    @Test
    void read_noFile_changesNothing() {
        OverrideFile o = OverrideFile.read(dir.resolve("x.override.json"), "us");

        assertThat(o.applyTo(base())).isEqualTo(base());
    }

    @Test
    void writeThenRead_replacedAddedAndDeletedLinks_applyOnTopOfTheFile() throws Exception {
        Path f = dir.resolve("us.override.json");
        OverrideFile o = OverrideFile.empty("us", f.toString())
                .with(
                        body("{\"name\":\"eu\",\"server\":\"eu:11883\",\"topics\":[\"t/#\"],\"password\":\"pw\"}"),
                        link("eu", "eu:11883", "t/#"))
                .with(body("{\"name\":\"sa\",\"server\":\"sa:11883\",\"topics\":[]}"), link("sa", "sa:11883"))
                .without("ap");
        o.writeTo(f);

        OverrideFile back = OverrideFile.read(f, "us");
        ClusterLinkConfig applied = back.applyTo(base());

        assertThat(applied.links()).extracting(LinkConfig::name).containsExactly("eu", "sa");
        assertThat(applied.link("eu").orElseThrow().topics()).containsExactly("t/#");
        assertThat(applied.link("eu").orElseThrow().password()).hasValue("pw");
        assertThat(back.deleted()).containsExactly("ap");
        assertThat(back.body("eu").orElseThrow().get("password").asText()).isEqualTo("pw");
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(dir.toFile().list()).containsExactly("us.override.json");
    }

    @Test
    void with_deletedLinkCreatedAgain_isNoLongerDeleted() throws Exception {
        OverrideFile o = OverrideFile.empty("us", "o")
                .without("ap")
                .with(body("{\"name\":\"ap\",\"server\":\"ap2:1\",\"topics\":[]}"), link("ap", "ap2:1"));

        assertThat(o.deleted()).isEmpty();
        assertThat(o.applyTo(base()).link("ap").orElseThrow().server().toString())
                .isEqualTo("ap2:1");
    }

    @Test
    void writeTo_again_replacesTheWholeFile() throws Exception {
        Path f = dir.resolve("us.override.json");
        OverrideFile.empty("us", "o")
                .with(body("{\"name\":\"sa\",\"server\":\"sa:1\",\"topics\":[]}"), link("sa", "sa:1"))
                .writeTo(f);
        OverrideFile.empty("us", "o").without("sa").writeTo(f);

        assertThat(OverrideFile.read(f, "us").applyTo(base()).links())
                .extracting(LinkConfig::name)
                .containsExactly("eu", "ap");
    }

    @Test
    void read_corruptJson_refusedNamingFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("us.override.json"), "{\n  \"cluster\": {\n    \"name\": \"us\",\n  ");

        assertThatThrownBy(() -> OverrideFile.read(f, "us"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(f + ":")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void read_invalidLink_refusedWithTheConfigFileMessage() throws Exception {
        Path f = Files.writeString(
                dir.resolve("us.override.json"),
                "{\"cluster\":{\"name\":\"us\",\"links\":[\n{\"name\":\"eu\",\"server\":\"eu:1\",\"topics\":[\"a/#/b\"]}]}}");

        assertThatThrownBy(() -> OverrideFile.read(f, "us"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(f + ":2: cluster.links[0].topics = ");
    }

    @Test
    void read_otherClusterOrUnknownKey_refused() throws Exception {
        Path f = Files.writeString(dir.resolve("a.json"), "{\"cluster\":{\"name\":\"eu\",\"links\":[]}}");
        assertThatThrownBy(() -> OverrideFile.read(f, "us"))
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("another cluster");
        Path g = Files.writeString(dir.resolve("b.json"), "{\"cluster\":{\"name\":\"us\",\"links\":[]},\"extra\":1}");
        assertThatThrownBy(() -> OverrideFile.read(g, "us")).hasMessageContaining("extra");
    }

    @Test
    void applyTo_linkToItself_refusedNamingTheFile() throws Exception {
        OverrideFile o = OverrideFile.empty("us", "us.override.json")
                .with(body("{\"name\":\"us\",\"server\":\"x:1\",\"topics\":[]}"), link("us", "x:1"));

        assertThatThrownBy(() -> o.applyTo(base()))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("us.override.json: cluster.links");
    }

    @Test
    void with_keepsTheCallersBodyUnchanged() throws Exception {
        ObjectNode b = body("{\"name\":\"sa\",\"server\":\"sa:1\",\"topics\":[]}");
        OverrideFile o = OverrideFile.empty("us", "o").with(b, link("sa", "sa:1"));
        b.put("server", "changed:1");

        assertThat(o.body("sa").orElseThrow().get("server").asText()).isEqualTo("sa:1");
        assertThat(List.of(o.applyTo(base()).links().get(2).name())).containsExactly("sa");
    }
}
