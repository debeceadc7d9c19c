/**
 * The public API of clink: topic names and filters, the {@code LocalBroker} and transport SPIs that a broker
 * author implements, the link configuration model, and read-only views of link state and metrics.
 *
 * <p>Everything in this package and its sub-packages is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api;

import org.jspecify.annotations.NullMarked;
