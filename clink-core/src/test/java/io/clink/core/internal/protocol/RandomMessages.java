package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generator of protocol messages with awkward but valid content (Unicode, big numbers, long lists). */
final class RandomMessages {
    private static final String[] WORDS = {
        "a", "t", "+", "#", "devices", "温度", "ключ", "$s", "g1", "", "x y", "emoji-😀", "é", "\"quoted\"", "'"
    };

    private final Random random;

    RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    String text(int maxWords) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(maxWords + 1);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** A topic name as EMQX forwards them: never empty, never a wildcard (the decoder refuses both). */
    String topicName() {
        String t = text(5).replace('+', 'p').replace('#', 'h');
        return t.isEmpty() ? "t" : t;
    }

    long anyLong() {
        switch (random.nextInt(4)) {
            case 0:
                return random.nextInt(256);
            case 1:
                return random.nextInt();
            case 2:
                return 1722945600000L + random.nextInt(1_000_000);
            default:
                return random.nextLong();
        }
    }

    ControlMessage control() {
        String actor = random.nextBoolean() ? "emqx@" + text(2) : "ps-routes-v1";
        switch (random.nextInt(4)) {
            case 0:
                return new ActorInit(actor, anyLong(), text(2), 1);
            case 1:
                return new ActorInitAck(
                        actor,
                        1,
                        random.nextBoolean()
                                ? new Accepted(random.nextBoolean())
                                : new Rejected(random.nextBoolean() ? Rejected.UNKNOWN_CLUSTER : text(3)));
            case 2: {
                List<RouteOp> ops = new ArrayList<>();
                int n = random.nextInt(8) == 0 ? 300 + random.nextInt(300) : random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    String filter = text(4);
                    String id = random.nextBoolean() ? filter : "$s/g" + random.nextInt(3) + "/" + filter;
                    ops.add(random.nextBoolean() ? RouteOp.add(filter, id) : RouteOp.delete(filter, id));
                }
                return new RouteBatch(actor, anyLong(), ops);
            }
            default:
                return new Heartbeat(actor, anyLong());
        }
    }

    ForwardedMessage message() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        ForwardedMessageBuilder b = ForwardedMessage.builder()
                .id(id)
                .qos(random.nextInt(3))
                .from(text(2))
                .topic(topicName())
                .timestamp(Math.abs(anyLong()));
        if (random.nextInt(4) > 0) {
            b.dup(random.nextBoolean());
        }
        if (random.nextInt(4) > 0) {
            b.retain(random.nextBoolean());
        }
        byte[] payload = new byte[random.nextInt(6) == 0 ? 2000 + random.nextInt(3000) : random.nextInt(40)];
        if (random.nextBoolean()) {
            random.nextBytes(payload);
        } else {
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) ('a' + i % 7);
            }
        }
        b.payload(payload);
        if (random.nextInt(5) > 0) {
            b.headers(headers());
        }
        return b.build();
    }

    private MessageHeaders headers() {
        MessageHeaders.Builder h = MessageHeaders.builder();
        if (random.nextInt(5) > 0) {
            h.properties(properties());
        }
        if (random.nextBoolean()) {
            h.username(random.nextBoolean() ? null : text(2));
        }
        if (random.nextBoolean()) {
            byte[] addr = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(addr);
            if (addr.length == 16) {
                addr[0] = 0x20; // never IPv4-mapped
            }
            try {
                h.peerhost(InetAddress.getByAddress(addr));
                if (random.nextBoolean()) {
                    h.header(EmqxAtoms.PEERNAME, ErlTuple.of(ipTuple(addr), ErlInteger.of(random.nextInt(65536))));
                }
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        if (random.nextBoolean()) {
            h.protoVer(3 + random.nextInt(3));
        }
        if (random.nextBoolean()) {
            h.protocolMqtt();
        }
        if (random.nextInt(4) == 0) {
            h.header(EmqxAtoms.CLIENT_ATTRS, ErlMap.of(ErlBinary.utf8(text(1)), ErlBinary.utf8(text(2))));
        }
        return h.build();
    }

    private static ErlTuple ipTuple(byte[] addr) {
        if (addr.length == 4) {
            return ErlTuple.of(
                    ErlInteger.of(addr[0] & 0xff),
                    ErlInteger.of(addr[1] & 0xff),
                    ErlInteger.of(addr[2] & 0xff),
                    ErlInteger.of(addr[3] & 0xff));
        }
        ErlInteger[] parts = new ErlInteger[8];
        for (int i = 0; i < 8; i++) {
            parts[i] = ErlInteger.of(((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff));
        }
        return ErlTuple.of(parts);
    }

    private MessageProperties properties() {
        MessageProperties.Builder p = MessageProperties.builder();
        int users = random.nextInt(3) == 0 ? random.nextInt(5) : 0;
        for (int i = 0; i < users; i++) {
            String key = random.nextBoolean() ? "dup-key" : text(1);
            p.userProperty(key, text(2));
        }
        if (random.nextBoolean()) {
            p.messageExpiryInterval(random.nextBoolean() ? random.nextInt(3600) : 0xffffffffL);
        }
        if (random.nextBoolean()) {
            p.contentType(text(2));
        }
        if (random.nextBoolean()) {
            p.responseTopic(text(3));
        }
        if (random.nextBoolean()) {
            byte[] cd = new byte[random.nextInt(20)];
            random.nextBytes(cd);
            p.correlationData(cd);
        }
        if (random.nextBoolean()) {
            p.payloadFormatIndicator(random.nextInt(2));
        }
        return p.build();
    }
}
