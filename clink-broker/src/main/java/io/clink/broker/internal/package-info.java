/**
 * Internals of {@code clink-broker}: the two hosted brokers behind {@link io.clink.broker.internal.HostedBroker}, the
 * management HTTP API and its JSON, TLS key stores; not API.
 */
@NullMarked
package io.clink.broker.internal;

import org.jspecify.annotations.NullMarked;
