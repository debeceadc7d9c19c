/**
 * The clink engine's public entry points. Implementation classes live in {@code io.clink.core.internal} packages,
 * which carry no compatibility promise and are excluded from the Javadoc.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core;

import org.jspecify.annotations.NullMarked;
