package io.clink.api.config;

import java.util.Locale;
import java.util.Objects;

/**
 * How a link picks the forwarding connection for a message ({@code resource_opts.dispatch_strategy}).
 *
 * @since 0.1.0
 */
public enum DispatchStrategy {
    /**
     * By the publisher's client id, so one publisher's messages always take the same connection and keep their order.
     * The default.
     */
    PER_CLIENTID,
    /** Any connection; spreads load evenly but does not keep a publisher's order. */
    RANDOM;

    /**
     * The value as written in configuration.
     *
     * @return {@code per_clientid} or {@code random}
     * @since 0.1.0
     */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value.
     *
     * @param value {@code per_clientid} or {@code random} (case-insensitive)
     * @return the strategy
     * @throws InvalidConfigException if the value is neither
     * @since 0.1.0
     */
    public static DispatchStrategy parse(String value) {
        Objects.requireNonNull(value, "value");
        for (DispatchStrategy s : values()) {
            if (s.configValue().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw InvalidConfigException.invalid(
                "resource_opts.dispatch_strategy", "must be per_clientid or random, got '" + value + "'");
    }
}
