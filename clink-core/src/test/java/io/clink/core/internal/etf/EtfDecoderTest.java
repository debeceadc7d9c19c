package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EtfDecoderTest {
    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    private Term decode(int... bytes) throws ProtocolException {
        return decoder.decode(Bytes.of(bytes));
    }

    private ProtocolException fails(byte[] bytes) {
        try {
            Term t = decoder.decode(bytes);
            throw new AssertionError("decoded to " + t + " but should have failed");
        } catch (ProtocolException e) {
            return e;
        }
    }

    private ProtocolException fails(int... bytes) {
        return fails(Bytes.of(bytes));
    }

    @Test
    void decode_allFourAtomTags_giveEqualAtoms() throws ProtocolException {
        assertThat(decode(131, 100, 0, 2, 'o', 'k')).isEqualTo(ErlAtom.OK);
        assertThat(decode(131, 115, 2, 'o', 'k')).isEqualTo(ErlAtom.OK);
        assertThat(decode(131, 118, 0, 2, 'o', 'k')).isEqualTo(ErlAtom.OK);
        assertThat(decode(131, 119, 2, 'o', 'k')).isEqualTo(ErlAtom.OK);
    }

    @Test
    void decode_latin1AtomWithHighByte_readsAsLatin1() throws ProtocolException {
        assertThat(decode(131, 115, 1, 0xe9)).isEqualTo(ErlAtom.of("é"));
        assertThat(decode(131, 119, 2, 0xc3, 0xa9)).isEqualTo(ErlAtom.of("é"));
    }

    @Test
    void decode_invalidUtf8Atom_rejected() {
        assertThat(fails(131, 119, 1, 0xe9))
                .hasMessageContaining("not valid UTF-8")
                .extracting(e -> e.offset())
                .isEqualTo(1);
    }

    @Test
    void decode_atomOver255Chars_rejected() {
        byte[] b = new byte[4 + 256];
        b[0] = (byte) 131;
        b[1] = 118;
        b[2] = 1;
        b[3] = 0;
        Arrays.fill(b, 4, b.length, (byte) 'a');
        assertThat(fails(b)).hasMessageContaining("more than 255 characters");
    }

    @Test
    void decode_integers_allTagsAndCanonicalForm() throws ProtocolException {
        assertThat(decode(131, 97, 255)).isEqualTo(ErlInteger.of(255));
        assertThat(decode(131, 98, 0xff, 0xff, 0xff, 0xfe)).isEqualTo(ErlInteger.of(-2));
        assertThat(decode(131, 110, 1, 0, 5)).isEqualTo(ErlInteger.of(5));
        assertThat(decode(131, 110, 0, 0)).isEqualTo(ErlInteger.of(0));
        assertThat(decode(131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0x80)).isEqualTo(ErlInteger.of(Long.MIN_VALUE));
        assertThat(decode(131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x80))
                .isEqualTo(ErlBigInteger.integer(BigInteger.ONE.shiftLeft(63)));
        assertThat(decode(131, 111, 0, 0, 0, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1))
                .isEqualTo(ErlBigInteger.integer(BigInteger.ONE.shiftLeft(64).negate()));
    }

    @Test
    void decode_bigSignByteNotZeroOrOne_rejected() {
        assertThat(fails(131, 110, 1, 2, 5)).hasMessageContaining("sign byte must be 0 or 1, found 2");
    }

    @Test
    void decode_floats_newAndOldFormat() throws ProtocolException {
        assertThat(decode(131, 70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0)).isEqualTo(ErlFloat.of(1.5));
        byte[] old = new byte[33];
        old[0] = (byte) 131;
        old[1] = 99;
        byte[] text = "1.50000000000000000000e+00".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, old, 2, text.length);
        assertThat(decoder.decode(old)).isEqualTo(ErlFloat.of(1.5));
    }

    @Test
    void decode_nonFiniteOrNonDecimalFloat_rejected() {
        assertThat(fails(131, 70, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0)).hasMessageContaining("not finite");
        byte[] old = new byte[33];
        old[0] = (byte) 131;
        old[1] = 99;
        byte[] text = "NaN".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, old, 2, text.length);
        assertThat(fails(old)).hasMessageContaining("not a decimal number");
    }

    @Test
    void decode_stringExt_isListOfBytes() throws ProtocolException {
        assertThat(decode(131, 107, 0, 2, 'h', 'i')).isEqualTo(ErlList.of(ErlInteger.of('h'), ErlInteger.of('i')));
    }

    @Test
    void decode_improperList_keepsTail() throws ProtocolException {
        assertThat(decode(131, 108, 0, 0, 0, 1, 97, 1, 97, 2))
                .isEqualTo(ErlList.improper(java.util.List.of(ErlInteger.of(1)), ErlInteger.of(2)));
    }

    @Test
    void decode_binaryIsViewOfInput_noCopy() throws ProtocolException {
        byte[] in = Bytes.of(131, 109, 0, 0, 0, 3, 'a', 'b', 'c');
        ErlBinary b = (ErlBinary) decoder.decode(in);
        assertThat(b).isEqualTo(ErlBinary.utf8("abc"));
        in[6] = 'z';
        assertThat(b.byteAt(0)).isEqualTo((byte) 'z');
    }

    @Test
    void decode_rangeAndByteBuffers_sameResult() throws ProtocolException {
        byte[] in = Bytes.of(0, 0, 131, 97, 7, 0);
        assertThat(decoder.decode(in, 2, 3)).isEqualTo(ErlInteger.of(7));
        ByteBuffer direct =
                ByteBuffer.allocateDirect(3).put(Bytes.of(131, 97, 7)).flip();
        assertThat(decoder.decode(direct)).isEqualTo(ErlInteger.of(7));
        assertThat(direct.position()).isZero();
        assertThat(decoder.decode(ByteBuffer.wrap(in, 2, 3).slice())).isEqualTo(ErlInteger.of(7));
    }

    @Test
    void decode_errorOffsetsCountFromRangeStart() {
        byte[] in = Bytes.of(9, 9, 131, 104, 2, 97, 1, 77);
        assertThatThrownBy(() -> decoder.decode(in, 2, 6))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("at byte offset 5")
                .hasMessageContaining("BIT_BINARY_EXT (77)");
    }

    @Test
    void decode_wrongVersion_rejectedAtOffsetZero() {
        ProtocolException e = fails(130, 97, 1);
        assertThat(e.offset()).isZero();
        assertThat(e).hasMessageContaining("expected the version byte 131, found 130");
    }

    @Test
    void decode_tooShort_rejected() {
        assertThat(fails(131)).hasMessageContaining("too short");
        assertThat(fails(new byte[0])).hasMessageContaining("too short");
    }

    @Test
    void decode_trailingBytes_rejected() {
        ProtocolException e = fails(131, 97, 1, 0);
        assertThat(e).hasMessageContaining("1 trailing bytes");
        assertThat(e.offset()).isEqualTo(3);
    }

    @Test
    void decode_unknownTag_rejectedWithTag() {
        assertThat(fails(131, 200))
                .hasMessageContaining("unknown tag (200)")
                .extracting(ProtocolException::offset)
                .isEqualTo(1);
        assertThat(fails(131, 82, 0)).hasMessageContaining("ATOM_CACHE_REF (82)");
    }

    @Test
    void decode_truncatedInsideTerm_namesTag() {
        assertThat(fails(131, 109, 0, 0, 0, 5, 'a')).hasMessageContaining("BINARY_EXT (109) declares 5 bytes");
        assertThat(fails(131, 98, 0, 0)).hasMessageContaining("INTEGER_EXT (98) needs 4 more bytes");
        assertThat(fails(131, 104, 2, 97, 1)).hasMessageContaining("input ends where a term was expected");
    }

    @Test
    void decode_hugeDeclaredCounts_failFastBeforeAllocating() {
        assertThat(fails(131, 108, 0xff, 0xff, 0xff, 0xff, 106)).hasMessageContaining("declares 4294967295 elements");
        assertThat(fails(131, 116, 0xff, 0xff, 0xff, 0xff)).hasMessageContaining("declares 4294967295 entries");
        assertThat(fails(131, 105, 0xff, 0xff, 0xff, 0xff)).hasMessageContaining("declares 4294967295 elements");
        assertThat(fails(131, 109, 0xff, 0xff, 0xff, 0xff)).hasMessageContaining("declares 4294967295 bytes");
        assertThat(fails(131, 111, 0xff, 0xff, 0xff, 0xff, 0)).hasMessageContaining("declares 4294967295 digit");
        assertThat(fails(131, 107, 0xff, 0xff, 1)).hasMessageContaining("declares 65535 bytes");
        assertThat(fails(131, 104, 0xff, 1)).hasMessageContaining("declares 255 elements");
    }

    @Test
    void decode_duplicateMapKey_rejected() {
        assertThat(fails(131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3))
                .hasMessageContaining("has the key 1 twice")
                .extracting(ProtocolException::offset)
                .isEqualTo(10);
    }

    @Test
    void decode_nestingAtLimit_acceptedOneDeeperRejected() throws ProtocolException {
        assertThat(decoder.decode(nestedLists(64))).isInstanceOf(ErlList.class);
        assertThat(fails(nestedLists(65))).hasMessageContaining("nests deeper than the limit of 64 levels");
    }

    @Test
    void decode_hundredThousandLevels_rejectedWithoutStackOverflow() {
        assertThat(fails(nestedLists(100_000))).hasMessageContaining("nests deeper");
        byte[] tuples = new byte[1 + 2 * 100_000 + 1];
        tuples[0] = (byte) 131;
        for (int i = 0; i < 100_000; i++) {
            tuples[1 + 2 * i] = 104;
            tuples[2 + 2 * i] = 1;
        }
        tuples[tuples.length - 1] = 106;
        assertThat(fails(tuples)).hasMessageContaining("SMALL_TUPLE_EXT (104) nests deeper");
    }

    /** {@code depth} lists nested inside each other: [[[...[]...]]]. */
    static byte[] nestedLists(int depth) {
        byte[] b = new byte[1 + 5 * depth + 1 + depth];
        b[0] = (byte) 131;
        int p = 1;
        for (int i = 0; i < depth; i++) {
            b[p++] = 108;
            b[p++] = 0;
            b[p++] = 0;
            b[p++] = 0;
            b[p++] = 1;
        }
        // the innermost element, then each list's tail
        for (int i = 0; i <= depth; i++) {
            b[p++] = 106;
        }
        return b;
    }

    @Test
    void decode_customDepthLimit_applied() {
        EtfDecoder shallow = new EtfDecoder(EtfLimits.builder().maxDepth(2).build());
        assertThatThrownBy(() -> shallow.decode(nestedLists(3)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("limit of 2 levels");
    }

    @Test
    void decode_payloadOverLimit_rejectedBeforeReading() {
        EtfDecoder small = new EtfDecoder(EtfLimits.builder().maxPayloadBytes(8).build());
        assertThatThrownBy(() -> small.decode(new byte[9]))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("payload of 9 bytes exceeds the limit of 8 bytes");
    }

    @Test
    void decode_bitBinary_rejected() {
        assertThat(fails(131, 77, 0, 0, 0, 1, 3, 0xe0)).hasMessageContaining("BIT_BINARY_EXT (77)");
    }

    @Test
    void decode_compressed_inflatesAndChecksDeclaredSize() throws ProtocolException {
        byte[] inner = Bytes.of(109, 0, 0, 0, 3, 'a', 'b', 'c');
        assertThat(decoder.decode(Bytes.compressed(inner.length, inner))).isEqualTo(ErlBinary.utf8("abc"));
        assertThat(fails(Bytes.compressed(inner.length + 1, inner)))
                .hasMessageContaining("inflates to 8 bytes, but " + "the header declares 9");
        assertThat(fails(Bytes.compressed(inner.length - 1, inner))).hasMessageContaining("more than the declared 7");
        assertThat(fails(Bytes.compressed(0, inner))).hasMessageContaining("declares 0 inflated bytes");
    }

    @Test
    void decode_compressedWithTrailingOrTruncatedOrCorruptStream_rejected() {
        byte[] inner = Bytes.of(109, 0, 0, 0, 3, 'a', 'b', 'c');
        byte[] ok = Bytes.compressed(inner.length, inner);
        assertThat(fails(Bytes.concat(ok, Bytes.of(0)))).hasMessageContaining("1 trailing bytes after the zlib stream");
        assertThat(fails(Arrays.copyOf(ok, ok.length - 3))).hasMessageContaining("truncated");
        byte[] corrupt = ok.clone();
        corrupt[6] = 0x11;
        assertThat(fails(corrupt)).hasMessageContaining("corrupt zlib stream");
        assertThat(fails(131, 80, 0, 0)).hasMessageContaining("ends inside its 4-byte size header");
    }

    @Test
    void decode_compressedInnerError_offsetIsIntoInflatedData() {
        byte[] inner = Bytes.of(104, 2, 97, 1, 77);
        assertThat(fails(Bytes.compressed(inner.length, inner)))
                .hasMessageContaining("at byte offset 4")
                .hasMessageContaining("inflated data");
    }

    @Test
    void decode_declaredInflatedSizeOverLimit_failsBeforeInflating() {
        assertThat(fails(131, 80, 0xff, 0xff, 0xff, 0xff, 0x78, 0x9c))
                .hasMessageContaining("declares 4294967295 inflated bytes, above the limit of 16777216");
        EtfDecoder small =
                new EtfDecoder(EtfLimits.builder().maxInflatedBytes(100).build());
        assertThatThrownBy(() -> small.decode(Bytes.compressed(101, new byte[101])))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("above the limit of 100");
    }

    @Test
    void decode_opaqueTerms_keptAsBytesAndReencodedUnchanged() throws ProtocolException {
        byte[] node = Bytes.of(119, 13, 'n', 'o', 'n', 'o', 'd', 'e', '@', 'n', 'o', 'h', 'o', 's', 't');
        byte[][] terms = {
            Bytes.concat(Bytes.of(88), node, Bytes.of(0, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0)),
            Bytes.concat(Bytes.of(103), node, Bytes.of(0, 0, 0, 80, 0, 0, 0, 0, 0)),
            Bytes.concat(Bytes.of(90, 0, 3), node, Bytes.of(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3)),
            Bytes.concat(Bytes.of(114, 0, 1), node, Bytes.of(0, 0, 0, 0, 1)),
            Bytes.concat(Bytes.of(101), node, Bytes.of(0, 0, 0, 1, 0)),
            Bytes.concat(Bytes.of(120), node, Bytes.of(0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0)),
            Bytes.concat(Bytes.of(89), node, Bytes.of(0, 0, 0, 7, 0, 0, 0, 0)),
            Bytes.concat(Bytes.of(102), node, Bytes.of(0, 0, 0, 7, 0)),
            Bytes.of(113, 119, 5, 'l', 'i', 's', 't', 's', 119, 3, 'm', 'a', 'p', 97, 2),
        };
        ErlOpaque.Kind[] kinds = {
            ErlOpaque.Kind.PID,
            ErlOpaque.Kind.PID,
            ErlOpaque.Kind.REFERENCE,
            ErlOpaque.Kind.REFERENCE,
            ErlOpaque.Kind.REFERENCE,
            ErlOpaque.Kind.PORT,
            ErlOpaque.Kind.PORT,
            ErlOpaque.Kind.PORT,
            ErlOpaque.Kind.FUN
        };
        for (int i = 0; i < terms.length; i++) {
            byte[] payload = Bytes.concat(Bytes.of(131), terms[i]);
            Term t = decoder.decode(payload);
            assertThat(t).isInstanceOf(ErlOpaque.class);
            assertThat(((ErlOpaque) t).kind()).isEqualTo(kinds[i]);
            assertThat(EtfEncoder.encode(t)).isEqualTo(payload);
        }
    }

    @Test
    void decode_pidWithLatin1NodeAtom_equalsUtf8FormAndReencodesAsUtf8() throws ProtocolException {
        byte[] latin1 = Bytes.of(131, 88, 100, 0, 1, 'n', 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3);
        byte[] utf8 = Bytes.of(131, 88, 119, 1, 'n', 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3);
        assertThat(decoder.decode(latin1)).isEqualTo(decoder.decode(utf8));
        assertThat(EtfEncoder.encode(decoder.decode(latin1))).isEqualTo(utf8);
    }

    @Test
    void decode_chainedExportArities_boundedByDepth() {
        byte[] b = new byte[1 + 100_000 * 7 + 2];
        b[0] = (byte) 131;
        int p = 1;
        for (int i = 0; i < 100_000; i++) {
            byte[] head = Bytes.of(113, 119, 1, 'm', 119, 1, 'f');
            System.arraycopy(head, 0, b, p, head.length);
            p += head.length;
        }
        b[p++] = 97;
        b[p] = 0;
        assertThat(fails(b)).hasMessageContaining("EXPORT_EXT (113) nests deeper");
    }

    @Test
    void decode_hugeBignumAsDuplicateKey_errorMessageStaysShortAndFast() {
        int n = 4 * 1024 * 1024;
        byte[] big = new byte[6 + n];
        big[0] = 111;
        big[1] = (byte) (n >>> 24);
        big[2] = (byte) (n >>> 16);
        big[3] = (byte) (n >>> 8);
        big[4] = (byte) n;
        java.util.Arrays.fill(big, 6, big.length, (byte) 0x5a);
        byte[] map = Bytes.concat(Bytes.of(131, 116, 0, 0, 0, 2), big, Bytes.of(97, 1), big, Bytes.of(97, 2));
        ProtocolException e = fails(map);
        assertThat(e).hasMessageContaining("#BigInteger<33554431 bits>");
        assertThat(e.getMessage().length()).isLessThan(200);
    }

    @Test
    void decode_referenceWithTooManyWords_rejected() {
        assertThat(fails(131, 90, 0, 6, 119, 1, 'n')).hasMessageContaining("6 id words, at most 5");
    }

    @Test
    void decode_pidWithNonAtomNode_rejected() {
        assertThat(fails(131, 88, 97, 1)).hasMessageContaining("expects an atom for its node");
    }
}
