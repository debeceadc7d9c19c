package io.clink.api.topic;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A valid MQTT topic filter: what a subscription or a cluster link's {@code topics} entry matches (MQTT 5.0
 * section 4.7).
 *
 * <p>A filter obeys the string rules of {@link TopicName} (non-empty, well-formed UTF-8, no U+0000, at most 65535
 * bytes) and may contain wildcards: {@code +} only as a whole level, and {@code #} only as the whole last level.
 * Empty levels are allowed. A topic name is also a filter (matching only itself).
 *
 * <p>A filter is taken literally: {@code $share/g/t} given here is a plain filter that matches the topic
 * {@code $share/g/t}. To interpret shared-subscription prefixes, use {@link Subscription#parse}.
 *
 * <p>Instances are immutable and thread-safe; equality is string equality. Set operations delegate to
 * {@link TopicAlgebra}.
 *
 * @since 0.1.0
 */
public final class TopicFilter {

    private final String value;

    private TopicFilter(String value) {
        this.value = value;
    }

    /**
     * Validates {@code filter} and wraps it.
     *
     * @param filter the topic filter
     * @return the topic filter
     * @throws InvalidTopicException if {@code filter} breaks a rule of MQTT 5.0 section 4.7; the message names the
     *                               input and the rule
     * @since 0.1.0
     */
    public static TopicFilter of(String filter) {
        TopicSyntax.checkFilter(filter);
        return new TopicFilter(filter);
    }

    /**
     * Returns the filter that matches exactly {@code name}.
     *
     * @param name a topic name
     * @return a filter without wildcards equal to the name
     * @since 0.1.0
     */
    public static TopicFilter of(TopicName name) {
        return new TopicFilter(name.value());
    }

    /** For strings already validated elsewhere in this package, e.g. by {@link Subscription#parse}. */
    static TopicFilter trusted(String filter) {
        return new TopicFilter(filter);
    }

    /**
     * Returns the filter as a string.
     *
     * @return the filter, exactly as given to {@link #of}
     * @since 0.1.0
     */
    public String value() {
        return value;
    }

    /**
     * Tells whether this filter matches {@code topic}; {@code a/#} matches {@code a}, and a first-level wildcard
     * never matches a {@code $}-prefixed topic.
     *
     * @param topic a topic name
     * @return true if the filter matches the topic
     * @since 0.1.0
     */
    public boolean matches(TopicName topic) {
        return TopicAlgebra.match(value, topic.value());
    }

    /**
     * Tells whether this filter contains a {@code +} or {@code #} level.
     *
     * @return true for wildcard filters, false for filters that equal a topic name
     * @since 0.1.0
     */
    public boolean isWildcard() {
        return TopicAlgebra.isWildcard(value);
    }

    /**
     * Returns the levels of this filter, split at {@code /}; empty levels are kept.
     *
     * @return an unmodifiable list of at least one level
     * @since 0.1.0
     */
    public List<String> levels() {
        return List.of(value.split("/", -1));
    }

    /**
     * Tells whether every topic matched by {@code other} is also matched by this filter.
     *
     * @param other another filter
     * @return true if {@code other} is a subset of this filter
     * @see TopicAlgebra#isSubset(String, String)
     * @since 0.1.0
     */
    public boolean covers(TopicFilter other) {
        return TopicAlgebra.isSubset(other.value, value);
    }

    /**
     * Returns the filter matching exactly the topics that both this filter and {@code other} match.
     *
     * @param other another filter
     * @return the intersection, or empty if no topic matches both
     * @see TopicAlgebra#intersection(String, String)
     * @since 0.1.0
     */
    public Optional<TopicFilter> intersect(TopicFilter other) {
        String x = TopicAlgebra.intersection(value, other.value);
        if (x == null) {
            return Optional.empty();
        }
        return Optional.of(x.equals(value) ? this : x.equals(other.value) ? other : new TopicFilter(x));
    }

    /**
     * Tells whether this filter and {@code other} hold the same string.
     *
     * @param other any object, or null
     * @return true if {@code other} is a {@code TopicFilter} with the same string
     * @since 0.1.0
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TopicFilter && ((TopicFilter) other).value.equals(value);
    }

    /**
     * Returns the hash code of the filter string.
     *
     * @return the hash code
     * @since 0.1.0
     */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /**
     * Returns the filter as a string, the same as {@link #value()}.
     *
     * @return the filter
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return value;
    }
}
