/**
 * Payloads for tests of decoders that must survive hostile input: {@link io.clink.testkit.payload.Zlib} builds zlib
 * streams, including decompression bombs that inflate to far more than they weigh.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit.payload;

import org.jspecify.annotations.NullMarked;
