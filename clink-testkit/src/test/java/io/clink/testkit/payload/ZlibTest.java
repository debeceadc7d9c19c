package io.clink.testkit.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class ZlibTest {

    @Test
    void deflate_anyBytes_inflatesBackToThem() throws DataFormatException {
        byte[] plain = {1, 2, 3, 'a', 'b', 'c', 0, (byte) 0xFF};

        assertThat(inflate(Zlib.deflate(plain), 1 << 10)).isEqualTo(plain);
    }

    @Test
    void deflate_empty_inflatesToNothing() throws DataFormatException {
        assertThat(inflate(Zlib.deflate(new byte[0]), 16)).isEmpty();
    }

    @Test
    void deflateZeros_prefixAndSixteenMebibytes_inflatesToBothAndWeighsAboutAThousandthOfThem()
            throws DataFormatException {
        byte[] prefix = {109, 0, 0, 0, 3};
        int zeros = 16 << 20;

        byte[] stream = Zlib.deflateZeros(prefix, zeros);
        byte[] inflated = inflate(stream, prefix.length + zeros + 1);

        assertThat(inflated).hasSize(prefix.length + zeros);
        assertThat(Arrays.copyOf(inflated, prefix.length)).isEqualTo(prefix);
        assertThat(Arrays.mismatch(inflated, prefix.length, inflated.length, new byte[zeros], 0, zeros))
                .as("index of the first byte after the prefix that is not zero")
                .isEqualTo(-1);
        assertThat(stream.length).isLessThan(zeros / 500);
    }

    @Test
    void deflateZeros_negativeCount_rejectedNamingIt() {
        assertThatThrownBy(() -> Zlib.deflateZeros(new byte[0], -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }

    /** Inflates at most {@code limit} bytes; a stream that has more fails the test instead of filling the heap. */
    private static byte[] inflate(byte[] stream, int limit) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(stream);
            byte[] out = new byte[limit];
            int n = 0;
            while (!inf.finished() && n < limit) {
                int got = inf.inflate(out, n, limit - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            assertThat(inf.finished())
                    .as("stream complete within %d bytes", limit)
                    .isTrue();
            return Arrays.copyOf(out, n);
        } finally {
            inf.end();
        }
    }
}
