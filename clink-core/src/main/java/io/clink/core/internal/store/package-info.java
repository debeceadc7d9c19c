/**
 * The default {@link io.clink.api.store.RouteStore}: one node's actors and remote routes in process. Internal: no
 * compatibility promise.
 */
@NullMarked
package io.clink.core.internal.store;

import org.jspecify.annotations.NullMarked;
