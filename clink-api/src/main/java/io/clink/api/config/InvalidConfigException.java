package io.clink.api.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A configuration value or combination of values is invalid. The message names the option and the bad value; {@link
 * #option()} and {@link #reason()} give them in machine-readable form.
 *
 * @since 0.1.0
 */
public final class InvalidConfigException extends IllegalArgumentException {

    /** {@link #reason()} of a missing required option. */
    public static final String REQUIRED_FIELD = "required_field";
    /** {@link #reason()} of a value outside its allowed range or format. */
    public static final String INVALID_VALUE = "invalid_value";
    /** {@link #reason()} of an option set twice on one builder. */
    public static final String DUPLICATE_OPTION = "duplicate_option";
    /** {@link #reason()} of link names used more than once (EMQX: {@code duplicated_cluster_links}). */
    public static final String DUPLICATED_CLUSTER_LINKS = "duplicated_cluster_links";
    /** {@link #reason()} of a link named like the local cluster. */
    public static final String LINK_TO_SELF = "link_to_self";
    /** {@link #reason()} of topics that are not valid filters or are not allowed (EMQX: {@code invalid_topics}). */
    public static final String INVALID_TOPICS = "invalid_topics";
    /** {@link #reason()} of topics covered by other topics of the same link (EMQX: {@code redundant_topics}). */
    public static final String REDUNDANT_TOPICS = "redundant_topics";

    private static final long serialVersionUID = 1L;

    /** The option at fault; see {@link #option()}. */
    private final String option;

    /** The class of problem; see {@link #reason()}. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param option the option's name or path (for example {@code pool_size} or {@code links[1].name})
     * @param reason one of the reason constants of this class
     * @param detail what is wrong, naming the bad value
     * @since 0.1.0
     */
    public InvalidConfigException(String option, String reason, String detail) {
        super(Objects.requireNonNull(option, "option") + ": " + Objects.requireNonNull(detail, "detail"));
        this.option = option;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The option at fault.
     *
     * @return the option's name or path
     * @since 0.1.0
     */
    public String option() {
        return option;
    }

    /**
     * The class of problem, one of the constants of this class.
     *
     * @return the reason
     * @since 0.1.0
     */
    public String reason() {
        return reason;
    }

    static InvalidConfigException invalid(String option, String detail) {
        return new InvalidConfigException(option, INVALID_VALUE, detail);
    }

    static InvalidConfigException required(String option, @Nullable String link) {
        return new InvalidConfigException(
                option, REQUIRED_FIELD, link == null ? "is required" : "is required (link '" + link + "')");
    }
}
