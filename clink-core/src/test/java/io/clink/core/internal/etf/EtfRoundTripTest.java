package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtfRoundTripTest {
    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    @Test
    void encodeDecode_thousandsOfRandomTerms_roundTripWithExactSize() throws ProtocolException {
        RandomTerms gen = new RandomTerms(42);
        for (int i = 0; i < 3000; i++) {
            Term t = gen.term(5);
            byte[] plain = EtfEncoder.encode(t);
            assertThat(plain).hasSize(EtfEncoder.encodedSize(t));
            assertThat(decoder.decode(plain)).as("term %s", t).isEqualTo(t);
            byte[] compressed = EtfEncoder.compress(plain);
            assertThat(compressed.length).isLessThanOrEqualTo(plain.length);
            assertThat(decoder.decode(compressed)).isEqualTo(t);
            ByteBuffer direct = ByteBuffer.allocateDirect(plain.length);
            EtfEncoder.encode(t, direct);
            assertThat(direct.remaining()).isZero();
        }
    }

    @Test
    void encode_integerBoundaries_useSmallestErtsTag() {
        assertThat(EtfEncoder.encode(ErlInteger.of(255))).containsExactly(Bytes.of(131, 97, 255));
        assertThat(EtfEncoder.encode(ErlInteger.of(256))).containsExactly(Bytes.of(131, 98, 0, 0, 1, 0));
        assertThat(EtfEncoder.encode(ErlInteger.of(-1))).containsExactly(Bytes.of(131, 98, 255, 255, 255, 255));
        assertThat(EtfEncoder.encode(ErlInteger.of(Integer.MAX_VALUE + 1L)))
                .containsExactly(Bytes.of(131, 110, 4, 0, 0, 0, 0, 0x80));
        assertThat(EtfEncoder.encode(ErlInteger.of(Integer.MIN_VALUE - 1L)))
                .containsExactly(Bytes.of(131, 110, 4, 1, 1, 0, 0, 0x80));
        assertThat(EtfEncoder.encode(ErlInteger.of(Long.MIN_VALUE)))
                .containsExactly(Bytes.of(131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0x80));
        byte[] large = EtfEncoder.encode(ErlBigInteger.integer(BigInteger.ONE.shiftLeft(8 * 256)));
        assertThat(large[1]).isEqualTo((byte) 111);
        assertThat(Arrays2.slice(large, 2, 7)).containsExactly(Bytes.of(0, 0, 1, 1, 0));
    }

    @Test
    void encode_byteList_usesStringExtUpTo65535Elements() {
        List<Term> bytes = new ArrayList<>(Collections.nCopies(65535, ErlInteger.of(1)));
        assertThat(EtfEncoder.encode(ErlList.of(bytes))[1]).isEqualTo((byte) 107);
        bytes.add(ErlInteger.of(1));
        assertThat(EtfEncoder.encode(ErlList.of(bytes))[1]).isEqualTo((byte) 108);
        assertThat(EtfEncoder.encode(ErlList.of(ErlInteger.of(256)))[1]).isEqualTo((byte) 108);
    }

    @Test
    void encode_longAtom_usesAtomUtf8Ext() {
        ErlAtom a = ErlAtom.of("ж".repeat(200));
        byte[] b = EtfEncoder.encode(a);
        assertThat(b[1]).isEqualTo((byte) 118);
        assertThat(b).hasSize(4 + 400);
    }

    @Test
    void encode_mapKeys_sortedInErtsOrder() {
        // Checked against erts: term_to_binary(#{1.0 => a, 1 => b, 2 => c}) writes 1, 2, 1.0.
        ErlMap m = ErlMap.of(
                ErlFloat.of(1.0),
                ErlAtom.of("a"),
                ErlInteger.of(1),
                ErlAtom.of("b"),
                ErlInteger.of(2),
                ErlAtom.of("c"));
        assertThat(EtfEncoder.encode(m))
                .containsExactly(Bytes.of(
                        131, 116, 0, 0, 0, 3, 97, 1, 119, 1, 'b', 97, 2, 119, 1, 'c', 70, 63, 240, 0, 0, 0, 0, 0, 0,
                        119, 1, 'a'));
    }

    @Test
    void compress_incompressibleOrTiny_returnsPlainInstance() {
        byte[] tiny = EtfEncoder.encode(ErlAtom.OK);
        assertThat(EtfEncoder.compress(tiny)).isSameAs(tiny);
        byte[] random = new byte[500];
        new java.util.Random(1).nextBytes(random);
        byte[] plain = EtfEncoder.encode(ErlBinary.wrap(random));
        assertThat(EtfEncoder.compress(plain)).isSameAs(plain);
    }

    /** Small array helper. */
    static final class Arrays2 {
        static byte[] slice(byte[] b, int from, int to) {
            return java.util.Arrays.copyOfRange(b, from, to);
        }
    }
}
