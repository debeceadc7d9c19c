package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.topic.TopicAlgebra;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Properties of topic validation and backoff over generated inputs. */
class ConfigPropertiesTest {

    /** Small filters over a tiny alphabet, so that overlaps, duplicates and covers are frequent. */
    @Provide
    Arbitrary<List<String>> topicLists() {
        Arbitrary<String> level = Arbitraries.of("a", "b", "+");
        Arbitrary<String> filter = Combinators.combine(
                        level.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(false, true))
                .as((levels, hash) -> String.join("/", levels) + (hash ? "/#" : ""));
        return Arbitraries.oneOf(filter, Arbitraries.of("#", "+/#"))
                .list()
                .ofMinSize(0)
                .ofMaxSize(5);
    }

    @Property(tries = 200)
    void topics_acceptedExactlyWhenNoTopicIsSubsetOfAnother(@ForAll("topicLists") List<String> topics) {
        boolean someCovered = false;
        for (int i = 0; i < topics.size() && !someCovered; i++) {
            for (int j = 0; j < topics.size() && !someCovered; j++) {
                someCovered = i != j && TopicAlgebra.isSubset(topics.get(i), topics.get(j));
            }
        }
        if (someCovered) {
            assertThatThrownBy(() -> LinkConfig.builder().topics(topics))
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(((InvalidConfigException) e).reason())
                            .isEqualTo(InvalidConfigException.REDUNDANT_TOPICS));
        } else {
            assertThat(LinkConfig.builder()
                            .name("B")
                            .server("h")
                            .topics(topics)
                            .build()
                            .topics())
                    .containsExactlyElementsOf(topics);
        }
    }

    @Property(tries = 200)
    void topics_redundantMessage_namesEveryDroppedTopic(@ForAll("topicLists") List<String> topics) {
        List<String> kept = TopicAlgebra.union(topics);
        if (kept.size() == topics.size()) {
            return;
        }
        assertThatThrownBy(() -> LinkConfig.builder().topics(topics)).satisfies(e -> {
            String msg = e.getMessage();
            for (String t : topics) {
                if (!kept.contains(t) || topics.indexOf(t) != topics.lastIndexOf(t)) {
                    assertThat(msg).contains("'" + t + "' is");
                }
            }
        });
    }

    @Property(tries = 200)
    void delay_anyAttemptAndRandom_staysWithinJitterBandAndCap(
            @ForAll @IntRange(min = 0, max = 80) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random,
            @ForAll @IntRange(min = 1, max = 5000) int initialMs,
            @ForAll @IntRange(min = 0, max = 15_000) int extraMs,
            @ForAll @DoubleRange(min = 0, max = 1) double jitter) {
        ReconnectBackoff b = new ReconnectBackoff(
                Duration.ofMillis(initialMs), Duration.ofMillis(initialMs + (long) extraMs), jitter);
        long max = b.maxDelay().toNanos();
        double base = Math.min((double) b.initialDelay().toNanos() * Math.pow(2, attempt), max);
        long got = b.delay(attempt, random).toNanos();
        assertThat(got).isBetween(0L, max);
        assertThat((double) got).isBetween(Math.floor(base * (1 - jitter)) - 1, Math.min(max, base * (1 + jitter)) + 1);
    }
}
