package io.clink.paho.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.config.TcpOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** {@code tcp_opts} read back from the live socket of a link connection on loopback. */
class LinkNetworkModuleTest {

    private static Socket connect(ServerSocket server, TcpOptions options) throws Exception {
        LinkNetworkModule m = new LinkNetworkModule("127.0.0.1", server.getLocalPort(), 5_000, null, options);
        m.start();
        try (Socket accepted = server.accept()) {
            assertThat(accepted.isConnected()).isTrue();
        }
        return m.tcpSocket();
    }

    @Test
    void start_defaults_nodelayOnKeepaliveOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket s = connect(server, TcpOptions.builder().build())) {
            assertThat(s.getTcpNoDelay()).as("nodelay defaults to on").isTrue();
            assertThat(s.getKeepAlive()).isFalse();
        }
    }

    @Test
    void start_tcpOpts_setOnTheLiveSocket() throws Exception {
        TcpOptions options = TcpOptions.builder()
                .nodelay(false)
                .sndbuf(64 * 1024)
                .recbuf(128 * 1024)
                .keepalive("30,5,4")
                .build();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket s = connect(server, options)) {
            assertThat(s.getTcpNoDelay()).isFalse();
            // Linux doubles a requested buffer size for its own bookkeeping; never less than asked.
            assertThat(s.getSendBufferSize()).isGreaterThanOrEqualTo(64 * 1024);
            assertThat(s.getReceiveBufferSize()).isGreaterThanOrEqualTo(128 * 1024);
            assertThat(s.getKeepAlive()).isTrue();
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(30);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(5);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        }
    }
}
