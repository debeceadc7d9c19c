/**
 * Link state and read-only views of it: the {@link io.clink.api.link.ActorState} machine of a route-replication
 * actor, immutable {@link io.clink.api.link.LinkStatus} and {@link io.clink.api.link.LinkMetrics} snapshots, and the
 * {@link io.clink.api.link.ActorStateListener} that learns of every state change.
 *
 * <p>Threading: each link's state is owned by one serial executor inside the engine; the snapshots here are
 * immutable values published through volatile fields, so any thread may read them without locking.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.link;

import org.jspecify.annotations.NullMarked;
