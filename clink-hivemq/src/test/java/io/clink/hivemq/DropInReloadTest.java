package io.clink.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.config.LinkConfig;
import io.clink.core.ClusterLink;
import io.clink.core.LinkChanges;
import io.clink.testkit.FakeLocalBroker;
import io.clink.testkit.InMemoryIncarnationStore;
import io.clink.testkit.InMemoryLinkNetwork;
import io.clink.testkit.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the drop-in does when its configuration file changed: the engine is built but never started. */
class DropInReloadTest {

    private static final String START = """
            cluster {
              name = "cluster-us-east"
              links = [ { name = "cluster-eu-west", server = "127.0.0.1:11884", topics = ["#"] } ]
            }
            """;

    @TempDir
    Path dir;

    private ClusterLink link;

    private ClusterLink engine(DropInExtensionMain.Settings settings) {
        ManualTime time = ManualTime.create();
        link = ClusterLink.builder()
                .config(settings.cluster())
                .broker(new FakeLocalBroker())
                .transport(new InMemoryLinkNetwork(time).newTransport())
                .incarnationStore(new InMemoryIncarnationStore())
                .build();
        return link;
    }

    @AfterEach
    void close() {
        if (link != null) {
            link.close();
        }
    }

    @Test
    void reload_linkAddedAndTopicsChanged_appliedToTheEngine() throws Exception {
        Path f = Files.writeString(dir.resolve("cluster-link.conf"), START);
        DropInExtensionMain.Settings running = DropInExtensionMain.Settings.load(f);
        ClusterLink engine = engine(running);
        Files.writeString(
                f,
                START.replace(
                        "topics = [\"#\"] }",
                        "topics = [\"t/#\"] },\n"
                                + "    { name = \"cluster-ap-south\", server = \"127.0.0.1:11885\", topics = [\"#\"] }"));

        Optional<LinkChanges> changes = DropInExtensionMain.reload(f, running, engine);

        assertThat(changes).hasValueSatisfying(c -> {
            assertThat(c.added()).containsExactly("cluster-ap-south");
            assertThat(c.changed()).containsExactly("cluster-eu-west");
            assertThat(c.removed()).isEmpty();
        });
        assertThat(engine.config().links())
                .extracting(LinkConfig::name)
                .containsExactly("cluster-eu-west", "cluster-ap-south");
        assertThat(engine.config().link("cluster-eu-west").orElseThrow().topics())
                .containsExactly("t/#");
    }

    @Test
    void reload_brokenFile_refusedAndLinksUnchanged() throws Exception {
        Path f = Files.writeString(dir.resolve("cluster-link.conf"), START);
        DropInExtensionMain.Settings running = DropInExtensionMain.Settings.load(f);
        ClusterLink engine = engine(running);
        Files.writeString(f, START.replace("topics = [\"#\"]", "topics = [\"#\""));

        assertThat(DropInExtensionMain.reload(f, running, engine)).isEmpty();
        assertThat(engine.config()).isEqualTo(running.cluster());
    }

    @Test
    void reload_sameLinksOtherListener_linksUntouched() throws Exception {
        Path f = Files.writeString(dir.resolve("cluster-link.conf"), START);
        DropInExtensionMain.Settings running = DropInExtensionMain.Settings.load(f);
        ClusterLink engine = engine(running);
        Files.writeString(f, START + "hivemq { link_listener = \"other\" }\n");

        assertThat(DropInExtensionMain.reload(f, running, engine))
                .hasValueSatisfying(c -> assertThat(c.isEmpty()).isTrue());
        assertThat(engine.config()).isEqualTo(running.cluster());
    }
}
