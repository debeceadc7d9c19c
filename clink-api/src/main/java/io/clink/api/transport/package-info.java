/**
 * The transport SPI: how clink opens MQTT v5 client connections to a remote cluster's link listener.
 *
 * <p>clink ships one implementation, {@code clink-paho-transport} (Eclipse Paho MQTT v5); tests use the in-memory
 * transport of {@code clink-testkit}. Every connection is outbound from the cluster that owns it: the route
 * replication connection of each actor, and the forwarding pool of each link.
 *
 * <p>Threading, in one place: {@link io.clink.api.transport.LinkTransport#createClient} may be called on any
 * thread. A {@link io.clink.api.transport.LinkClient} is safe for use by several threads at once. Callbacks
 * ({@link io.clink.api.transport.ConnectionListener}, {@link io.clink.api.transport.InboundPublishHandler}, and the
 * completion of returned futures) run on the transport's own threads; they must not block, and clink's callbacks
 * never do.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.transport;

import org.jspecify.annotations.NullMarked;
