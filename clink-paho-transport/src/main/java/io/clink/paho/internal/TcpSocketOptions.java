package io.clink.paho.internal;

import io.clink.api.config.TcpKeepalive;
import io.clink.api.config.TcpOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a link's {@code tcp_opts} on a TCP socket. Runs before the socket connects: the receive buffer size decides
 * the window scale offered in the SYN, so setting it later would not take full effect. Under TLS the options go on
 * the TCP socket the TLS layer wraps, which carries every byte of the connection. Stateless.
 */
public final class TcpSocketOptions {

    private static final Set<SocketOption<Integer>> KEEPALIVE_TUNING = Set.of(
            ExtendedSocketOptions.TCP_KEEPIDLE,
            ExtendedSocketOptions.TCP_KEEPINTERVAL,
            ExtendedSocketOptions.TCP_KEEPCOUNT);

    private TcpSocketOptions() {}

    /**
     * Checks that this JVM and operating system can set every option given, so that a setting the platform cannot
     * honour is refused when the configuration is applied instead of being dropped silently. Thread: any.
     *
     * @throws IllegalArgumentException naming the option that cannot be set
     */
    public static void validate(TcpOptions options) {
        if (options.keepalive().isEmpty()) {
            return;
        }
        Set<SocketOption<?>> supported;
        try (Socket probe = new Socket()) {
            supported = probe.supportedOptions();
        } catch (IOException e) {
            throw new IllegalArgumentException("tcp_opts: cannot create a socket to check the options: " + e, e);
        }
        for (SocketOption<Integer> o : KEEPALIVE_TUNING) {
            if (!supported.contains(o)) {
                throw new IllegalArgumentException(
                        "tcp_opts.keepalive = \"" + options.keepalive().get() + "\": this platform cannot set "
                                + o.name() + " on a socket; use \"none\"");
            }
        }
    }

    /**
     * Sets the options on an unconnected socket. {@code nodelay} defaults to on: link traffic is small control
     * messages and PUBACK-paced publishes, which Nagle's algorithm would only delay. Thread: the connecting thread.
     *
     * @throws IOException if the socket refuses an option
     */
    public static void apply(Socket socket, TcpOptions options) throws IOException {
        socket.setTcpNoDelay(options.nodelay().orElse(true));
        if (options.sndbuf().isPresent()) {
            socket.setSendBufferSize(options.sndbuf().getAsInt());
        }
        if (options.recbuf().isPresent()) {
            socket.setReceiveBufferSize(options.recbuf().getAsInt());
        }
        if (options.keepalive().isPresent()) {
            TcpKeepalive k = options.keepalive().get();
            socket.setKeepAlive(true);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, k.idleSeconds());
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, k.intervalSeconds());
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, k.probes());
        }
    }
}
