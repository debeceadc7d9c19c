/** The parts of the Artemis adapter; not API. Everything here is non-null unless annotated {@code @Nullable}. */
@NullMarked
package io.clink.artemis.internal;

import org.jspecify.annotations.NullMarked;
