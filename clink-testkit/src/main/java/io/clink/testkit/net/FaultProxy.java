package io.clink.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Model. One acceptor thread takes connections on 127.0.0.1:<port>; each accepted connection gets an upstream
 * socket to the target and two pump tasks (client->target, target->client), so a proxy with at most N live
 * connections uses at most 1 + 2N threads (a bounded pool; a connection beyond N is accepted and closed at once,
 * counted as refused).
 *
 * A pump loops: read a chunk (at most CHUNK bytes; less when throttled), then, before writing it, wait while the
 * proxy is stalled, wait out the configured delay, and wait for the throttle's schedule; then write and count.
 * A stall therefore holds at most one chunk per direction and then stops reading, so TCP flow control pushes back on
 * the sender exactly as a frozen peer would; nothing is closed. Every wait is on the FaultGate's monitor with a
 * deadline, and every change of the fault settings (and close) notifies it, so a heal takes effect at once.
 *
 * Cutting a connection closes both of its sockets with SO_LINGER 0 (a reset, as a dropped NAT entry or a killed
 * peer would look); its pumps then fail on their next read or write and end. Refusing new connections accepts and
 * resets them at once, so the port stays owned by the proxy and the client sees a failed connect.
 *
 * Concurrency: settings live in the FaultGate, guarded by its monitor (read under it by the pumps); a
 * ProxiedConnection owns its two sockets and pumps; the connection table is a
 * concurrent map; counters are atomics. close() closes the listener, cuts everything and shuts the pool down.
 */

/**
 * A loopback TCP proxy for fault-injection tests: it listens on {@code 127.0.0.1}, forwards every connection to a
 * target address, and on command cuts connections, stalls them (stops reading and forwarding in both directions
 * without closing), adds a delay, throttles bytes per second, or refuses new connections.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", brokerPort))) {
 *     // point the client at proxy.port()
 *     proxy.cutAll();                 // every live connection is reset
 *     proxy.stall(true);              // the link freezes, sockets stay open
 *     proxy.heal();                   // no faults
 * }
 * }</pre>
 *
 * <p>Thread-safety: every method may be called from any thread. Fault settings apply to live connections at once
 * (a pump waiting on a stall, delay or throttle is woken by a change). Threads: one acceptor plus two per live
 * connection, at most {@link #maxConnections()} live connections; {@link #close()} closes every socket and ends
 * every thread.
 *
 * @since 0.1.0
 */
public final class FaultProxy implements AutoCloseable {

    /** Live connections allowed by {@link #start(InetSocketAddress)}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 32;

    private static final int CHUNK = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /**
     * One live proxied connection, as {@link #connections()} reports it.
     *
     * @param id the proxy's number for it, from 1, in accept order
     * @param clientPort the client's port on 127.0.0.1
     * @param bytesUp bytes forwarded from the client to the target so far
     * @param bytesDown bytes forwarded from the target to the client so far
     * @since 0.1.0
     */
    public record ConnectionInfo(int id, int clientPort, long bytesUp, long bytesDown) {}

    private final InetSocketAddress target;
    private final int maxConnections;
    private final ServerSocket listener;
    private final ExecutorService pool;
    private final Map<Integer, ProxiedConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final FaultGate gate = new FaultGate(CHUNK);

    private FaultProxy(InetSocketAddress target, int maxConnections, ServerSocket listener) {
        this.target = target;
        this.maxConnections = maxConnections;
        this.listener = listener;
        // A fixed bound with a queue: a pump submitted while an ended one's thread is still returning to the pool
        // waits a moment instead of being rejected.
        ThreadPoolExecutor p = new ThreadPoolExecutor(
                1 + 2 * maxConnections,
                1 + 2 * maxConnections,
                10,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "fault-proxy-" + listener.getLocalPort());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        this.pool = p;
    }

    /**
     * Starts a proxy on a free port of 127.0.0.1 with at most {@value #DEFAULT_MAX_CONNECTIONS} live connections.
     *
     * @param target where connections are forwarded to
     * @return the running proxy
     * @throws UncheckedIOException if no port can be bound
     * @since 0.1.0
     */
    public static FaultProxy start(InetSocketAddress target) {
        return start(target, 0, DEFAULT_MAX_CONNECTIONS);
    }

