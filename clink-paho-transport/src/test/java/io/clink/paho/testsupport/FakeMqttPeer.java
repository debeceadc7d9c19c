package io.clink.paho.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on 127.0.0.1 that accepts connections and lets the test decide what, if anything, to answer: the
 * "socket that accepts and never answers", or hand-written MQTT packets for cases a real broker will not produce
 * on demand.
 */
public final class FakeMqttPeer implements AutoCloseable {

    /** CONNACK, MQTT 5: session present 0, reason code 0, no properties. */
    public static final byte[] CONNACK_OK = {0x20, 0x03, 0x00, 0x00, 0x00};

    private final ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public FakeMqttPeer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-mqtt-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                all.add(s);
                accepted.add(s);
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits for the next accepted connection. */
    public Socket awaitConnection(Duration timeout) throws InterruptedException {
        Socket s = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no connection within " + timeout);
        }
        return s;
    }

    /** Reads one MQTT packet and returns its variable header and payload (the bytes after the fixed header). */
    public static byte[] readPacketBody(InputStream in, int expectedType) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        if (first >> 4 != expectedType) {
            throw new AssertionError("expected packet type " + expectedType + " but got " + (first >> 4));
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = data.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        byte[] body = new byte[length];
        data.readFully(body);
        return body;
    }

    /** Reads one MQTT packet and returns its packet type (the high nibble of the first byte). */
    public static int readPacket(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = data.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        data.readFully(new byte[length]);
        return first >> 4;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : all) {
            s.close();
        }
    }
}
