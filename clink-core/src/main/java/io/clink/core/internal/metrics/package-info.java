/** Derived link metrics: EMQX's matched rates. Internal: no compatibility promise. */
@NullMarked
package io.clink.core.internal.metrics;

import org.jspecify.annotations.NullMarked;
