/**
 * Typed Cluster Link protocol v1 messages (handshake, route batches, heartbeats, forwarded messages) with their
 * encoding to and decoding from the ETF terms EMQX 5.8+ exchanges. Internal: no compatibility promise.
 */
@NullMarked
package io.clink.core.internal.protocol;

import org.jspecify.annotations.NullMarked;
