package io.clink.api.broker;

import java.util.Objects;

/**
 * One MQTT 5 User-Property: a name/value pair of UTF-8 strings. A message may carry several with the same name;
 * order and duplicates are significant and kept.
 *
 * @param name the property name, not null, may be empty
 * @param value the property value, not null, may be empty
 * @since 0.1.0
 */
public record UserProperty(String name, String value) {

    /**
     * Validates the pair.
     *
     * @throws NullPointerException if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if either string contains U+0000 (MQTT-1.5.4-2)
     */
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        MqttStrings.checkUtf8String("user property name", name);
        MqttStrings.checkUtf8String("user property value", value);
    }
}
