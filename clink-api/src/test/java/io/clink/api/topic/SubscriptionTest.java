package io.clink.api.topic;

import static io.clink.api.topic.TopicValidationTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Subscription} parsing (MQTT 5.0 section 4.8.2 and EMQX's {@code $queue}) and route IDs. */
class SubscriptionTest {

    @ParameterizedTest(name = "{0} -> group {1}, filter {2}, route ID {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // plain subscriptions: the route ID is the filter itself (protocol document section 1.5)
                "t/#               |       | t/#            | t/#",
                "$share            |       | $share         | $share",
                "$queue            |       | $queue         | $queue",
                "$sharex/g/t       |       | $sharex/g/t    | $sharex/g/t",
                "$local/topic      |       | $local/topic   | $local/topic",
                "a/$share/g/t      |       | a/$share/g/t   | a/$share/g/t",
                // shared: the route ID is $s/<group>/<filter>; protocol document section 4.5 example $s/g1/t/+
                "$share/g1/t/+     | g1    | t/+            | $s/g1/t/+",
                "$share/group/topic| group | topic          | $s/group/topic",
                "$share/g/#        | g     | #              | $s/g/#",
                "$share/g//        | g     | /              | $s/g//",
                "$share/g/$SYS/#   | g     | $SYS/#         | $s/g/$SYS/#",
                "$share/g1/topic/$share | g1 | topic/$share  | $s/g1/topic/$share",
                "$share/$queue/t   | $queue| t              | $s/$queue/t",
                // $queue/T is the group $queue (emqx_topic:parse/2, protocol document section 4.11)
                "$queue/topic      | $queue| topic          | $s/$queue/topic",
                "$queue/a/+/#      | $queue| a/+/#          | $s/$queue/a/+/#",
            })
    void parse_validSubscription_splitsGroupAndFilter(String input, String group, String filter, String routeId) {
        Subscription s = Subscription.parse(input);
        assertThat(s.group().orElse(null)).isEqualTo(group);
        assertThat(s.isShared()).isEqualTo(group != null);
        assertThat(s.filter()).isEqualTo(TopicFilter.of(filter));
        assertThat(s.routeId()).isEqualTo(routeId);
        assertThat(Subscription.parse(s.toString())).isEqualTo(s).hasSameHashCodeAs(s);
    }

    @Test
    void toString_queueGroup_isCanonicalQueueForm() {
        assertThat(Subscription.parse("$share/$queue/t"))
                .hasToString("$queue/t")
                .isEqualTo(Subscription.parse("$queue/t"));
        assertThat(Subscription.parse("$share/g/t"))
                .hasToString("$share/g/t")
                .isNotEqualTo(Subscription.parse("$share/h/t"))
                .isNotEqualTo(Subscription.parse("t"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // emqx_topic_SUITE t_validate / t_parse
                "$share/         | the '/' after the group is missing",
                "$share/t        | the '/' after the group is missing",
                "$share/g        | the '/' after the group is missing",
                "$share//        | at least one character long (MQTT-4.8.2-1)",
                "$share//t       | at least one character long (MQTT-4.8.2-1)",
                "$share//test    | at least one character long (MQTT-4.8.2-1)",
                "$share/g/       | must not be empty",
                "$share/g2/      | must not be empty",
                "$share/g+/t     | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/p+q/1    | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/m+/1     | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/+n/1     | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/+/t      | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/x#y/1    | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/x#/1     | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/#y/1     | must not contain '/', '+' or '#' (MQTT-4.8.2-2)",
                "$share/g1/$share/t | must not itself start with $share/ or $queue/",
                "$share/g/$queue/t  | must not itself start with $share/ or $queue/",
                "$queue/$queue/t    | must not itself start with $share/ or $queue/",
                "$queue/$share/g/t  | must not itself start with $share/ or $queue/",
                "$queue/         | must not be empty",
                "$share/g/a/#/b  | '#' must be the whole last level",
                "$share/g/a+     | '+' must occupy a whole level",
                "$queue/#/a      | '#' must be the whole last level",
                "a/#/b           | '#' must be the whole last level",
            })
    void parse_invalidSubscription_rejectedNamingInputAndRule(String input, String rule) {
        InvalidTopicException e = assertRejected(() -> Subscription.parse(input), '"' + input + '"', rule);
        assertThat(e.input()).isEqualTo(input);
    }

    @Test
    void parse_invalidStringInShared_rejectedNamingWholeInput() {
        assertRejected(() -> Subscription.parse("$share/g/a\u0000"), "subscription \"$share/g/a\\u0000\"", "U+0000");
        assertRejected(() -> Subscription.parse("$queue/\uD800"), "subscription", "unpaired surrogate");
        assertRejected(() -> Subscription.parse("$share/g/" + "a".repeat(65_530)), "at most 65535 bytes");
        assertThat(Subscription.parse("$share/g/" + "a".repeat(65_526)).filter().value())
                .hasSize(65_526);
    }

    @Test
    void shared_validGroupAndFilter_equalsParsed() {
        Subscription s = Subscription.shared("g", TopicFilter.of("a/+"));
        assertThat(s).isEqualTo(Subscription.parse("$share/g/a/+"));
        assertThat(Subscription.shared(Subscription.QUEUE_GROUP, TopicFilter.of("a")))
                .hasToString("$queue/a");
        assertThat(Subscription.plain(TopicFilter.of("a/+"))).isEqualTo(Subscription.parse("a/+"));
    }

    @Test
    void shared_invalidGroupOrFilter_rejected() {
        assertRejected(() -> Subscription.shared("", TopicFilter.of("t")), "\"$share//t\"", "MQTT-4.8.2-1");
        assertRejected(() -> Subscription.shared("a/b", TopicFilter.of("t")), "MQTT-4.8.2-2");
        assertRejected(() -> Subscription.shared("g#", TopicFilter.of("t")), "MQTT-4.8.2-2");
        assertRejected(() -> Subscription.shared("g", TopicFilter.of("$share/h/t")), "must not itself start");
        assertRejected(() -> Subscription.shared("g", TopicFilter.of("a".repeat(65_535))), "at most 65535 bytes");
    }
}
