/**
 * Internals of {@code clink-broker}: the management HTTP API and its JSON, TLS key stores; not API.
 */
@NullMarked
package io.clink.broker.internal;

import org.jspecify.annotations.NullMarked;
