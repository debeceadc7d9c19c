package io.clink.broker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which MQTT broker a {@code clink-broker} embeds ({@code broker.type}). Either serves the same listeners, link
 * protocol, management API and ready line; they differ in the broker's own behaviour (persistence, clustering).
 *
 * @since 0.1.0
 */
public enum BrokerType {
    /** HiveMQ Community Edition, in-memory persistence ({@code broker.type = hivemq}, the default). */
    HIVEMQ,
    /**
     * Apache ActiveMQ Artemis, with its journal (sessions and retained messages) under {@code node.data_dir} ({@code
     * broker.type = artemis}).
     */
    ARTEMIS;

    /**
     * The name used in the configuration.
     *
     * @return {@code hivemq} or {@code artemis}
     * @since 0.1.0
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type a configuration value names, exactly as written ({@code hivemq} or {@code artemis}).
     *
     * @param text the value
     * @return the type, or empty if the value names none
     * @since 0.1.0
     */
    public static Optional<BrokerType> fromConfigName(String text) {
        return Arrays.stream(values()).filter(t -> t.configName().equals(text)).findFirst();
    }
}
