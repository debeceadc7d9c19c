package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The parts that keep decoding from allocating per call: UTF-8 checks, the atom cache, small maps, proper lists. */
class DecoderAllocationPartsTest {
    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    /** The JDK's strict decoder, the reference the hand-written check must agree with. */
    private static @Nullable String jdkStrict(byte[] b) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Test
    void utf8DecodeOrNull_randomBytes_agreesWithJdkStrictDecoder() {
        SplittableRandom rnd = new SplittableRandom(16);
        // Bytes drawn mostly from the lead and continuation ranges, so that every kind of malformed sequence occurs.
        int[] pool = {
            0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xee, 0xef, 0xf0,
            0xf4, 0xf5, 0xff
        };
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[rnd.nextInt(7)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) pool[rnd.nextInt(pool.length)];
            }
            assertThat(Utf8.decodeOrNull(b, 0, b.length))
                    .as("bytes %s", java.util.Arrays.toString(b))
                    .isEqualTo(jdkStrict(b));
        }
    }

    @Test
    void utf8DecodeOrNull_range_decodesOnlyTheRange() {
        byte[] b = "x\u00e9\ud83d\ude00y".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decodeOrNull(b, 1, b.length - 1)).isEqualTo("\u00e9\ud83d\ude00");
        // Cutting a 4-byte sequence short is malformed even though the array goes on.
        assertThat(Utf8.decodeOrNull(b, 1, b.length - 2)).isNull();
    }

    @Test
    void decode_sameAtomTwice_returnsTheCachedInstance() throws ProtocolException {
        byte[] wire = {(byte) 131, 119, 9, 'c', 'a', 'c', 'h', 'e', 'd', '-', 'o', 'k'};
        Term first = decoder.decode(wire);
        Term second = decoder.decode(wire);
        assertThat(second).isSameAs(first).isEqualTo(ErlAtom.of("cached-ok"));
    }

    @Test
    void decode_latin1BytesOfACachedUtf8Atom_readAsLatin1() throws ProtocolException {
        // UTF-8 "é" is C3 A9; the same two bytes under a Latin-1 tag are "Ã©", and must not hit the cached "é".
        assertThat(decoder.decode(new byte[] {(byte) 131, 119, 2, (byte) 0xc3, (byte) 0xa9}))
                .isEqualTo(ErlAtom.of("\u00e9"));
        assertThat(decoder.decode(new byte[] {(byte) 131, 115, 2, (byte) 0xc3, (byte) 0xa9}))
                .isEqualTo(ErlAtom.of("\u00c3\u00a9"));
        assertThat(decoder.decode(new byte[] {(byte) 131, 100, 0, 2, (byte) 0xc3, (byte) 0xa9}))
                .isEqualTo(ErlAtom.of("\u00c3\u00a9"));
    }

    @Test
    void decode_moreDistinctAtomsThanSlots_eachStillDecodesToItsOwnText() throws ProtocolException {
        // Three times the cache's size: slots are replaced, never grown, and a replaced atom decodes afresh.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3 * AtomCache.SLOTS; i++) {
                byte[] name = ("a" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] wire = new byte[3 + name.length];
                wire[0] = (byte) 131;
                wire[1] = 119;
                wire[2] = (byte) name.length;
                System.arraycopy(name, 0, wire, 3, name.length);
                assertThat(((ErlAtom) decoder.decode(wire)).name()).isEqualTo("a" + i);
            }
        }
    }

    @Test
    void decode_cachedAtomWithInvalidUtf8Variant_stillRejected() throws ProtocolException {
        decoder.decode(new byte[] {(byte) 131, 119, 2, 'o', 'k'});
        assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 131, 119, 2, 'o', (byte) 0x80}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    private static byte[] mapOf(int entries, int duplicateAt) {
        ByteBuffer b = ByteBuffer.allocate(6 + entries * 4);
        b.put((byte) 131).put((byte) 116).putInt(entries);
        for (int i = 0; i < entries; i++) {
            b.put((byte) 97).put((byte) (i == duplicateAt ? 0 : i));
            b.put((byte) 97).put((byte) (100 + i));
        }
        return b.array();
    }

    @Test
    void decode_smallAndLargeMaps_equalTheSameEntriesInAnyMap() throws ProtocolException {
        for (int entries : new int[] {1, 2, 8, 9, 40}) {
            ErlMap m = (ErlMap) decoder.decode(mapOf(entries, -1));
            Map<Term, Term> expected = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                expected.put(ErlInteger.of(i), ErlInteger.of(100 + i));
            }
            assertThat(m.entries()).as("%d entries", entries).isEqualTo(expected);
            assertThat(expected).isEqualTo(m.entries());
            assertThat(m.entries().hashCode()).isEqualTo(expected.hashCode());
            assertThat(m).isEqualTo(ErlMap.of(expected)).hasSameHashCodeAs(ErlMap.of(expected));
            assertThat(m.get(ErlInteger.of(entries - 1))).isEqualTo(ErlInteger.of(100 + entries - 1));
            assertThat(m.get(ErlInteger.of(entries))).isNull();
            assertThat(m.entries().keySet()).containsExactlyElementsOf(expected.keySet());
        }
    }

    @Test
    void decode_duplicateKeyInSmallOrLargeMap_rejectedNamingTheKey() {
        for (int entries : new int[] {2, 8, 9, 40}) {
            assertThatThrownBy(() -> decoder.decode(mapOf(entries, entries - 1)))
                    .as("%d entries", entries)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("has the key 0 twice");
        }
    }

    @Test
    void decode_smallMapEntries_areUnmodifiable() throws ProtocolException {
        ErlMap m = (ErlMap) decoder.decode(mapOf(2, -1));
        assertThatThrownBy(() -> m.entries().put(ErlInteger.of(5), ErlInteger.of(5)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entries().entrySet().iterator().next().setValue(ErlInteger.of(5)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void decode_properAndImproperLists_keepTheirShape() throws ProtocolException {
        ErlList proper = (ErlList) decoder.decode(new byte[] {(byte) 131, 108, 0, 0, 0, 2, 97, 1, 97, 2, 106});
        assertThat(proper).isEqualTo(ErlList.of(ErlInteger.of(1), ErlInteger.of(2)));
        assertThat(proper.isProper()).isTrue();
        assertThatThrownBy(() -> proper.elements().add(ErlInteger.of(3)))
                .isInstanceOf(UnsupportedOperationException.class);
        ErlList improper = (ErlList) decoder.decode(new byte[] {(byte) 131, 108, 0, 0, 0, 1, 97, 1, 97, 2});
        assertThat(improper.tail()).isEqualTo(ErlInteger.of(2));
    }

    @Test
    void decode_compressedAfterCorruptAndTruncatedStreams_usesTheThreadsInflaterAfresh() throws ProtocolException {
        byte[] plain = EtfEncoder.encode(ErlBinary.wrap(new byte[2000]));
        byte[] good = EtfEncoder.compress(plain);
        assertThat(good[1]).isEqualTo((byte) 80);
        byte[] corrupt = good.clone();
        corrupt[8] ^= 0x55;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        for (int round = 0; round < 3; round++) {
            assertThatThrownBy(() -> decoder.decode(corrupt)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> decoder.decode(truncated)).isInstanceOf(ProtocolException.class);
            assertThat(decoder.decode(good)).isEqualTo(ErlBinary.wrap(new byte[2000]));
        }
    }
}
