package io.clink.core.config;

import io.clink.api.config.InvalidConfigException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Calls into the API's configuration builders, which validate each value as it is set: their {@link
 * InvalidConfigException} names the option, and is turned here into a {@link ConfigLoadException} that also names
 * the file, the line and the full path. Stateless.
 */
final class BuilderCalls {

    private BuilderCalls() {}

    /** Hands {@code value} to {@code setter} when present; see {@link #apply}. */
    static <T> void set(ConfigSection section, String option, Optional<T> value, Consumer<T> setter) {
        value.ifPresent(v -> apply(section, option, () -> setter.accept(v)));
    }

    /**
     * Runs a builder call, turning its {@link InvalidConfigException} into a message naming the file, the path and
     * the value. The exception's option is relative to {@code section} ({@code topics}, {@code
     * resource_opts.request_ttl}); {@code fallback} is used when it is not.
     */
    static void apply(ConfigSection section, String fallback, Runnable call) {
        try {
            call.run();
        } catch (InvalidConfigException e) {
            String option = e.option().isEmpty() ? fallback : e.option();
            if (option.startsWith("cluster.")) {
                option = option.substring("cluster.".length());
            }
            throw section.errorAt(option, detailOf(e), e);
        }
    }

    static String detailOf(InvalidConfigException e) {
        String msg = Objects.requireNonNullElse(e.getMessage(), e.reason());
        String prefix = e.option() + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    }
}
