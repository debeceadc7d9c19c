package io.clink.core.internal.route;

import java.util.BitSet;

/**
 * One row of the {@link RouteIndex} as it lists it for status pages and tests, lanes included. Not the public
 * {@code io.clink.api.link.RemoteRoute}, the {@code (filter, route id)} pair {@code ClusterLink.remoteRoutes} shows.
 *
 * @param filter the topic filter the remote cluster wants
 * @param cluster the remote (destination) cluster
 * @param routeId the opaque route id the remote cluster gave the row
 * @param lanes the lanes whose actors advertise the row; never empty; a fresh set owned by the caller
 * @since 0.1.0
 */
public record IndexedRoute(String filter, String cluster, RouteId routeId, BitSet lanes) {}
