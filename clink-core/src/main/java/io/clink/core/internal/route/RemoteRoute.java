package io.clink.core.internal.route;

/**
 * One row of the {@link RouteIndex}, as listed for status pages and tests.
 *
 * @param filter the topic filter the remote cluster wants
 * @param cluster the remote (destination) cluster
 * @param routeId the opaque route id the remote cluster gave the row
 * @param lanes bit {@code L} is set while the actor on lane {@code L} advertises the row; never zero
 * @since 0.1.0
 */
public record RemoteRoute(String filter, String cluster, String routeId, long lanes) {}
