package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerStartException;
import io.clink.core.config.ClusterLinkConfigLoader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartChecksTest {

    @TempDir
    Path dir;

    private BrokerConfig config(int mqtt, int link) {
        String hocon = """
                cluster { name = "c1", links = [] }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { enable = false }
                """.formatted(mqtt, link);
        return BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, "s.conf"), "s.conf", dir)
                .withDataDir(dir.resolve("data"));
    }

    @Test
    void addressesFree_linkPortTaken_namesTheSettingAndAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int mqtt = free.getLocalPort();
                free.close();
                BrokerConfig c = config(mqtt, taken.getLocalPort());

                assertThatThrownBy(() -> StartChecks.addressesFree(c))
                        .isInstanceOf(BrokerStartException.class)
                        .hasMessageStartingWith("s.conf: listeners.tcp.clink.bind = \"127.0.0.1:" + taken.getLocalPort()
                                + "\": cannot listen there");
            }
        }
    }

    @Test
    void dataDirectory_dataDirIsAFile_namesNodeDataDir() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        BrokerConfig c = config(1883, 11883).withDataDir(file);

        assertThatThrownBy(() -> StartChecks.dataDirectory(c))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageStartingWith("s.conf: node.data_dir = \"" + file + "\": cannot write there");
    }

    @Test
    void dataDirectory_writableDir_returnsThePerClusterFolderAndLeavesNoProbe() {
        Path out = StartChecks.dataDirectory(config(1883, 11883));

        assertThat(out)
                .isEqualTo(dir.resolve("data").resolve("clink").resolve("c1"))
                .isDirectory()
                .isEmptyDirectory();
    }
}
