package io.clink.broker.reliability;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 5 peer written byte by byte, for what Paho refuses to send: a PUBLISH whose fixed header declares more
 * bytes than the broker's Maximum-Packet-Size (Paho checks the CONNACK's limit and never sends it), and a QoS 2
 * PUBLISH retransmitted with DUP before its PUBREL.
 */
final class RawSocketPeer {

    /** The socket closed without a DISCONNECT packet. */
    static final int CLOSED = -2;
    /** Nothing came within the timeout: the broker is still reading the body. */
    static final int NO_ANSWER = -1;

    private final String host;
    private final int port;
    private final String clientId;
    private final String user;
    private final byte[] password;
    private final int timeoutMs;

    /**
     * A peer that logs in as {@code user} with {@code clientId}; each exchange below opens its own connection, and
     * every read on it waits at most {@code timeoutMs}.
     */
    RawSocketPeer(String host, int port, String clientId, String user, byte[] password, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.clientId = clientId;
        this.user = user;
        this.password = password.clone();
        this.timeoutMs = timeoutMs;
    }

    /**
     * Connects, then sends the fixed header and topic of a QoS 0 PUBLISH declaring {@code declaredLength} bytes,
     * followed by 4 KiB of its body only, and waits for the broker's answer.
     *
     * @return the DISCONNECT reason code, {@link #CLOSED} or {@link #NO_ANSWER}
     */
    int publishDeclaring(String topic, int declaredLength) throws IOException {
        try (Socket s = connected()) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteArrayOutputStream publish = new ByteArrayOutputStream();
            publish.write(0x30);
            writeVarInt(publish, declaredLength);
            writeString(publish, topic);
            publish.write(0); // no properties
            publish.write(new byte[4096]);
            out.write(publish.toByteArray());
            out.flush();
            return readDisconnect(in);
        }
    }

    /**
     * Connects, then plays a QoS 2 exchange with a retransmission, as a sender does after a lost PUBREC: PUBLISH
     * (packet id 7), PUBLISH again with DUP set, then PUBREL; and stays connected until the PUBCOMP.
     *
     * @return the reason codes of the two PUBRECs and of the PUBCOMP (0 when the packet carries none)
     * @throws IOException if the broker refuses the CONNECT, answers with another packet, or closes the socket
     */
    int[] qos2PublishWithRetransmission(String topic, byte[] payload) throws IOException {
        final int packetId = 7;
        try (Socket s = connected()) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int[] codes = new int[3];
            for (int dup = 0; dup < 2; dup++) {
                out.write(qos2Publish(topic, packetId, payload, dup == 1));
                out.flush();
                codes[dup] = ackReason(expect(in, 0x50, "PUBREC"), packetId);
            }
            out.write(new byte[] {0x62, 2, (byte) (packetId >> 8), (byte) packetId}); // PUBREL, success
            out.flush();
            codes[2] = ackReason(expect(in, 0x70, "PUBCOMP"), packetId);
            out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT, normal
            out.flush();
            return codes;
        }
    }

    /**
     * Connects, sends one QoS 2 PUBLISH, reads the PUBREC, then checks the connection is still served: a PINGREQ
     * must be answered with a PINGRESP (not a DISCONNECT or a close).
     *
     * @return the PUBREC's reason code
     * @throws IOException if the broker refuses the CONNECT, answers with another packet, or closes the socket
     */
    int qos2PublishThenPing(String topic, byte[] payload) throws IOException {
        final int packetId = 9;
        try (Socket s = connected()) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(qos2Publish(topic, packetId, payload, false));
            out.flush();
            int code = ackReason(expect(in, 0x50, "PUBREC"), packetId);
            out.write(new byte[] {(byte) 0xC0, 0}); // PINGREQ
            out.flush();
            expect(in, 0xD0, "PINGRESP");
            out.write(new byte[] {(byte) 0xE0, 0});
            out.flush();
            return code;
        }
    }

    /**
     * A socket on which the CONNECT was sent and a successful CONNACK read; the caller closes it.
     *
     * @throws IOException naming the packet or reason code if the broker answered with anything but a success
     */
    private Socket connected() throws IOException {
        Socket s = new Socket(host, port);
        try {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(connect(clientId, user, password));
            out.flush();
            byte[] connack = expect(new DataInputStream(s.getInputStream()), 0x20, "CONNACK");
            if (connack.length < 2 || connack[1] != 0) {
                throw new IOException("CONNECT refused: reason 0x"
                        + (connack.length < 2 ? "?" : Integer.toHexString(connack[1] & 0xff)));
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A QoS 2 PUBLISH without properties; {@code dup} marks it as a retransmission. */
    private static byte[] qos2Publish(String topic, int packetId, byte[] payload, boolean dup) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xff);
        body.write(0); // no properties
        body.write(payload);
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        publish.write(dup ? 0x3C : 0x34);
        writeVarInt(publish, body.size());
        body.writeTo(publish);
        return publish.toByteArray();
    }

    private static byte[] expect(DataInputStream in, int type, String what) throws IOException {
        int got = in.readUnsignedByte();
        byte[] body = new byte[readVarInt(in)];
        in.readFully(body);
        if ((got & 0xF0) != type) {
            throw new IOException("expected " + what + ", got packet type 0x" + Integer.toHexString(got)
                    + ((got & 0xF0) == 0xE0 && body.length > 0
                            ? " (DISCONNECT 0x" + Integer.toHexString(body[0] & 0xff) + ")"
                            : ""));
        }
        return body;
    }

    private static int ackReason(byte[] body, int packetId) throws IOException {
        if (body.length < 2 || (((body[0] & 0xff) << 8) | (body[1] & 0xff)) != packetId) {
            throw new IOException("acknowledgement for another packet id");
        }
        return body.length == 2 ? 0 : body[2] & 0xff;
    }

    private static int readDisconnect(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            while (true) {
                int type = in.readUnsignedByte();
                int length = readVarInt(in);
                byte[] body = new byte[length];
                in.readFully(body);
                if ((type & 0xF0) == 0xE0) {
                    return length == 0 ? 0 : body[0] & 0xff;
                }
            }
        } catch (EOFException e) {
            return CLOSED;
        } catch (SocketTimeoutException e) {
            return NO_ANSWER;
        } catch (IOException e) {
            // A reset after the broker closed: the same as a close.
            return CLOSED;
        }
    }

    private static byte[] connect(String clientId, String user, byte[] password) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        writeString(v, "MQTT");
        v.write(5);
        v.write(0xC2); // user name, password, clean start
        v.write(0);
        v.write(60); // keep alive
        v.write(0); // no properties
        writeString(v, clientId);
        writeString(v, user);
        v.write(password.length >> 8);
        v.write(password.length & 0xff);
        v.write(password);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x10);
        writeVarInt(p, v.size());
        v.writeTo(p);
        return p.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.write(b);
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        int v = value;
        do {
            int digit = v % 128;
            v /= 128;
            out.write(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
    }

    private static int readVarInt(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }
}
