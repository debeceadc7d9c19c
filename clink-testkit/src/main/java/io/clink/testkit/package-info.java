/**
 * Module {@code clink-testkit}.
 *
 * @since 0.1.0
 */
package io.clink.testkit;
