package io.clink.benchmarks;

import java.util.Set;

/**
 * One route index under test, behind the operations the benchmarks need. Each implementation answers a match with
 * its own native result; only {@link #clusters} (for tests) reduces that to destination clusters.
 *
 * <p>Not thread-safe: the benchmarks drive a table from one thread.
 *
 * @since 0.1.0
 */
public abstract class RouteTable {

    /** The implementation names, as the benchmarks' {@code impl} parameter spells them. */
    public static final String[] IMPLEMENTATIONS = {"clink", "naive", "moquette", "hivemq"};

    /**
     * Creates an empty table.
     *
     * @param impl one of {@link #IMPLEMENTATIONS}
     * @return the table
     * @throws IllegalArgumentException if {@code impl} is unknown
     * @since 0.1.0
     */
    public static RouteTable create(String impl) {
        switch (impl) {
            case "clink":
                return new ClinkRouteTable();
            case "naive":
                return new NaiveRouteTable();
            case "moquette":
                return new MoquetteRouteTable();
            case "hivemq":
                return new HiveMqRouteTable();
            default:
                throw new IllegalArgumentException(
                        "unknown implementation '" + impl + "', expected one of clink, naive, moquette, hivemq");
        }
    }

    /**
     * Adds a route.
     *
     * @param route the route
     * @since 0.1.0
     */
    public abstract void add(RouteWorkload.Route route);

    /**
     * Removes a route added before.
     *
     * @param route the route
     * @since 0.1.0
     */
    public abstract void remove(RouteWorkload.Route route);

    /**
     * Matches a topic the way the implementation's broker would on a publish.
     *
     * @param topic the publish topic
     * @return the implementation's result (for a benchmark to consume)
     * @since 0.1.0
     */
    public abstract Object match(String topic);

    /**
     * Returns the destination clusters of {@code topic}; a cold path for tests.
     *
     * @param topic the publish topic
     * @return the cluster names
     * @since 0.1.0
     */
    public abstract Set<String> clusters(String topic);

    /** Cluster of a peer subscriber key {@code <cluster>|<route-id prefix>}. */
    static String clusterOf(String subscriber) {
        return subscriber.substring(0, subscriber.indexOf('|'));
    }
}
