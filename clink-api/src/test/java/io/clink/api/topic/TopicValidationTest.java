package io.clink.api.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation rules of {@link TopicName} and {@link TopicFilter} (MQTT 5.0 section 4.7) and their messages. */
class TopicValidationTest {

    /** 65535 one-byte characters: the longest valid topic. */
    private static final String MAX_TOPIC = "a".repeat(65_535);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "a/b",
                "a//b",
                "/",
                "//",
                "a/",
                "/a",
                "$SYS/x",
                "$",
                "x//y",
                "abc/de/f",
                " ",
                "sport/tennis/player1",
                "caf\u00e9/\uD83D\uDE00",
                "a/$share/b",
                "$share/g/t"
            })
    void topicNameOf_validName_keepsValue(String topic) {
        TopicName name = TopicName.of(topic);
        assertThat(name.value()).isEqualTo(topic);
        assertThat(name.toString()).isEqualTo(topic);
        assertThat(name)
                .isEqualTo(TopicName.of(new String(topic.toCharArray())))
                .hasSameHashCodeAs(TopicName.of(topic));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#",
                "+",
                "a/+/b",
                "a/#",
                "+/#",
                "a//b",
                "/",
                "/#",
                "$SYS/#",
                "$SYS/+",
                "sport/tennis/#",
                "abc/+/f",
                "x",
                "+/tennis/#",
                "sport/+/player1",
                "+/+",
                "//#",
                "a/b/c/d",
                "$share/g/t"
            })
    void topicFilterOf_validFilter_keepsValue(String filter) {
        // Includes emqx_topic_SUITE t_validate and t_sigle_level_validate valid filters.
        TopicFilter f = TopicFilter.of(filter);
        assertThat(f.value()).isEqualTo(filter);
        assertThat(f.toString()).isEqualTo(filter);
        assertThat(f)
                .isEqualTo(TopicFilter.of(new String(filter.toCharArray())))
                .hasSameHashCodeAs(TopicFilter.of(filter));
    }

    @Test
    void of_maximumLength_isAccepted() {
        assertThat(TopicName.of(MAX_TOPIC).value()).hasSize(65_535);
        assertThat(TopicFilter.of(MAX_TOPIC.substring(2) + "/#").value()).hasSize(65_535);
        // 21845 three-byte characters are 65535 bytes.
        assertThat(TopicName.of("\u20ac".repeat(21_845)).value()).hasSize(21_845);
    }

    @Test
    void of_emptyString_rejectedNamingTheRule() {
        assertRejected(() -> TopicName.of(""), "topic name", "\"\"", "at least one character", "MQTT-4.7.3-1");
        assertRejected(() -> TopicFilter.of(""), "topic filter", "\"\"", "at least one character", "MQTT-4.7.3-1");
    }

    @Test
    void of_nullCharacter_rejectedNamingTheRule() {
        assertRejected(() -> TopicName.of("a\u0000b"), "topic name", "\"a\\u0000b\"", "U+0000", "MQTT-4.7.3-2");
        assertRejected(() -> TopicFilter.of("a/\u0000"), "topic filter", "\"a/\\u0000\"", "U+0000", "MQTT-4.7.3-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "\uD800/b", "a\uDC00b", "\uDC00\uD800", "x/\uDBFF"})
    void of_unpairedSurrogate_rejectedNamingTheRule(String bad) {
        assertRejected(() -> TopicName.of(bad), "topic name", "\\u", "unpaired surrogate", "MQTT-1.5.4-1");
        assertRejected(() -> TopicFilter.of(bad), "topic filter", "\\u", "unpaired surrogate", "MQTT-1.5.4-1");
    }

    @Test
    void of_tooManyUtf8Bytes_rejectedWithShortenedInput() {
        String tooLong = MAX_TOPIC + "b";
        InvalidTopicException e = assertRejected(
                () -> TopicName.of(tooLong),
                "topic name",
                "\"aaaa",
                "at most 65535 bytes",
                "MQTT-4.7.3-3",
                "65536 bytes",
                "... (65536 chars)");
        assertThat(e.getMessage()).hasSizeLessThan(400);
        assertThat(e.input()).isSameAs(tooLong);
        // Fewer chars than bytes: 21846 three-byte characters are 65538 bytes; pairs count as 4 bytes.
        assertRejected(() -> TopicFilter.of("\u20ac".repeat(21_846)), "topic filter", "65538 bytes");
        assertRejected(() -> TopicFilter.of("\uD83D\uDE00".repeat(16_384)), "topic filter", "65536 bytes");
        // emqx_topic_SUITE t_validate long_topic(): "0/1/.../66666/".
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= 66_666; i++) {
            sb.append(i).append('/');
        }
        assertRejected(() -> TopicName.of(sb.toString()), "topic name", "at most 65535 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc/#", "#", "+", "a/+/b", "a+", "sport/tennis#", "a#b"})
    void topicNameOf_wildcardCharacter_rejectedNamingTheRule(String bad) {
        // emqx_topic_SUITE t_validate: {name, "abc/#"} is topic_name_error.
        assertRejected(() -> TopicName.of(bad), "topic name", '"' + bad + '"', "wildcard", "MQTT-4.7.0-1");
    }

    @ParameterizedTest
    @CsvSource({
        // emqx_topic_SUITE t_validate: topic_invalid_char
        "abc/#xzy/+",
        "sport/tennis#",
        // emqx_topic_SUITE t_validate: 'topic_invalid_#'
        "abc/#/1",
        "sport/tennis/#/ranking",
        // emqx_cluster_link_schema_tests invalid_topics_test_
        "$SYS/#/+",
        "a/b#",
        "#/",
        "#/a",
        "##",
        "a/#/",
        "a/#b"
    })
    void topicFilterOf_misplacedHash_rejectedNamingTheRule(String bad) {
        assertRejected(
                () -> TopicFilter.of(bad),
                "topic filter",
                '"' + bad + '"',
                "'#' must be the whole last level",
                "MQTT-4.7.1-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc/xzy/+9827", "sport+", "a/b+/c", "+a", "a/++", "++", "+a/#"})
    void topicFilterOf_partialPlusLevel_rejectedNamingTheRule(String bad) {
        // The first two are emqx_topic_SUITE t_validate / t_sigle_level_validate (topic_invalid_char).
        assertRejected(
                () -> TopicFilter.of(bad),
                "topic filter",
                '"' + bad + '"',
                "'+' must occupy a whole level",
                "MQTT-4.7.1-2");
    }

    @Test
    void invalidTopicException_quotesAndEscapesInput() {
        InvalidTopicException e = new InvalidTopicException("topic filter", "a\"b\\c\nd\u0085", "some rule");
        assertThat(e.getMessage()).isEqualTo("invalid topic filter \"a\\\"b\\\\c\\u000Ad\\u0085\": some rule");
        assertThat(e.rule()).isEqualTo("some rule");
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidTopicException_longInputCutInsideSurrogatePair_keepsMessageWellFormed() {
        String input = "a".repeat(119) + "\uD83D\uDE00".repeat(100) + "\u0000";
        InvalidTopicException e = assertRejected(() -> TopicName.of(input), "U+0000", "... (320 chars)");
        String message = e.getMessage();
        assertThat(new String(
                        message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(message);
        assertThat(message).startsWith("invalid topic name \"" + "a".repeat(119) + "\"...");
    }

    @Test
    void levels_emptyLevels_areKept() {
        assertThat(TopicName.of("a//b/").levels()).containsExactly("a", "", "b", "");
        assertThat(TopicName.of("/").levels()).containsExactly("", "");
        assertThat(TopicFilter.of("/a/+/#").levels()).containsExactly("", "a", "+", "#");
    }

    @Test
    void isDollar_dollarPrefixedName_isTrue() {
        assertThat(TopicName.of("$SYS/x").isDollar()).isTrue();
        assertThat(TopicName.of("a/$SYS").isDollar()).isFalse();
    }

    @Test
    void topicFilterOfName_nameAsFilter_matchesOnlyThatName() {
        TopicFilter f = TopicFilter.of(TopicName.of("a/b"));
        assertThat(f.isWildcard()).isFalse();
        assertThat(f.matches(TopicName.of("a/b"))).isTrue();
        assertThat(f.matches(TopicName.of("a/c"))).isFalse();
    }

    @Test
    void equals_differentTypesOrValues_areNotEqual() {
        assertThat(TopicFilter.of("a")).isNotEqualTo(TopicName.of("a")).isNotEqualTo(TopicFilter.of("A"));
        assertThat(TopicName.of("a")).isNotEqualTo(TopicFilter.of("a")).isNotEqualTo(TopicName.of("b"));
    }

    static InvalidTopicException assertRejected(Runnable call, String... messageParts) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call::run)
                .isInstanceOf(InvalidTopicException.class)
                .satisfies(t -> caught[0] = t)
                .message()
                .contains(messageParts);
        return (InvalidTopicException) caught[0];
    }
}
