package io.clink.artemis;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MQTT client over a plain socket, for what the testkit's Paho client cannot do: speak MQTT 3.1.1, or send
 * MQTT 5 topic aliases of the test's choosing. Blocking; one thread; every read bounded by the socket timeout.
 */
final class RawMqttClient implements AutoCloseable {

    /** One packet: its type (upper nibble of the first byte), flags and the rest after the remaining length. */
    record Packet(int type, int flags, byte[] body) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final java.util.ArrayDeque<String> received = new java.util.ArrayDeque<>();
    private final int version;
    private int nextPacketId = 1;

    /** An MQTT 3.1.1 connection. */
    RawMqttClient(int port, String clientId, boolean cleanSession, int keepAliveSeconds) throws IOException {
        this(port, clientId, cleanSession, keepAliveSeconds, 4);
    }

    /**
     * A connection of the given protocol version (4 = 3.1.1, 5 = 5.0; MQTT 5 with no CONNECT properties, so session
     * expiry 0).
     */
    RawMqttClient(int port, String clientId, boolean cleanSession, int keepAliveSeconds, int version)
            throws IOException {
        this.version = version;
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, "MQTT");
        v.write(version);
        v.write(cleanSession ? 0x02 : 0x00);
        v.write(keepAliveSeconds >> 8);
        v.write(keepAliveSeconds & 0xFF);
        properties(v, new byte[0]);
        string(v, clientId);
        send(0x10, v.toByteArray());
        Packet connack = read();
        if (connack.type() != 2 || connack.body()[1] != 0) {
            throw new IOException("CONNACK refused: type " + connack.type() + ", code " + connack.body()[1]);
        }
    }

    /** Subscribes one filter and returns the SUBACK's code (granted QoS or 0x80). */
    int subscribe(String filter, int qos) throws IOException {
        int id = nextPacketId++;
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(id >> 8);
        v.write(id & 0xFF);
        properties(v, new byte[0]);
        string(v, filter);
        v.write(qos);
        send(0x82, v.toByteArray());
        Packet suback = readSkippingPublishes(9);
        // MQTT 5 puts a property length (0 from Artemis here) between the packet id and the codes.
        return suback.body()[suback.body().length - 1] & 0xFF;
    }

    /** Publishes at QoS 0 or 1 and, for QoS 1, waits for the PUBACK. */
    void publish(String topic, String payload, int qos) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, topic);
        if (qos > 0) {
            int id = nextPacketId++;
            v.write(id >> 8);
            v.write(id & 0xFF);
        }
        properties(v, new byte[0]);
        v.write(payload.getBytes(StandardCharsets.UTF_8), 0, payload.getBytes(StandardCharsets.UTF_8).length);
        send(0x30 | (qos << 1), v.toByteArray());
        if (qos > 0) {
            readSkippingPublishes(4);
        }
    }

    /** Publishes without waiting for an answer. */
    void publishNoWait(String topic, String payload, int qos) throws IOException {
        send(0x30 | (qos << 1), publishBody(topic, payload, qos, -1));
    }

    /**
     * Publishes at QoS 1 with an MQTT 5 topic alias ({@code topic} empty to use an alias set before) and returns the
     * PUBACK's reason code.
     */
    int publishWithAlias(String topic, int alias, String payload) throws IOException {
        send(0x32, publishBody(topic, payload, 1, alias));
        Packet puback = readSkippingPublishes(4);
        return puback.body().length > 2 ? puback.body()[2] & 0xFF : 0;
    }

    /** Publishes at QoS 1 with a topic alias, without waiting for an answer. */
    void publishNoWaitWithAlias(String topic, int alias, String payload) throws IOException {
        send(0x32, publishBody(topic, payload, 1, alias));
    }

    /** @param alias the Topic Alias property to send, or -1 for none */
    private byte[] publishBody(String topic, String payload, int qos, int alias) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, topic);
        if (qos > 0) {
            int id = nextPacketId++;
            v.write(id >> 8);
            v.write(id & 0xFF);
        }
        properties(v, alias < 0 ? new byte[0] : new byte[] {0x23, (byte) (alias >> 8), (byte) alias});
        v.write(payload.getBytes(StandardCharsets.UTF_8), 0, payload.getBytes(StandardCharsets.UTF_8).length);
        return v.toByteArray();
    }

    /** The payload of the next PUBLISH received (acknowledged if QoS 1), or null if none comes within the timeout. */
    String awaitPublishPayload() throws IOException {
        if (!received.isEmpty()) {
            return received.poll();
        }
        try {
            for (int i = 0; i < 100; i++) {
                Packet p = read();
                if (p.type() == 3) {
                    return payloadOf(p);
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Whether the server closed the connection (reads until end of stream or the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            for (int i = 0; i < 100; i++) {
                read();
            }
            return false;
        } catch (java.io.EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void disconnect() throws IOException {
        send(0xE0, new byte[0]);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Packet readSkippingPublishes(int type) throws IOException {
        for (int i = 0; i < 100; i++) {
            Packet p = read();
            if (p.type() == type) {
                return p;
            }
            if (p.type() == 3) {
                received.add(payloadOf(p));
            }
        }
        throw new IOException("no packet of type " + type + " among the next 100");
    }

    private String payloadOf(Packet p) throws IOException {
        byte[] b = p.body();
        int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int offset = 2 + topicLength;
        int qos = (p.flags() >> 1) & 3;
        if (qos > 0) {
            int id = ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
            offset += 2;
            send(0x40, new byte[] {(byte) (id >> 8), (byte) id});
        }
        if (version >= 5) {
            int length = 0;
            for (int shift = 0; shift <= 21; shift += 7) {
                int digit = b[offset++] & 0xFF;
                length |= (digit & 0x7F) << shift;
                if ((digit & 0x80) == 0) {
                    break;
                }
            }
            offset += length;
        }
        return new String(b, offset, b.length - offset, StandardCharsets.UTF_8);
    }

    private Packet read() throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        for (int shift = 0; shift <= 21; shift += 7) {
            int digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0F, body);
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            p.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        p.write(body);
        out.write(p.toByteArray());
        out.flush();
    }

    /** MQTT 5 properties (length, then the bytes); nothing for MQTT 3.1.1. */
    private void properties(ByteArrayOutputStream b, byte[] props) {
        if (version >= 5) {
            b.write(props.length);
            b.write(props, 0, props.length);
        }
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.write(bytes.length >> 8);
        b.write(bytes.length & 0xFF);
        b.write(bytes, 0, bytes.length);
    }
}
