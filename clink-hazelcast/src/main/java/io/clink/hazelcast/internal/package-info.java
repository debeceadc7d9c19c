/**
 * The Hazelcast route store's stored values, keys and entry processors, serialized as Hazelcast
 * {@code IdentifiedDataSerializable}s. Internal: no compatibility promise beyond what a rolling upgrade of one
 * clink version needs.
 */
@NullMarked
package io.clink.hazelcast.internal;

import org.jspecify.annotations.NullMarked;
