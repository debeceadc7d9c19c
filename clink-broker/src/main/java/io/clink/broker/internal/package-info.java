/**
 * Internals of {@code clink-broker}; not API.
 */
@NullMarked
package io.clink.broker.internal;

import org.jspecify.annotations.NullMarked;
