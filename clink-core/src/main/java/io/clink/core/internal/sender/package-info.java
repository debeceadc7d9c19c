/**
 * The route-replication sender: one actor per enabled link on this node, replicating this node's routes into the
 * remote cluster (protocol sections 4.1 to 4.3 and 4.8). Internal; no compatibility promise.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.internal.sender;

import org.jspecify.annotations.NullMarked;
