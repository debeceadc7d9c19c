package io.clink.broker;

import static io.clink.broker.ManagementApiIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.link.ActorStatus;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.hivemq.HiveMqEngineStarters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node.data_dir} holds the actor incarnations across restarts: a broker restarted with the same directory
 * starts its actor with a greater incarnation even when the clock says otherwise; a directory that cannot be written
 * stops the start with the file, the field and the value.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataDirIT {

    private static final String EU = "cluster-eu-west";
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void restart_sameDataDir_greaterIncarnationFromTheStore() throws Exception {
        Path data = dir.resolve("state");
        BrokerConfig config = config("us.conf", data);
        Path store = data.resolve("clink").resolve("cluster-us-east").resolve("incarnations.properties");

        long first;
        try (EmbeddedClusterBroker us = EmbeddedClusterBroker.start(config, HiveMqEngineStarters::starter)) {
            first = incarnation(us);
        }
        assertThat(store).exists();
        Properties stored = load(store);
        assertThat(stored.values()).containsExactly(Long.toString(first));

        // As if the wall clock had gone back a day: only the stored value can make the next incarnation greater.
        String key = stored.stringPropertyNames().iterator().next();
        long ahead = first + DAY_MS;
        stored.setProperty(key, Long.toString(ahead));
        try (OutputStream out = Files.newOutputStream(store)) {
            stored.store(out, null);
        }
        long second;
        try (EmbeddedClusterBroker us = EmbeddedClusterBroker.start(config, HiveMqEngineStarters::starter)) {
            second = incarnation(us);
        }
        assertThat(second).isEqualTo(ahead + 1);

        long third;
        try (EmbeddedClusterBroker us = EmbeddedClusterBroker.start(config, HiveMqEngineStarters::starter)) {
            third = incarnation(us);
        }
        assertThat(third).isEqualTo(second + 1);
        assertThat(load(store).getProperty(key)).isEqualTo(Long.toString(third));
    }

    @Test
    void start_dataDirBelowAFile_refusedNamingFileFieldAndValue() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path bad = file.resolve("sub");

        assertThatThrownBy(() -> EmbeddedClusterBroker.start(config("us.conf", bad), HiveMqEngineStarters::starter))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageStartingWith("us.conf: node.data_dir = \"" + bad + "\": cannot write there");
    }

    private BrokerConfig config(String name, Path dataDir) throws IOException {
        int[] ports = new int[3];
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports[i] = s.getLocalPort();
            }
        }
        // The remote is a closed port: the actor takes its incarnation before it first connects.
        String hocon = """
                cluster { name = "cluster-us-east", links = [ { name = "%s", server = "127.0.0.1:%d", topics = ["#"] } ] }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { enable = false }
                node { data_dir = "%s" }
                """.formatted(EU, ports[0], ports[1], ports[2], dataDir);
        return BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, name), name, dir);
    }

    private static long incarnation(EmbeddedClusterBroker broker) throws InterruptedException {
        ClusterLink link = broker.link().orElseThrow();
        await(
                "the actor has an incarnation",
                () -> link.status(EU).orElseThrow().actors().stream().anyMatch(a -> a.incarnation() > 0));
        return link.status(EU).orElseThrow().actors().stream()
                .mapToLong(ActorStatus::incarnation)
                .max()
                .orElseThrow();
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
