/**
 * Where actor incarnations outlive a restart.
 */
@NullMarked
package io.clink.core.internal.store;

import org.jspecify.annotations.NullMarked;
