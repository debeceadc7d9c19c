/**
 * What every engine component shares: context, counters, guarded broker calls, link connections.
 */
@NullMarked
package io.clink.core.internal.engine;

import org.jspecify.annotations.NullMarked;
