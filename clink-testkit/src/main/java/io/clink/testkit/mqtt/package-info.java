/**
 * An MQTT 5 test client for integration tests against a real broker: {@link io.clink.testkit.mqtt.MqttTestClient}
 * (Eclipse Paho underneath) connects, subscribes into a recording queue, publishes with QoS and properties and
 * returns the broker's reason codes, and awaits messages and server DISCONNECTs with bounded waits.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit.mqtt;

import org.jspecify.annotations.NullMarked;
