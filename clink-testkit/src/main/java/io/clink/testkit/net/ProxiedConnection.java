package io.clink.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/*
 * Why this exists: one connection through a FaultProxy is a pair of sockets and two pumps that must live and die
 * together (a half-open proxy would hide the loss from one side); this class owns that pairing, the byte counters and
 * the pump loop, while the proxy only accepts and keeps the table.
 */
final class ProxiedConnection {

    private final int id;
    private final Socket client;
    private final Socket upstream;
    private final FaultGate gate;
    private final int chunk;
    private final AtomicLong forwardedBytes;
    private final IntConsumer onEnded;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicInteger pumpsLeft = new AtomicInteger(2);
    private volatile boolean cut;

    /**
     * @param forwardedBytes the proxy's total, added to as bytes are written
     * @param onEnded called with {@code id} once both pumps have ended
     */
    ProxiedConnection(
            int id,
            Socket client,
            Socket upstream,
            FaultGate gate,
            int chunk,
            AtomicLong forwardedBytes,
            IntConsumer onEnded) {
        this.id = id;
        this.client = client;
        this.upstream = upstream;
        this.gate = gate;
        this.chunk = chunk;
        this.forwardedBytes = forwardedBytes;
        this.onEnded = onEnded;
    }

    int id() {
        return id;
    }

    boolean isCut() {
        return cut;
    }

    FaultProxy.ConnectionInfo info() {
        return new FaultProxy.ConnectionInfo(id, client.getPort(), up.get(), down.get());
    }

    /** Forwards client to target until either side ends; runs on a pool thread. */
    void pumpUp() {
        pump(client, upstream, up);
    }

    /** Forwards target to client until either side ends; runs on a pool thread. */
    void pumpDown() {
        pump(upstream, client, down);
    }

    void reset() {
        cut = true;
        abort(client);
        abort(upstream);
        // A pump held by a stall, delay or throttle waits on the gate, not on its socket.
        gate.wake();
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buf = new byte[chunk];
        long nextSendNanos = System.nanoTime();
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n = in.read(buf, 0, gate.readSize());
                if (n < 0) {
                    return;
                }
                nextSendNanos = gate.awaitRelease(this, n, nextSendNanos);
                if (nextSendNanos == FaultGate.DROP) {
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
                counter.addAndGet(n);
                forwardedBytes.addAndGet(n);
            }
        } catch (IOException e) {
            // Reset by cut(), closed by the peer, or closed by close(): the connection is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pumpEnded();
        }
    }

    private void pumpEnded() {
        if (pumpsLeft.decrementAndGet() == 0) {
            onEnded.accept(id);
        } else {
            // One direction ended (EOF or error): the other cannot be useful, and a half-open proxy would hide the
            // loss from one side.
            reset();
        }
    }

    /** Closes a socket with SO_LINGER 0, so the peer sees a reset as after a dropped NAT entry or a killed peer. */
    static void abort(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // Already closed or never connected: a plain close is all that is left.
        }
        try {
            s.close();
        } catch (IOException e) {
            // Nothing more to do for a socket we are discarding.
        }
    }
}
