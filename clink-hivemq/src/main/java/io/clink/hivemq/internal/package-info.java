/**
 * Implementation of the HiveMQ adapter: per-connection state, interceptors and the mapping between HiveMQ's packet
 * types and clink's. No compatibility promise.
 */
@NullMarked
package io.clink.hivemq.internal;

import org.jspecify.annotations.NullMarked;
