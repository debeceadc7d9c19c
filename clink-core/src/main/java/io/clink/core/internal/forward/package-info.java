/**
 * Message forwarding over a link: the mapping between the broker's {@link io.clink.api.broker.MqttMessage} and the
 * protocol's {@code #message{}} record, the per-link pool of forwarding connections with its bounded buffer, and the
 * receiving side that delivers messages forwarded by a remote cluster. Internal: no compatibility promise.
 */
@NullMarked
package io.clink.core.internal.forward;

import org.jspecify.annotations.NullMarked;
