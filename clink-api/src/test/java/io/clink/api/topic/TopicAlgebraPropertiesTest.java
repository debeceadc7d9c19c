package io.clink.api.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Property tests of {@link TopicAlgebra} against brute force over a finite universe of topic names.
 *
 * <p>Generated filters have at most four levels over the literals {@code a}, {@code ""} (empty level) and
 * {@code $s}, plus {@code +} and a trailing {@code #}. The universe holds every topic of one to five levels over
 * those literals and one more, {@code c}, that no filter names, so that {@code +} and {@code #} are told apart from
 * literals. Any difference between two such filters shows on a topic of at most five levels, so agreeing on the
 * universe means agreeing on all topics.
 */
class TopicAlgebraPropertiesTest {

    private static final List<String> FILTER_LITERALS = List.of("a", "", "$s");
    private static final List<String> TOPIC_LEVELS = List.of("a", "", "$s", "c");
    private static final int MAX_FILTER_LEVELS = 4;
    private static final int MAX_TOPIC_LEVELS = 5;
    private static final List<String> UNIVERSE = universe();

    @Property
    void intersection_anyTwoFilters_isCommutative(@ForAll("filters") String a, @ForAll("filters") String b) {
        assertThat(TopicAlgebra.intersection(a, b)).isEqualTo(TopicAlgebra.intersection(b, a));
    }

    @Property
    void intersection_anyTwoFilters_matchesExactlyTopicsMatchedByBoth(
            @ForAll("filters") String a, @ForAll("filters") String b) {
        String x = TopicAlgebra.intersection(a, b);
        Statistics.label("intersection").collect(x != null ? "non-empty" : "empty");
        Statistics.label("intersection").coverage(c -> c.check("non-empty").percentage(p -> p > 10));
        if (x != null) {
            assertThatCode(() -> TopicFilter.of(x)).doesNotThrowAnyException();
        }
        assertThat(firstDifference(
                        t -> x != null && TopicAlgebra.match(x, t),
                        t -> TopicAlgebra.match(a, t) && TopicAlgebra.match(b, t)))
                .as("topic telling %s ∩ %s = %s apart", a, b, x)
                .isNull();
    }

    @Property
    void match_anyFilterAndTopic_agreesWithReferenceMatcher(@ForAll("filters") String filter) {
        assertThat(firstDifference(t -> TopicAlgebra.match(filter, t), t -> referenceMatch(filter, t)))
                .as("topic where %s disagrees with the reference", filter)
                .isNull();
    }

    @Property
    void isSubset_anyTwoFilters_agreesWithBruteForce(@ForAll("filters") String a, @ForAll("filters") String b) {
        boolean brute = bruteForceSubset(a, b);
        assertThat(TopicAlgebra.isSubset(a, b)).as("%s ⊆ %s", a, b).isEqualTo(brute);
    }

    @Property
    void isSubset_relatedFilters_agreesWithBruteForce(@ForAll("relatedPairs") List<String> pair) {
        // Random independent filters are mostly disjoint; derived pairs exercise the "true" side too.
        String a = pair.get(0);
        String b = pair.get(1);
        boolean brute = bruteForceSubset(a, b);
        Statistics.label("subset").collect(brute);
        Statistics.label("subset").coverage(c -> c.check(true).percentage(p -> p > 30));
        Statistics.label("subset").coverage(c -> c.check(false).percentage(p -> p > 5));
        assertThat(TopicAlgebra.isSubset(a, b)).as("%s ⊆ %s", a, b).isEqualTo(brute);
    }

    @Property
    void union_anyFilters_matchesSameTopicsAndHasNoCoveredFilter(
            @ForAll @Size(max = 8) List<@From("filters") String> filters) {
        List<String> union = TopicAlgebra.union(filters);
        Statistics.label("dropped").collect(filters.size() > union.size());
        Statistics.label("dropped").coverage(c -> c.check(true).percentage(p -> p > 20));
        assertThat(firstDifference(t -> matchesAny(union, t), t -> matchesAny(filters, t)))
                .as("topic telling union %s of %s apart", union, filters)
                .isNull();
        for (int i = 0; i < union.size(); i++) {
            for (int j = 0; j < union.size(); j++) {
                if (i != j) {
                    assertThat(TopicAlgebra.isSubset(union.get(i), union.get(j)))
                            .as("%s covered by %s in %s", union.get(i), union.get(j), union)
                            .isFalse();
                }
            }
        }
        // Survivors keep their first-seen order.
        List<Integer> firstSeen = new ArrayList<>();
        union.forEach(f -> firstSeen.add(filters.indexOf(f)));
        assertThat(firstSeen).doesNotContain(-1).isSorted();
    }

    @Property
    void intersections_anyLocalAndLinkTopics_matchesLocalAndSomeLinkTopic(
            @ForAll("filters") String local, @ForAll @Size(max = 5) List<@From("filters") String> link) {
        List<String> ops = TopicAlgebra.intersections(local, TopicAlgebra.union(link));
        assertThat(firstDifference(t -> matchesAny(ops, t), t -> TopicAlgebra.match(local, t) && matchesAny(link, t)))
                .as("topic telling ops %s for %s and %s apart", ops, local, link)
                .isNull();
        assertThat(TopicAlgebra.union(ops)).containsExactlyElementsOf(ops);
    }

    @Property
    void parse_generatedSharedSubscription_roundTrips(
            @ForAll("groups") String group, @ForAll("filters") String filter) {
        Subscription s = Subscription.parse("$share/" + group + "/" + filter);
        assertThat(s.group()).contains(group);
        assertThat(s.filter().value()).isEqualTo(filter);
        assertThat(s.routeId()).isEqualTo("$s/" + group + "/" + filter);
        assertThat(Subscription.parse(s.toString())).isEqualTo(s);
        assertThat(Subscription.shared(group, TopicFilter.of(filter))).isEqualTo(s);
    }

    @Property
    void of_randomString_acceptedExactlyWhenReferenceRulesHold(@ForAll("rawStrings") String s) {
        boolean nameOk = referenceValidString(s) && s.indexOf('+') < 0 && s.indexOf('#') < 0;
        boolean filterOk = referenceValidString(s) && referenceWildcardsOk(s);
        assertThat(accepts(() -> TopicName.of(s))).as("name %s", s).isEqualTo(nameOk);
        assertThat(accepts(() -> TopicFilter.of(s))).as("filter %s", s).isEqualTo(filterOk);
    }

    @Provide
    Arbitrary<String> filters() {
        Arbitrary<String> literal = Arbitraries.of(FILTER_LITERALS);
        Arbitrary<String> level = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, literal), net.jqwik.api.Tuple.of(2, Arbitraries.just("+")));
        Arbitrary<List<String>> levels = level.list().ofMinSize(0).ofMaxSize(MAX_FILTER_LEVELS);
        return Combinators.combine(levels, Arbitraries.of(true, false))
                .as((ls, hash) -> {
                    List<String> all = new ArrayList<>(ls);
                    if (hash || all.isEmpty()) {
                        if (all.size() == MAX_FILTER_LEVELS) {
                            all.set(MAX_FILTER_LEVELS - 1, "#");
                        } else {
                            all.add("#");
                        }
                    }
                    return String.join("/", all);
                })
                .filter(f -> !f.isEmpty()); // a lone empty level is the empty string, which is not a filter
    }

    /** Pairs (a, b) where b generalises a: some literal levels of a become '+', or a tail becomes '#'. */
    @Provide
    Arbitrary<List<String>> relatedPairs() {
        return Combinators.combine(
                        filters(),
                        Arbitraries.integers().between(0, 15),
                        Arbitraries.integers().between(0, MAX_FILTER_LEVELS))
                .as((a, mask, cut) -> {
                    String[] ls = a.split("/", -1);
                    List<String> b = new ArrayList<>();
                    for (int i = 0; i < ls.length && i < cut; i++) {
                        b.add((mask >> i & 1) == 1 && !"#".equals(ls[i]) ? "+" : ls[i]);
                    }
                    if (b.isEmpty() || cut < ls.length && !"#".equals(b.get(b.size() - 1))) {
                        b.add("#");
                    }
                    return List.of(a, String.join("/", b));
                });
    }

    @Provide
    Arbitrary<String> groups() {
        return Arbitraries.strings().withChars("gx$-_.\u00e9").ofMinLength(1).ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> rawStrings() {
        return Arbitraries.strings()
                .withChars('a', '/', '+', '#', '$', '\u0000', '\uD83D', '\uDE00', '\u00e9')
                .ofMinLength(0)
                .ofMaxLength(8);
    }

    private static boolean bruteForceSubset(String a, String b) {
        for (String t : UNIVERSE) {
            if (TopicAlgebra.match(a, t) && !TopicAlgebra.match(b, t)) {
                return false;
            }
        }
        return true;
    }

    /** The first topic of the universe on which the two predicates differ, or null if they agree on all. */
    private static String firstDifference(Predicate<String> got, Predicate<String> want) {
        for (String t : UNIVERSE) {
            if (got.test(t) != want.test(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean matchesAny(List<String> filters, String topic) {
        for (String f : filters) {
            if (TopicAlgebra.match(f, topic)) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(Runnable r) {
        try {
            r.run();
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    private static boolean referenceValidString(String s) {
        if (s.isEmpty() || s.indexOf('\u0000') >= 0) {
            return false;
        }
        // A round trip through UTF-8 changes a string exactly when it has an unpaired surrogate.
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8).equals(s) && utf8.length <= 65_535;
    }

    private static boolean referenceWildcardsOk(String s) {
        String[] ls = s.split("/", -1);
        for (int i = 0; i < ls.length; i++) {
            String l = ls[i];
            if (l.contains("#") && !(l.equals("#") && i == ls.length - 1)) {
                return false;
            }
            if (l.contains("+") && !l.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /** A deliberately naive matcher over split levels, written from MQTT 5.0 section 4.7. */
    private static boolean referenceMatch(String filter, String topic) {
        List<String> f = Arrays.asList(filter.split("/", -1));
        List<String> t = Arrays.asList(topic.split("/", -1));
        if (topic.startsWith("$") && (f.get(0).equals("+") || f.get(0).equals("#"))) {
            return false;
        }
        return referenceMatch(f, 0, t, 0);
    }

    private static boolean referenceMatch(List<String> f, int i, List<String> t, int j) {
        if (i == f.size()) {
            return j == t.size();
        }
        if (f.get(i).equals("#")) {
            return true;
        }
        if (j == t.size()) {
            return false;
        }
        return (f.get(i).equals("+") || f.get(i).equals(t.get(j))) && referenceMatch(f, i + 1, t, j + 1);
    }

    private static List<String> universe() {
        List<String> all = new ArrayList<>();
        List<String> layer = List.of("");
        for (int depth = 1; depth <= MAX_TOPIC_LEVELS; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : layer) {
                for (String level : TOPIC_LEVELS) {
                    next.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            next.stream().filter(t -> !t.isEmpty()).forEach(all::add);
            layer = next;
        }
        return List.copyOf(all);
    }
}
