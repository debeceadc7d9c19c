/**
 * Implementation of {@code clink-broker}: the management HTTP API and its JSON. No compatibility promise.
 */
@NullMarked
package io.clink.broker.internal;

import org.jspecify.annotations.NullMarked;