    /**
     * Starts a proxy.
     *
     * @param target where connections are forwarded to
     * @param port the port to listen on at 127.0.0.1, or 0 for a free one
     * @param maxConnections live connections allowed at once, 1..1024; more are accepted and closed at once
     * @return the running proxy
     * @throws IllegalArgumentException if {@code port} is outside 0..65535 or {@code maxConnections} outside 1..1024
     * @throws UncheckedIOException if the port cannot be bound
     * @since 0.1.0
     */
    public static FaultProxy start(InetSocketAddress target, int port, int maxConnections) {
        Objects.requireNonNull(target, "target");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxConnections < 1 || maxConnections > 1024) {
            throw new IllegalArgumentException("maxConnections must be 1..1024: " + maxConnections);
        }
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("fault proxy cannot listen on 127.0.0.1:" + port, e);
        }
        FaultProxy proxy = new FaultProxy(target, maxConnections, listener);
        proxy.pool.execute(proxy::acceptLoop);
        return proxy;
    }

    /**
     * The port the proxy listens on at 127.0.0.1.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Where the proxy forwards to.
     *
     * @return the target address
     * @since 0.1.0
     */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * How many live connections the proxy allows at once.
     *
     * @return the limit
     * @since 0.1.0
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Resets every live connection (both sockets, SO_LINGER 0). New connections are accepted as before unless
     * {@link #refuseNewConnections} is on.
     *
     * @return how many connections were cut
     * @since 0.1.0
     */
    public int cutAll() {
        int n = 0;
        for (ProxiedConnection c : List.copyOf(connections.values())) {
            c.reset();
            n++;
        }
        return n;
    }

    /**
     * Resets one live connection.
     *
     * @param id its {@link ConnectionInfo#id()}
     * @return {@code false} if no live connection has that id
     * @since 0.1.0
     */
    public boolean cut(int id) {
        ProxiedConnection c = connections.get(id);
        if (c == null) {
            return false;
        }
        c.reset();
        return true;
    }

    /**
     * Stalls or resumes every connection, live and new: while stalled, nothing is read or forwarded in either
     * direction (at most one chunk per direction is held), and no socket is closed, as with a frozen peer or a
     * black-holing network.
     *
     * @param on {@code true} to stall, {@code false} to resume
     * @since 0.1.0
     */
    public void stall(boolean on) {
        gate.stall(on);
    }

    /**
     * Delays every chunk by {@code delay} before it is forwarded (each direction of each connection waits in turn,
     * so a delay also lowers throughput).
     *
     * @param delay zero for none; not negative
     * @throws IllegalArgumentException if negative
     * @since 0.1.0
     */
    public void delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        gate.delay(delay.toNanos());
    }

    /**
     * Limits each direction of each connection to {@code bytesPerSecond}.
     *
     * @param bytesPerSecond the rate, or 0 for no limit; not negative
     * @throws IllegalArgumentException if negative
     * @since 0.1.0
     */
    public void throttle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bytesPerSecond must not be negative (0 = unlimited): " + bytesPerSecond);
        }
        gate.throttle(bytesPerSecond);
    }

    /**
     * Refuses or accepts new connections. A refused connection is accepted and reset at once, so the client's
     * connect fails while the port stays the proxy's. Live connections are not touched.
     *
     * @param on {@code true} to refuse
     * @since 0.1.0
     */
    public void refuseNewConnections(boolean on) {
        gate.refuse(on);
    }

    /**
     * Clears every fault: no stall, no delay, no throttle, new connections accepted.
     *
     * @since 0.1.0
     */
    public void heal() {
        gate.heal();
    }

    /**
     * The live connections, oldest first.
     *
     * @return a snapshot
     * @since 0.1.0
     */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> out = new ArrayList<>();
        for (ProxiedConnection c : connections.values()) {
            out.add(c.info());
        }
        out.sort(Comparator.comparingInt(ConnectionInfo::id));
        return out;
    }

    /**
     * Connections accepted and forwarded since start.
     *
     * @return the count
     * @since 0.1.0
     */
    public long acceptedConnections() {
        return accepted.get();
    }

    /**
     * Connections refused since start: while {@link #refuseNewConnections} was on, beyond {@link #maxConnections()},
     * or because the target could not be reached.
     *
     * @return the count
     * @since 0.1.0
     */
    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Bytes forwarded in both directions since start.
     *
     * @return the count
     * @since 0.1.0
     */
    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    /** Stops listening, resets every connection and ends every thread. Idempotent. */
    @Override
    public void close() {
        if (!gate.close()) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // Closing is best effort; the acceptor ends on the closed socket either way.
        }
        cutAll();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!gate.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (gate.refusesNewConnections() || connections.size() >= maxConnections) {
                refused.incrementAndGet();
                ProxiedConnection.abort(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                refused.incrementAndGet();
                ProxiedConnection.abort(client);
                ProxiedConnection.abort(upstream);
                continue;
            }
            ProxiedConnection c = new ProxiedConnection(
                    nextId.incrementAndGet(), client, upstream, gate, CHUNK, forwardedBytes, connections::remove);
            connections.put(c.id(), c);
            accepted.incrementAndGet();
            try {
                pool.execute(c::pumpUp);
                pool.execute(c::pumpDown);
            } catch (RuntimeException e) {
                // Pool shut down by close(): the connection cannot be served.
                c.reset();
                connections.remove(c.id());
            }
        }
    }
}
