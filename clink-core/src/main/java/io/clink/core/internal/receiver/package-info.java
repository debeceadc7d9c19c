/**
 * The receiving half of route replication: remote actors' handshakes, route batches and heartbeats on
 * {@code $LINK/cluster/route/<cluster>}, the actor table with its lanes and leases, and the garbage collection of
 * silent actors. Internal: no compatibility promise.
 */
@NullMarked
package io.clink.core.internal.receiver;

import org.jspecify.annotations.NullMarked;
