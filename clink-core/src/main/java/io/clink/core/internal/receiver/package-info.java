/**
 * The receiving half of route replication: remote actors' handshakes, route batches and heartbeats on
 * {@code $LINK/cluster/route/<cluster>}, written through the node's route store (actors with their lanes and
 * leases, routes), the feed that keeps the node's route index following the store, and the garbage collection of
 * silent actors. Internal: no compatibility promise.
 */
@NullMarked
package io.clink.core.internal.receiver;

import org.jspecify.annotations.NullMarked;
