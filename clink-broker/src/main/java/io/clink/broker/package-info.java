/**
 * Module {@code clink-broker}.
 *
 * @since 0.1.0
 */
package io.clink.broker;
