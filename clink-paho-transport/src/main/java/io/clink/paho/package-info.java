/**
 * The clink transport over Eclipse Paho MQTT v5: {@link io.clink.paho.PahoLinkTransport}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.paho;

import org.jspecify.annotations.NullMarked;
