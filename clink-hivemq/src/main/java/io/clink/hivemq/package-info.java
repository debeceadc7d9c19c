/**
 * Module {@code clink-hivemq}.
 *
 * @since 0.1.0
 */
package io.clink.hivemq;
