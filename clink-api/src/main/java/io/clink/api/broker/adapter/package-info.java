/**
 * Helpers for authors of {@link io.clink.api.broker.LocalBroker} adapters: the pieces every adapter needs around
 * {@link io.clink.api.broker.ClusterLinkHooks} whatever its broker, so that each adapter only writes what is specific
 * to its broker. Applications that embed clink with an existing adapter do not need this package.
 *
 * <p>Nothing here logs or starts threads: where a helper must report a failure, the adapter passes the handler, so
 * that the report goes through the adapter's own logging.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.broker.adapter;

import org.jspecify.annotations.NullMarked;
