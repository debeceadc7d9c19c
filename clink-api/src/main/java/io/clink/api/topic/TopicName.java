package io.clink.api.topic;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A valid MQTT topic name: the topic a message is published to (MQTT 5.0 section 4.7).
 *
 * <p>A topic name is at least one character long, is well-formed UTF-8 (no unpaired surrogates), contains no
 * U+0000, is at most 65535 bytes in UTF-8 and contains neither {@code +} nor {@code #}. Empty levels are allowed
 * ({@code a//b}, {@code /}, {@code a/}), and so are names starting with {@code $} such as {@code $SYS/x}; such
 * names are not matched by filters that start with a wildcard.
 *
 * <p>Instances are immutable and thread-safe; two names are equal when their strings are equal (matching is
 * case-sensitive).
 *
 * @since 0.1.0
 */
public final class TopicName {

    private final String value;

    private TopicName(String value) {
        this.value = value;
    }

    /**
     * Validates {@code topic} and wraps it.
     *
     * @param topic the topic name
     * @return the topic name
     * @throws InvalidTopicException if {@code topic} breaks a rule of MQTT 5.0 section 4.7; the message names the
     *                               input and the rule
     * @since 0.1.0
     */
    public static TopicName of(String topic) {
        TopicSyntax.checkName(topic);
        return new TopicName(topic);
    }

    /**
     * Returns the topic name as a string.
     *
     * @return the topic name, exactly as given to {@link #of}
     * @since 0.1.0
     */
    public String value() {
        return value;
    }

    /**
     * Returns the levels of this name, split at {@code /}; empty levels are kept, so {@code a/} has two levels.
     *
     * @return an unmodifiable list of at least one level
     * @since 0.1.0
     */
    public List<String> levels() {
        return List.of(value.split("/", -1));
    }

    /**
     * Tells whether the first level starts with {@code $} (as in {@code $SYS/...}), which a first-level wildcard
     * never matches.
     *
     * @return true for {@code $}-prefixed names
     * @since 0.1.0
     */
    public boolean isDollar() {
        return value.charAt(0) == '$';
    }

    /**
     * Tells whether this name and {@code other} hold the same string.
     *
     * @param other any object, or null
     * @return true if {@code other} is a {@code TopicName} with the same string
     * @since 0.1.0
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TopicName && ((TopicName) other).value.equals(value);
    }

    /**
     * Returns the hash code of the topic string.
     *
     * @return the hash code
     * @since 0.1.0
     */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /**
     * Returns the topic name as a string, the same as {@link #value()}.
     *
     * @return the topic name
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return value;
    }
}
