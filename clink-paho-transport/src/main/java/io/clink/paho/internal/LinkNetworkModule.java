package io.clink.paho.internal;

import io.clink.api.config.TcpOptions;
import io.clink.api.transport.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.jspecify.annotations.Nullable;

/**
 * The TCP (and optional TLS) connection under one Paho client. Replaces Paho's own socket modules so that clink
 * controls SNI, host name verification, protocol versions and the socket options ({@code tcp_opts}, set on the TCP
 * socket before it connects, TLS or not), and so that {@link #stop()} from any thread breaks a connect or handshake
 * that is stalled (Paho would otherwise wait inside {@code start()}).
 *
 * <p>Concurrency: {@link #start()} runs on Paho's connect thread; {@link #stop()} may run at the same time on any
 * thread. The sockets are published under {@code this} lock, and {@code stopped} is checked after each one is
 * published, so a stop that races with start always closes whatever start created.
 */
public final class LinkNetworkModule implements NetworkModule {

    /** Read timeout Paho's receiver loop expects: it treats a timed-out read as "no data yet" and checks its state. */
    private static final int RECEIVER_POLL_MILLIS = 1000;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final @Nullable TlsSettings tls;
    private final TcpOptions tcpOptions;

    private @Nullable Socket raw; // guarded by this
    private @Nullable SSLSocket secure; // guarded by this
    private boolean stopped; // guarded by this
    private volatile boolean started;

    /**
     * Creates a module.
     *
     * @param host peer host
     * @param port peer port
     * @param timeoutMillis limit for the TCP connect and for the TLS handshake
     * @param tls TLS settings, or null for plain TCP
     * @param tcpOptions socket options of the TCP socket
     */
    public LinkNetworkModule(
            String host, int port, int timeoutMillis, @Nullable TlsSettings tls, TcpOptions tcpOptions) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.tls = tls;
        this.tcpOptions = tcpOptions;
    }

    @Override
    public void start() throws IOException {
        Socket socket = new Socket();
        synchronized (this) {
            if (stopped) {
                throw new SocketException("connection closed before it was opened");
            }
            raw = socket;
        }
        TcpSocketOptions.apply(socket, tcpOptions);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        Socket active = socket;
        if (tls != null) {
            SSLContext context = TlsContexts.create(tls);
            SSLSocket ssl = TlsContexts.layer(context, tls, socket, host, port);
            synchronized (this) {
                if (stopped) {
                    socket.close();
                    throw new SocketException("connection closed during the TLS setup");
                }
                secure = ssl;
            }
            ssl.setSoTimeout(timeoutMillis);
            ssl.startHandshake();
            active = ssl;
        }
        active.setSoTimeout(RECEIVER_POLL_MILLIS);
        started = true;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return active().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return active().getOutputStream();
    }

    /** The TCP socket (under TLS, the one the TLS layer wraps), or null before {@link #start()}; for tests. */
    synchronized @Nullable Socket tcpSocket() {
        return raw;
    }

    private synchronized Socket active() throws SocketException {
        Socket s = secure != null ? secure : raw;
        if (s == null) {
            throw new SocketException("not connected");
        }
        return s;
    }

    @Override
    public void stop() {
        Socket plain;
        SSLSocket ssl;
        synchronized (this) {
            stopped = true;
            plain = raw;
            ssl = secure;
        }
        if (ssl != null && started) {
            // An established TLS session ends with close_notify.
            closeQuietly(ssl);
        }
        // Closing the TCP socket never blocks and unblocks a connect, handshake or read stalled on another thread.
        if (plain != null) {
            closeQuietly(plain);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing: nothing useful to do with the error.
        }
    }

    @Override
    public String getServerURI() {
        return (tls != null ? "ssl://" : "tcp://") + host + ":" + port;
    }
}
