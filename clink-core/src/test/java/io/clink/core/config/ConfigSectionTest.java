package io.clink.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSectionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0            | PT0S
            250          | PT0.25S
            500ms        | PT0.5S
            15s          | PT15S
            1m           | PT1M
            1M           | PT1M
            1h30m        | PT1H30M
            1m500ms      | PT1M0.5S
            2d           | PT48H
            1w           | PT168H
            """)
    void parseDuration_emqxForms_giveDuration(String text, String iso) {
        assertThat(ConfigSection.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "15x", "1.5s", "-1s", "15 s", "1h 30m", "ms15"})
    void parseDuration_otherText_givesNull(String text) {
        assertThat(ConfigSection.parseDuration(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0        | 0
            1024     | 1024
            10B      | 10
            1KB      | 1024
            64kb     | 65536
            1k       | 1024
            256MB    | 268435456
            2MiB     | 2097152
            1GB      | 1073741824
            1TB      | 1099511627776
            """)
    void parseBytes_emqxForms_giveBytes(String text, long bytes) {
        assertThat(ConfigSection.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "1.5MB", "-1", "1PB", "lots", "9999999999999999999TB"})
    void parseBytes_otherText_givesNull(String text) {
        assertThat(ConfigSection.parseBytes(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            topic        | topics
            linkz        | links
            verfy        | verify
            max_dealy    | max_delay
            """)
    void closest_typo_suggestsKnownKey(String typo, String expected) {
        assertThat(Suggestions.closest(typo, java.util.List.of("topics", "links", "verify", "max_delay", "name")))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"completely_different", "xyz"})
    void closest_farKey_suggestsNothing(String key) {
        assertThat(Suggestions.closest(key, java.util.List.of("topics", "links", "name")))
                .isNull();
    }
}
