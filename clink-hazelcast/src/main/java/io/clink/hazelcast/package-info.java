/**
 * A {@link io.clink.api.store.RouteStore} on embedded Hazelcast members, shared by the broker nodes of one region
 * (docs/MULTI-NODE.md): {@link io.clink.hazelcast.HazelcastRouteStore}.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.hazelcast;

import org.jspecify.annotations.NullMarked;
