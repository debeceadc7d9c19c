package io.clink.api.config;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Describes one configuration option: its name as written in the configuration file, its documentation, its
 * default and the rule its values must follow. The constants of {@link LinkConfig}, {@link ClusterLinkConfig},
 * {@link ResourceOptions}, {@link TcpOptions} and {@link ReconnectBackoff} are the single source of these facts; the
 * builders use the defaults from here.
 *
 * @param <T> the option's value type
 * @since 0.1.0
 */
public final class ConfigOption<T> {

    private final String name;
    private final @Nullable T defaultValue;
    private final boolean required;
    private final String doc;
    private final String rule;

    private ConfigOption(String name, @Nullable T defaultValue, boolean required, String doc, String rule) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
        this.required = required;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /**
     * An option that must be given.
     *
     * @param name the option's name
     * @param doc what it means
     * @param rule what values are valid
     * @param <T> the value type
     * @return the option
     * @since 0.1.0
     */
    public static <T> ConfigOption<T> required(String name, String doc, String rule) {
        return new ConfigOption<>(name, null, true, doc, rule);
    }

    /**
     * An option that may be left out and then has no value.
     *
     * @param name the option's name
     * @param doc what it means, including what happens when it is left out
     * @param rule what values are valid
     * @param <T> the value type
     * @return the option
     * @since 0.1.0
     */
    public static <T> ConfigOption<T> optional(String name, String doc, String rule) {
        return new ConfigOption<>(name, null, false, doc, rule);
    }

    /**
     * An option with a default value.
     *
     * @param name the option's name
     * @param defaultValue the value when left out
     * @param doc what it means
     * @param rule what values are valid
     * @param <T> the value type
     * @return the option
     * @since 0.1.0
     */
    public static <T> ConfigOption<T> withDefault(String name, T defaultValue, String doc, String rule) {
        return new ConfigOption<>(name, Objects.requireNonNull(defaultValue, "defaultValue"), false, doc, rule);
    }

    /**
     * The option's name, as written in the configuration (for example {@code pool_size}).
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
        return name;
    }

    /**
     * The default value.
     *
     * @return the default, or empty for required options and options without a default
     * @since 0.1.0
     */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * The default value of an option that has one.
     *
     * @return the default
     * @throws IllegalStateException if the option has no default
     * @since 0.1.0
     */
    public T defaultOrThrow() {
        if (defaultValue == null) {
            throw new IllegalStateException("option " + name + " has no default");
        }
        return defaultValue;
    }

    /**
     * Whether the option must be given.
     *
     * @return {@code true} for required options
     * @since 0.1.0
     */
    public boolean isRequired() {
        return required;
    }

    /**
     * What the option means.
     *
     * @return one or more sentences
     * @since 0.1.0
     */
    public String doc() {
        return doc;
    }

    /**
     * What values are valid.
     *
     * @return a short description of the rule
     * @since 0.1.0
     */
    public String rule() {
        return rule;
    }

    @Override
    public String toString() {
        return name
                + (required ? " (required)" : defaultValue == null ? " (optional)" : " (default " + defaultValue + ")");
    }
}
