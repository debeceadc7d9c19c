package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.testkit.payload.Zlib;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the decoder: mutated golden vectors (bit flips, truncations, inflated lengths and counts,
 * insertions), random bytes, deep nesting and zip bombs. The only acceptable outcomes are a term that re-encodes
 * and decodes to itself, or a {@link ProtocolException}; anything else thrown fails the test. Seeded, so a failure
 * reproduces; each loop is bounded in count and wall time.
 */
class EtfDecoderFuzzTest {
    private static final long SEED = 20261127L;
    private static final long TIME_BUDGET_NANOS = 5_000_000_000L;

    /** A zlib stream of 24 MiB of zeros (about 24 KiB). */
    private static final byte[] BOMB_STREAM = Zlib.deflateZeros(new byte[0], 24L << 20);

    private final EtfDecoder decoder = EtfDecoder.withDefaults();

    private void check(byte[] input) {
        Term t;
        try {
            t = decoder.decode(input);
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        } catch (Throwable unexpected) {
            throw new AssertionError(
                    "decoder threw " + unexpected + " for input " + Arrays.toString(input), unexpected);
        }
        try {
            assertThat(decoder.decode(EtfEncoder.encode(t))).isEqualTo(t);
        } catch (ProtocolException e) {
            throw new AssertionError("re-encoded term " + t + " does not decode", e);
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (GoldenVectors.Vector v : GoldenVectors.all()) {
            seeds.add(v.plain);
            if (v.compressed != null) {
                seeds.add(v.compressed);
            }
        }
        return seeds;
    }

    @Test
    void decode_mutatedGoldenVectors_onlyProtocolException() {
        Random r = new Random(SEED);
        List<byte[]> seeds = seeds();
        long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
        int runs = 0;
        for (; runs < 20_000 && System.nanoTime() < deadline; runs++) {
            byte[] in = seeds.get(r.nextInt(seeds.size())).clone();
            byte[] mutated = mutate(in, r);
            check(mutated);
            if (r.nextInt(4) == 0 && mutated.length > 1 && mutated[0] == (byte) 131 && mutated[1] != 80) {
                // Reach the inflated-data path with the same mutation.
                check(EtfEncoder.compress(mutated));
            }
        }
        assertThat(runs).isGreaterThan(1000);
    }

    private static byte[] mutate(byte[] in, Random r) {
        int edits = 1 + r.nextInt(3);
        byte[] b = in;
        for (int e = 0; e < edits; e++) {
            int pos = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0:
                    if (b.length > 0) {
                        b[pos] ^= (byte) (1 << r.nextInt(8));
                    }
                    break;
                case 1:
                    b = Arrays.copyOf(b, pos);
                    break;
                case 2:
                    if (pos + 4 <= b.length) {
                        int v = r.nextBoolean() ? 0xffffffff : r.nextBoolean() ? 0x7fffffff : r.nextInt(1 << 16);
                        b[pos] = (byte) (v >>> 24);
                        b[pos + 1] = (byte) (v >>> 16);
                        b[pos + 2] = (byte) (v >>> 8);
                        b[pos + 3] = (byte) v;
                    }
                    break;
                case 3:
                    if (b.length > 0) {
                        b[pos] = (byte) r.nextInt(256);
                    }
                    break;
                case 4: {
                    byte[] ins = new byte[1 + r.nextInt(4)];
                    r.nextBytes(ins);
                    byte[] nb = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, nb, 0, pos);
                    System.arraycopy(ins, 0, nb, pos, ins.length);
                    System.arraycopy(b, pos, nb, pos + ins.length, b.length - pos);
                    b = nb;
                    break;
                }
                default:
                    if (pos + 1 < b.length) {
                        b[pos + 1] = (byte) 0xff;
                    }
            }
        }
        return b;
    }

    @Test
    void decode_randomBytes_onlyProtocolException() {
        Random r = new Random(SEED + 1);
        long deadline = System.nanoTime() + TIME_BUDGET_NANOS / 2;
        int runs = 0;
        for (; runs < 20_000 && System.nanoTime() < deadline; runs++) {
            byte[] b = new byte[1 + r.nextInt(64)];
            r.nextBytes(b);
            b[0] = (byte) 131;
            if (r.nextInt(3) == 0 && b.length > 1) {
                // Bias towards valid tags so the random tail is actually parsed.
                int[] tags = {
                    70, 97, 98, 99, 100, 104, 105, 106, 107, 108, 109, 110, 111, 115, 116, 118, 119, 88, 90, 112, 113,
                    80
                };
                b[1] = (byte) tags[r.nextInt(tags.length)];
            }
            check(b);
        }
        assertThat(runs).isGreaterThan(1000);
    }

    @Test
    void decode_fourGiBDeclaredCounts_failFastWithoutAllocating() {
        byte[][] hostile = {
            Bytes.of(131, 108, 0xff, 0xff, 0xff, 0xff, 106),
            Bytes.of(131, 116, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 1),
            Bytes.of(131, 105, 0xff, 0xff, 0xff, 0xff, 97, 1),
            Bytes.of(131, 109, 0xff, 0xff, 0xff, 0xff, 0),
            Bytes.of(131, 111, 0xff, 0xff, 0xff, 0xff, 0, 1),
            Bytes.of(131, 80, 0xff, 0xff, 0xff, 0xff, 0x78, 0x9c, 3, 0),
        };
        for (byte[] b : hostile) {
            check(b); // warm up
            long allocated = allocatedBytesDuring(() -> check(b));
            assertThat(allocated)
                    .as("bytes allocated decoding %s", Arrays.toString(b))
                    .isLessThan(64 * 1024);
        }
    }

    @Test
    void decode_zipBombWithSmallDeclaredSize_stopsAtDeclaredSize() {
        byte[] bomb = Bytes.concat(Bytes.of(131, 80, 0, 0, 4, 0), BOMB_STREAM);
        check(bomb); // warm up: class loading must not count
        long cpuStart = cpuNanos();
        long allocated = allocatedBytesDuring(() -> check(bomb));
        assertThat(cpuNanos() - cpuStart).isLessThan(1_000_000_000L);
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void decode_zipBombDeclaringTheLimit_costsAtMostTheLimit() {
        // 16 MiB declared (the default limit), 24 MiB of zeros behind it.
        byte[] bomb = Bytes.concat(Bytes.of(131, 80, 1, 0, 0, 0), BOMB_STREAM);
        check(bomb); // warm up: class loading must not count
        long cpuStart = cpuNanos();
        long allocated = allocatedBytesDuring(() -> check(bomb));
        // CPU time, not wall time: the build machine may be busy. Inflating 16 MiB takes well under a second.
        assertThat(cpuNanos() - cpuStart).isLessThan(3_000_000_000L);
        // The growing output buffer costs about 1.3 times the limit; never the 24 MiB the stream holds.
        assertThat(allocated).isLessThan(32L << 20);
    }

    @Test
    void decode_compressedDeepNesting_rejected() {
        byte[] nested = EtfDecoderTest.nestedLists(10_000);
        byte[] compressed = EtfEncoder.compress(nested);
        assertThat(compressed[1]).isEqualTo((byte) 80);
        check(compressed);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long allocatedBytesDuring(Runnable r) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counting needs HotSpot's ThreadMXBean");
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) bean;
        long tid = Thread.currentThread().getId();
        long before = hs.getThreadAllocatedBytes(tid);
        r.run();
        return hs.getThreadAllocatedBytes(tid) - before;
    }
}
