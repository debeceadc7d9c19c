/**
 * This broker node's local routes: the subscriptions its clients hold, reference-counted from broker events and
 * corrected by snapshots, announced to each link's route actor through {@link
 * io.clink.core.internal.link.LocalRouteListener}. Internal; no compatibility promise.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.internal.link;

import org.jspecify.annotations.NullMarked;
