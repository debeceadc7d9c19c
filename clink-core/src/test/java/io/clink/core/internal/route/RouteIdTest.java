package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteIdTest {

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "plain ASCII                 | 242f612f62          | $/a/b",
                "two-byte UTF-8              | c3a9                | \u00e9",
                "four-byte UTF-8             | f09f9880            | \ud83d\ude00",
                "backslash doubled           | 615c62              | a\\\\b",
                "lone high byte              | 2470ff2f74          | $p\\xFF/t",
                "truncated two-byte sequence | 61c3                | a\\xC3",
                "stray continuation byte     | 80                  | \\x80",
                "overlong slash              | c0af                | \\xC0\\xAF",
                "overlong three-byte         | e08080              | \\xE0\\x80\\x80",
                "encoded surrogate           | eda080              | \\xED\\xA0\\x80",
                "above U+10FFFF              | f4908080            | \\xF4\\x90\\x80\\x80",
                "escape-looking text         | 5c7846462f          | \\\\xFF/",
                "invalid then valid          | ffc3a9              | \\xFF\u00e9",
            })
    void escape_bytes_unambiguousText(String what, String hex, String expected) {
        assertThat(RouteId.escape(hex(hex))).as(what).isEqualTo(expected);
        assertThat(RouteId.of(hex(hex)).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"valid | c3a92f61 | true", "invalid | 61ff | false", "empty | '' | true"})
    void utf8OrNull_validity_textOnlyWhenValid(String what, String hex, boolean valid) {
        RouteId id = RouteId.of(hex(hex));
        assertThat(id.utf8OrNull()).isEqualTo(valid ? new String(hex(hex), StandardCharsets.UTF_8) : null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "same bytes | 2470ff | 2470ff | true",
                "one byte apart | 2470ff | 2470fe | false",
                "prefix | 2470 | 2470ff | false"
            })
    void equals_bytes_exactComparison(String what, String a, String b, boolean equal) {
        assertThat(RouteId.of(hex(a)).equals(RouteId.of(hex(b)))).as(what).isEqualTo(equal);
        if (equal) {
            assertThat(RouteId.of(hex(a))).hasSameHashCodeAs(RouteId.of(hex(b)));
        }
    }

    @org.junit.jupiter.api.Test
    void of_callerChangesArray_idUnchanged() {
        byte[] b = hex("6162");
        RouteId id = RouteId.of(b);
        b[0] = 'x';
        assertThat(id.toByteArray()).isEqualTo(hex("6162"));
        assertThat(id.length()).isEqualTo(2);
    }
}
