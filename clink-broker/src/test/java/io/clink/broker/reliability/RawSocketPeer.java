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
 * bytes than the broker's Maximum-Packet-Size (Paho checks the CONNACK's limit and never sends it).
 */
final class RawSocketPeer {

    /** The socket closed without a DISCONNECT packet. */
    static final int CLOSED = -2;
    /** Nothing came within the timeout: the broker is still reading the body. */
    static final int NO_ANSWER = -1;

    private RawSocketPeer() {}

    /**
     * Connects, then sends the fixed header and topic of a QoS 0 PUBLISH declaring {@code declaredLength} bytes,
     * followed by 4 KiB of its body only, and waits for the broker's answer.
     *
     * @return the DISCONNECT reason code, {@link #CLOSED} or {@link #NO_ANSWER}
     */
    static int publishDeclaring(String host, int port, String clientId, String user, byte[] password, String topic,
            int declaredLength, int timeoutMs) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connect(clientId, user, password));
            out.flush();
            int type = in.readUnsignedByte();
            int length = readVarInt(in);
            byte[] connack = new byte[length];
            in.readFully(connack);
            if (type != 0x20 || length < 2 || connack[1] != 0) {
                throw new IOException("CONNECT refused: packet type 0x" + Integer.toHexString(type) + ", reason 0x"
                        + (length < 2 ? "?" : Integer.toHexString(connack[1] & 0xff)));
            }
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
