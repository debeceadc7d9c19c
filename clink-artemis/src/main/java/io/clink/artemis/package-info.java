/**
 * clink for Apache ActiveMQ Artemis: {@link io.clink.artemis.ArtemisLocalBroker}, the {@code LocalBroker} adapter
 * for an embedded Artemis server with MQTT acceptors.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.artemis;

import org.jspecify.annotations.NullMarked;
