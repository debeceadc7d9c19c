/**
 * clink for HiveMQ Community Edition: {@link io.clink.hivemq.HiveMqLocalBroker}, the {@code LocalBroker} adapter,
 * and {@link io.clink.hivemq.EmbeddedExtensionMain}, the extension that runs a cluster link inside HiveMQ.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.hivemq;

import org.jspecify.annotations.NullMarked;
