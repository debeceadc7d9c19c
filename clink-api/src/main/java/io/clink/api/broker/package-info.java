/**
 * The broker SPI: what a broker author implements ({@link io.clink.api.broker.LocalBroker}) and what the broker
 * calls in clink ({@link io.clink.api.broker.ClusterLinkHooks}), with the value types crossing between them
 * ({@link io.clink.api.broker.MqttMessage}, {@link io.clink.api.broker.PublishProperties}, {@link
 * io.clink.api.broker.LinkConnection}, {@link io.clink.api.broker.LocalSubscription}).
 *
 * <p>The split follows "you implement" versus "we implement": {@code LocalBroker} is small and {@link
 * io.clink.api.annotation.Evolving}, with optional parts as default methods; {@code ClusterLinkHooks} is {@link
 * io.clink.api.annotation.DoNotImplement}. clink guards every call into broker code: an exception thrown there is
 * logged with the link name, counted, and turned into a defined outcome; it never corrupts clink's routes or link
 * state.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.broker;

import org.jspecify.annotations.NullMarked;
