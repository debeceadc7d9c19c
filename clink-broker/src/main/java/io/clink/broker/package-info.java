/**
 * {@code clink-broker}: a ready-to-run MQTT broker (embedded HiveMQ CE or ActiveMQ Artemis, {@link
 * io.clink.broker.BrokerType}) with clink cluster linking, configured in the shape of EMQX's cluster-linking quick
 * start. Entry point: {@link io.clink.broker.ClinkBrokerMain}.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.broker;

import org.jspecify.annotations.NullMarked;
