/**
 * The remote route index: the routes remote clusters replicated into this cluster, matched against every local
 * publish. Internal; no compatibility promise.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.internal.route;

import org.jspecify.annotations.NullMarked;
