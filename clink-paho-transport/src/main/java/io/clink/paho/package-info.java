/**
 * Module {@code clink-paho-transport}.
 *
 * @since 0.1.0
 */
package io.clink.paho;
