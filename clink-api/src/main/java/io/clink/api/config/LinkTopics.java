package io.clink.api.config;

import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.TopicAlgebra;
import io.clink.api.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validation of a link's {@code topics} (protocol document section 5.3), with the topic package's algebra: every
 * entry a valid filter, none reaching into the link's own control topics, none redundant.
 */
final class LinkTopics {

    /** The control topics of the link protocol; no link topic may overlap them. */
    static final String CONTROL_TOPICS = "$LINK/cluster/#";

    private LinkTopics() {}

    static List<String> validate(String option, List<String> topics) {
        Objects.requireNonNull(topics, option);
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            String t = topics.get(i);
            if (t == null) {
                invalid.add("null at index " + i);
                continue;
            }
            try {
                TopicFilter.of(t);
            } catch (InvalidTopicException e) {
                invalid.add(quote(t) + " (" + e.rule() + ")");
                continue;
            }
            // EMQX only refuses filters that $LINK/cluster/# matches, which lets $LINK/# and $LINK/+/... through; any
            // overlap would forward control traffic as application messages, so clink refuses every overlap.
            if (TopicAlgebra.intersection(t, CONTROL_TOPICS) != null) {
                invalid.add(quote(t) + " (not allowed: overlaps the link protocol's topics " + CONTROL_TOPICS + ")");
            }
        }
        if (!invalid.isEmpty()) {
            throw new InvalidConfigException(
                    option, InvalidConfigException.INVALID_TOPICS, "invalid topics: " + String.join(", ", invalid));
        }
        List<String> copy = List.copyOf(topics);
        List<String> kept = TopicAlgebra.union(copy);
        if (kept.size() == copy.size()) {
            return copy;
        }
        // union() keeps the first-seen survivors in input order, so walking both lists side by side finds the dropped.
        List<String> redundant = new ArrayList<>();
        List<String> why = new ArrayList<>();
        int k = 0;
        for (String t : copy) {
            if (k < kept.size() && kept.get(k).equals(t)) {
                k++;
                continue;
            }
            redundant.add(t);
            String cover = kept.stream()
                    .filter(g -> TopicAlgebra.isSubset(t, g))
                    .findFirst()
                    .orElse("?");
            why.add(cover.equals(t) ? quote(t) + " is a duplicate" : quote(t) + " is covered by " + quote(cover));
        }
        throw new InvalidConfigException(
                option,
                InvalidConfigException.REDUNDANT_TOPICS,
                "redundant topics " + redundant + ": " + String.join(", ", why));
    }

    private static String quote(String t) {
        return "'" + Checks.shorten(t) + "'";
    }
}
