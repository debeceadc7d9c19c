/**
 * The route-store SPI: where the receiving side of cluster linking keeps remote actors and the routes they
 * advertise, so that several broker nodes of one cluster can share them (ARCHITECTURE.md, "Multi-node clusters").
 *
 * <p>It lives in its own sub-package of {@code io.clink.api}, not next to {@link io.clink.api.IncarnationStore},
 * because it is a separate extension point with several types of its own (keys, results, events) that a store author
 * (for example a Hazelcast-backed store) implements without needing the rest of the API; {@code IncarnationStore}
 * is about the <em>sending</em> side and stays where it is.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.store;

import org.jspecify.annotations.NullMarked;
