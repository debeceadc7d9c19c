/**
 * A codec for the subset of the Erlang External Term Format that the Cluster Link protocol v1 uses: an immutable
 * term model ({@link io.clink.core.internal.etf.Term}), a hardened decoder and an allocation-lean encoder.
 * Internal: no compatibility promise.
 */
@NullMarked
package io.clink.core.internal.etf;

import org.jspecify.annotations.NullMarked;
