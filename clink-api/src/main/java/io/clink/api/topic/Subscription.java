package io.clink.api.topic;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A subscription as a client writes it: a plain topic filter, or a shared subscription
 * {@code $share/{group}/{filter}} (MQTT 5.0 section 4.8.2), or EMQX's {@code $queue/{filter}}, which is a shared
 * subscription of the group {@code $queue}.
 *
 * <p>Rules checked by {@link #parse}, beyond the string rules of {@link TopicFilter} applied to the whole input:
 * <ul>
 *   <li>after {@code $share/} come a group and a filter separated by {@code /}: {@code $share/} and
 *       {@code $share/g} are invalid;</li>
 *   <li>the group is at least one character and contains none of {@code / + #}: {@code $share//t} and
 *       {@code $share/g+/t} are invalid (MQTT-4.8.2-1, MQTT-4.8.2-2);</li>
 *   <li>the filter is a valid, non-empty topic filter that is not itself shared: {@code $share/g/},
 *       {@code $share/g/$share/h/t} and {@code $queue/$queue/t} are invalid.</li>
 * </ul>
 * Any other string, including {@code $share} and {@code $queue} without a slash, is a plain filter.
 *
 * <p>Instances are immutable and thread-safe. Two subscriptions are equal when their groups and filters are equal,
 * so {@code $queue/t} equals {@code $share/$queue/t}.
 *
 * @since 0.1.0
 */
public final class Subscription {

    /** The group EMQX gives {@code $queue/{filter}} subscriptions. */
    public static final String QUEUE_GROUP = "$queue";

    private static final String SHARE_PREFIX = "$share/";
    private static final String QUEUE_PREFIX = "$queue/";
    private static final String KIND = "subscription";

    static final String RULE_SHARE_NO_FILTER =
            "a shared subscription is $share/{group}/{filter}, but the '/' after the group is missing (MQTT-4.8.2-2)";
    static final String RULE_GROUP_EMPTY = "the share group must be at least one character long (MQTT-4.8.2-1)";
    static final String RULE_GROUP_CHARS = "the share group must not contain '/', '+' or '#' (MQTT-4.8.2-2)";
    static final String RULE_FILTER_EMPTY = "the filter of a shared subscription must not be empty (MQTT-4.8.2-2)";
    static final String RULE_NESTED =
            "the filter of a shared subscription must not itself start with $share/ or $queue/";

    private final @Nullable String group;
    private final TopicFilter filter;

    private Subscription(@Nullable String group, TopicFilter filter) {
        this.group = group;
        this.filter = filter;
    }

    /**
     * Parses a subscription string: {@code $share/{group}/{filter}} and {@code $queue/{filter}} give shared
     * subscriptions, anything else a plain one.
     *
     * @param subscription the subscription as the client wrote it
     * @return the parsed subscription
     * @throws InvalidTopicException if the string is not a valid subscription; the message names the whole input
     *                               and the rule
     * @since 0.1.0
     */
    public static Subscription parse(String subscription) {
        if (subscription.startsWith(SHARE_PREFIX)) {
            TopicSyntax.checkString(KIND, subscription);
            int groupStart = SHARE_PREFIX.length();
            int slash = subscription.indexOf('/', groupStart);
            if (slash < 0) {
                throw new InvalidTopicException(KIND, subscription, RULE_SHARE_NO_FILTER);
            }
            String group = subscription.substring(groupStart, slash);
            checkGroup(subscription, group);
            return sharedFilter(subscription, group, slash + 1);
        }
        if (subscription.startsWith(QUEUE_PREFIX)) {
            TopicSyntax.checkString(KIND, subscription);
            return sharedFilter(subscription, QUEUE_GROUP, QUEUE_PREFIX.length());
        }
        return new Subscription(null, TopicFilter.of(subscription));
    }

    /**
     * Returns a plain (not shared) subscription to {@code filter}.
     *
     * @param filter the filter
     * @return the subscription
     * @since 0.1.0
     */
    public static Subscription plain(TopicFilter filter) {
        return new Subscription(null, filter);
    }

    /**
     * Returns the shared subscription of {@code group} to {@code filter}.
     *
     * @param group  the share group: non-empty, without {@code / + #}; {@link #QUEUE_GROUP} for {@code $queue}
     * @param filter the filter, not itself starting with {@code $share/} or {@code $queue/}
     * @return the subscription
     * @throws InvalidTopicException if the group or the filter breaks a rule above, or the subscription string
     *                               would exceed 65535 UTF-8 bytes
     * @since 0.1.0
     */
    public static Subscription shared(String group, TopicFilter filter) {
        String whole = format(group, filter.value());
        checkGroup(whole, group);
        checkNotNested(whole, filter.value());
        TopicSyntax.checkString(KIND, whole);
        return new Subscription(group, filter);
    }

    private static Subscription sharedFilter(String whole, String group, int filterStart) {
        if (filterStart == whole.length()) {
            throw new InvalidTopicException(KIND, whole, RULE_FILTER_EMPTY);
        }
        String filter = whole.substring(filterStart);
        checkNotNested(whole, filter);
        TopicSyntax.checkFilterLevels(KIND, whole, filter, 0);
        return new Subscription(group, TopicFilter.trusted(filter));
    }

    private static void checkGroup(String whole, String group) {
        if (group.isEmpty()) {
            throw new InvalidTopicException(KIND, whole, RULE_GROUP_EMPTY);
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                throw new InvalidTopicException(KIND, whole, RULE_GROUP_CHARS);
            }
        }
    }

    private static void checkNotNested(String whole, String filter) {
        if (filter.startsWith(SHARE_PREFIX) || filter.startsWith(QUEUE_PREFIX)) {
            throw new InvalidTopicException(KIND, whole, RULE_NESTED);
        }
    }

    private static String format(String group, String filter) {
        return QUEUE_GROUP.equals(group) ? QUEUE_PREFIX + filter : SHARE_PREFIX + group + '/' + filter;
    }

    /**
     * Returns the topic filter the subscription matches with, without any share prefix.
     *
     * @return the real filter
     * @since 0.1.0
     */
    public TopicFilter filter() {
        return filter;
    }

    /**
     * Returns the share group, if the subscription is shared ({@link #QUEUE_GROUP} for {@code $queue/...}).
     *
     * @return the group, or empty for a plain subscription
     * @since 0.1.0
     */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    /**
     * Tells whether this is a shared subscription ({@code $share/...} or {@code $queue/...}).
     *
     * @return true if shared
     * @since 0.1.0
     */
    public boolean isShared() {
        return group != null;
    }

    /**
     * Returns the route ID under which EMQX cluster linking replicates this subscription (protocol document
     * section 1.5): the filter itself for a plain subscription, {@code $s/{group}/{filter}} for a shared one
     * ({@code $s/$queue/{filter}} for {@code $queue/{filter}}).
     *
     * @return the route ID
     * @since 0.1.0
     */
    public String routeId() {
        return group == null ? filter.value() : "$s/" + group + '/' + filter.value();
    }

    /**
     * Tells whether {@code other} has the same group (or none) and the same filter.
     *
     * @param other any object, or null
     * @return true if equal
     * @since 0.1.0
     */
    @Override
    public boolean equals(@Nullable Object other) {
        if (!(other instanceof Subscription)) {
            return false;
        }
        Subscription that = (Subscription) other;
        return Objects.equals(group, that.group) && filter.equals(that.filter);
    }

    /**
     * Returns a hash code of the group and the filter.
     *
     * @return the hash code
     * @since 0.1.0
     */
    @Override
    public int hashCode() {
        return Objects.hashCode(group) * 31 + filter.hashCode();
    }

    /**
     * Returns the canonical subscription string: the filter, {@code $share/{group}/{filter}}, or
     * {@code $queue/{filter}} for the group {@code $queue}.
     *
     * @return the subscription string
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return group == null ? filter.value() : format(group, filter.value());
    }
}
