package io.clink.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports for tests that start real servers (bound on every interface, so also free on loopback).
 *
 * <p>All the ports of one call are picked while every one of them is held, so they are distinct: picking them one
 * at a time (bind, read, close, repeat) can return the same port twice, which once failed CI. Ask for every port a
 * test needs in one call. A port is free when returned, not reserved: another process may still take it before the
 * test binds it, as with any free-port scheme.
 *
 * @since 0.1.0
 */
public final class FreePorts {

    /** The most ports one call hands out; more than a test plausibly needs, and a bound on the sockets held. */
    public static final int MAX_PORTS = 64;

    private FreePorts() {}

    /**
     * Picks {@code n} distinct free ports. Thread: any; blocking: binds and closes {@code n} sockets.
     *
     * @param n how many, 1 to {@link #MAX_PORTS}
     * @return {@code n} distinct port numbers
     * @throws IllegalArgumentException if {@code n} is out of range
     * @throws UncheckedIOException if a socket could not be bound (the system is out of ports or sockets)
     * @since 0.1.0
     */
    public static int[] pick(int n) {
        if (n < 1 || n > MAX_PORTS) {
            throw new IllegalArgumentException("FreePorts.pick: n must be 1 to " + MAX_PORTS + ": " + n);
        }
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind " + n + " free ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // The port stays free for the test either way; nothing else to do with a failed close.
                }
            }
        }
        return ports;
    }

    /**
     * One free port; for several, call {@link #pick(int)} once instead.
     *
     * @return a port number
     * @throws UncheckedIOException if no socket could be bound
     * @since 0.1.0
     */
    public static int one() {
        return pick(1)[0];
    }
}
