package io.clink.paho;

import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.paho.internal.PahoLinkClient;
import io.clink.paho.internal.TcpSocketOptions;
import io.clink.paho.internal.TlsContexts;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clink transport over Eclipse Paho's MQTT v5 client ({@code org.eclipse.paho.mqttv5.client}).
 *
 * <p>Each {@link LinkClient} it creates opens one MQTT v5 connection per {@link LinkClient#connect} call: TCP or
 * TLS (CA file, client certificate and key in PEM, server chain and host name verification on by default, SNI,
 * TLS 1.2/1.3), clean start, keepalive, user name and password. It never reconnects by itself: a lost connection
 * is reported once to the {@link io.clink.api.transport.ConnectionListener} with a reason classified like EMQX's
 * (protocol document section 4.6), and the engine decides when to connect again.
 *
 * <p>Limits it enforces: the peer's Maximum-Packet-Size (a larger publish fails with {@code PACKET_TOO_LARGE}
 * without being sent) and an in-flight window of {@code min(max_inflight, peer's Receive-Maximum)} publishes; further
 * publishes wait in the client, in order.
 *
 * <p>Threads: one timer thread and an on-demand pool for closing connections, shared by all clients of this
 * transport and released by {@link #close()}; Paho adds a few threads per open connection. All daemon threads.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class PahoLinkTransport implements LinkTransport {

    private static final Logger LOG = LoggerFactory.getLogger(PahoLinkTransport.class);

    private final ScheduledExecutorService timer;
    private final ExecutorService teardown;

    /**
     * Creates a transport with its own timer thread.
     *
     * @since 0.1.0
     */
    public PahoLinkTransport() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemonThreads("clink-paho-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.teardown = Executors.newCachedThreadPool(daemonThreads("clink-paho-close"));
    }

    /**
     * Checks the TLS files of {@code options}: each must parse as PEM, the CA file must hold at least one
     * certificate, the client key must be PKCS#8, PKCS#1 (RSA) or SEC1 (EC, named curve), unencrypted, and must match
     * the client certificate. Checks as well that this platform can set the requested socket options ({@code
     * tcp_opts.keepalive} needs TCP_KEEPIDLE, TCP_KEEPINTERVAL and TCP_KEEPCOUNT).
     *
     * <p>Thread: any. Blocking: reads the files.
     *
     * @param options the options, not null
     * @throws IllegalArgumentException naming the option ({@code ssl.cacertfile}, {@code ssl.certfile},
     *     {@code ssl.keyfile}, {@code tcp_opts.keepalive}), the file or value and what is wrong
     * @since 0.1.0
     */
    @Override
    public void validate(LinkClientOptions options) {
        Objects.requireNonNull(options, "options");
        options.tls().ifPresent(TlsContexts::validate);
        TcpSocketOptions.validate(options.tcpOptions());
    }

    /**
     * Creates an unconnected client after {@link #validate} accepted the options. The TLS files are read again at
     * every connect, so renewed certificates take effect at the next connection.
     *
     * <p>Thread: any. Blocking: reads the TLS files, no network I/O.
     *
     * @param options connection options, not null
     * @return a new client
     * @throws IllegalArgumentException if {@link #validate} rejects the options
     * @throws IllegalStateException if this transport is closed
     * @since 0.1.0
     */
    @Override
    public LinkClient createClient(LinkClientOptions options) {
        validate(options);
        if (timer.isShutdown()) {
            throw new IllegalStateException("the Paho link transport is closed");
        }
        options.tls().ifPresent(tls -> {
            if (!tls.verifyPeer()) {
                LOG.warn(
                        "TLS server verification is OFF for link connection {} -> {}:{}: the connection is open to"
                                + " man-in-the-middle attacks",
                        options.clientId(),
                        options.host(),
                        options.port());
            }
        });
        return new PahoLinkClient(options, timer, teardown);
    }

    /**
     * Stops the shared threads. Clients must be closed first. Idempotent; does not wait.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        timer.shutdownNow();
        teardown.shutdown();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
