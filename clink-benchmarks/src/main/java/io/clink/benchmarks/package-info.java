/**
 * Module {@code clink-benchmarks}.
 *
 * @since 0.1.0
 */
package io.clink.benchmarks;
