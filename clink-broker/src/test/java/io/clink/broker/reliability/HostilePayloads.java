package io.clink.broker.reliability;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.testkit.payload.Zlib;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Payloads a hostile link peer sends, built with clink-core's own ETF encoder and protocol codec (so that each one
 * is wrong in exactly one way) or as raw bytes where the encoder refuses to write the fault (depth, compression
 * headers). Keys and tags follow protocol sections 3.2 to 3.7 and the golden vectors of clink-core.
 */
final class HostilePayloads {

    /** ETF version byte and the tags written by hand below. */
    private static final int VERSION = 131;

    private static final int COMPRESSED = 80;
    private static final int SMALL_TUPLE = 104;
    private static final int BINARY = 109;

    private static final ErlBinary OP_KEY_VALUE_ACTOR_INIT = ErlBinary.utf8("actor_init");
    private static final ErlAtom OP = ErlAtom.of("$op");

    /** Lazily built, shared: 16 MiB of zeros deflate to about 16 KiB. */
    private static volatile byte[] lyingBomb;

    private static volatile byte[] fullBomb;

    private HostilePayloads() {}

    /** A well-formed actor_init of {@code actor} towards {@code target}. */
    static byte[] actorInit(String actor, long incarnation, String target) {
        return ControlCodec.encode(
                new ControlMessage.ActorInit(actor, incarnation, target, ControlMessage.PROTOCOL_VERSION));
    }

    /** A well-formed route batch adding one route. */
    static byte[] routeAdd(String actor, long incarnation, String filter) {
        return ControlCodec.encode(
                new ControlMessage.RouteBatch(actor, incarnation, List.of(ControlMessage.RouteOp.add(filter, filter))));
    }

    /** A well-formed forwarded message. */
    static byte[] message(String topic, byte[] payload) {
        return messageRecord(topic, payload).encode();
    }

    private static ForwardedMessage messageRecord(String topic, byte[] payload) {
        return ForwardedMessage.builder()
                .id(new byte[16])
                .qos(1)
                .from("hostile")
                .topic(topic)
                .payload(payload)
                .timestamp(1_700_000_000_000L)
                .build();
    }

    static byte[] randomBytes(Random random, int maxLength) {
        byte[] b = new byte[1 + random.nextInt(maxLength)];
        random.nextBytes(b);
        return b;
    }

    /** A valid payload cut short at a random point (at least one byte missing). */
    static byte[] truncated(Random random, byte[] valid) {
        return Arrays.copyOf(valid, random.nextInt(valid.length));
    }

    /** One byte more than the decoder reads: refused before any decoding. */
    static byte[] oversized() {
        byte[] b = new byte[EtfLimits.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        b[0] = (byte) VERSION;
        b[1] = (byte) BINARY;
        return b;
    }

    /** A compressed term whose header declares 4 GiB - 1 inflated bytes. */
    static byte[] bombDeclaringHuge() {
        byte[] deflated = Zlib.deflate(new byte[1024]);
        return compressedFrame(0xFFFF_FFFFL, deflated);
    }

    /**
     * A compressed term that declares 64 bytes but inflates to 16 MiB of zeros: the decoder must stop one byte past
     * the declared size.
     */
    static byte[] bombLyingAboutItsSize() {
        byte[] b = lyingBomb;
        if (b == null) {
            b = compressedFrame(64, Zlib.deflateZeros(new byte[0], EtfLimits.DEFAULT_MAX_INFLATED_BYTES));
            lyingBomb = b;
        }
        return b;
    }

    /**
     * A compressed term that honestly inflates to the largest size allowed: one binary of 16 MiB - 5 zeros. It
     * decodes, but it is no control message and no {@code #message{}} record.
     */
    static byte[] bombAtTheLimit() {
        byte[] b = fullBomb;
        if (b == null) {
            int size = EtfLimits.DEFAULT_MAX_INFLATED_BYTES;
            int content = size - 5;
            byte[] header =
                    ByteBuffer.allocate(5).put((byte) BINARY).putInt(content).array();
            b = compressedFrame(size, Zlib.deflateZeros(header, content));
            fullBomb = b;
        }
        return b;
    }

    /** Tuples nested {@code depth} deep: {@code {{{...{}...}}}}. */
    static byte[] deeplyNested(int depth) {
        byte[] b = new byte[1 + 2 * depth];
        b[0] = (byte) VERSION;
        for (int i = 0; i < depth; i++) {
            b[1 + 2 * i] = (byte) SMALL_TUPLE;
            // Each tuple holds the next one; the innermost is empty.
            b[2 + 2 * i] = (byte) (i == depth - 1 ? 0 : 1);
        }
        return b;
    }

    /** actor_init whose actor is an integer and incarnation a binary. */
    static byte[] actorInitWrongTypes(String target) {
        return EtfEncoder.encode(ErlMap.of(
                OP,
                OP_KEY_VALUE_ACTOR_INIT,
                ErlInteger.of(14),
                ErlInteger.of(ControlMessage.PROTOCOL_VERSION),
                ErlInteger.of(13),
                ErlBinary.utf8(target),
                ErlInteger.of(10),
                ErlInteger.of(42),
                ErlInteger.of(11),
                ErlBinary.utf8("not an integer")));
    }

    /** A route batch whose operations are a map instead of a list. */
    static byte[] routeWrongTypes(String actor) {
        return EtfEncoder.encode(ErlMap.of(
                OP,
                ErlBinary.utf8("route"),
                ErlInteger.of(10),
                ErlBinary.utf8(actor),
                ErlInteger.of(11),
                ErlInteger.of(1),
                ErlInteger.of(12),
                ErlMap.of(ErlBinary.utf8("a/b"), ErlBinary.utf8("a/b"))));
    }

    /** A control map with an operation nobody defined. */
    static byte[] unknownOperation(String actor) {
        return EtfEncoder.encode(ErlMap.of(
                OP,
                ErlBinary.utf8("drop_all_routes"),
                ErlInteger.of(10),
                ErlBinary.utf8(actor),
                ErlInteger.of(11),
                ErlInteger.of(1)));
    }

    /** A {@code #message{}} record with one field of the wrong type, chosen by {@code variant}. */
    static byte[] badMessageRecord(int variant) {
        ErlTuple good = messageRecord("hostile/topic", new byte[] {1, 2, 3}).toTerm();
        List<io.clink.core.internal.etf.Term> f = new java.util.ArrayList<>(good.elements());
        switch (Math.floorMod(variant, 5)) {
            case 0 -> f.set(2, ErlInteger.of(7)); // QoS 7
            case 1 -> f.set(6, ErlInteger.of(1)); // topic not a binary
            case 2 -> f.set(6, ErlBinary.utf8("hostile/+/wildcard")); // a filter, not a topic name
            case 3 -> f.remove(9); // nine fields
            default -> f.set(4, ErlList.of(ErlAtom.of("dup"))); // flags not a map
        }
        return EtfEncoder.encode(ErlTuple.of(f.toArray(new io.clink.core.internal.etf.Term[0])));
    }

    private static byte[] compressedFrame(long declared, byte[] deflated) {
        ByteBuffer b = ByteBuffer.allocate(6 + deflated.length);
        b.put((byte) VERSION).put((byte) COMPRESSED).putInt((int) declared).put(deflated);
        return b.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
