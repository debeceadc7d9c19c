package io.clink.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, IoT-shaped set of routes and a skewed stream of publish topics, the same for every implementation.
 *
 * <p>Routes are generated site by site until the requested count is reached. Each site has {@code site/<s>/#}, one
 * {@code site/<s>/device/<d>/+} per device, exact {@code site/<s>/device/<d>/telemetry/<m>} filters for half the
 * devices, {@code site/<s>/zone/<z>/+/alarm/<a>} filters and one {@code fleet/<s>/+/status}: 3 to 7 levels. A few
 * broad filters ({@code site/+/device/+/alarm} in every cluster, ...) come first. Each filter is wanted by 1 to 3 of
 * {@value #CLUSTERS} destination clusters (popular clusters more often), each with 1 to 4 route ids: the filter itself
 * (a plain subscription), {@code $s/g1/<filter>}, {@code $s/g2/<filter>} (shared groups) or {@code $p/<session>/<filter>}
 * (a durable session). Topics pick sites and devices with a Zipf-like popularity and give zero (about a quarter),
 * one or many destination clusters.
 *
 * <p>Peers key a subscriber by {@code (cluster, route-id prefix)}: {@link Route#subscriber()} is one of a small fixed
 * set of shared strings, as a broker's client id would be.
 *
 * @since 0.1.0
 */
public final class RouteWorkload {

    /** Destination clusters. */
    public static final int CLUSTERS = 8;

    /** Devices per site. */
    static final int DEVICES = 100;

    /** Zones per site. */
    static final int ZONES = 4;

    private static final String[] CLUSTER_NAMES = new String[CLUSTERS];
    private static final int SESSIONS = 16;
    private static final String[] PREFIXES = new String[3 + SESSIONS];
    /** Subscriber names by cluster and prefix: shared, so a peer stores a reference per row, not a string. */
    private static final String[][] SUBSCRIBERS = new String[CLUSTERS][PREFIXES.length];

    static {
        for (int c = 0; c < CLUSTERS; c++) {
            CLUSTER_NAMES[c] = "cluster-" + c;
        }
        PREFIXES[0] = "";
        PREFIXES[1] = "$s/g1/";
        PREFIXES[2] = "$s/g2/";
        for (int k = 0; k < SESSIONS; k++) {
            PREFIXES[3 + k] = "$p/session-" + k + "/";
        }
        for (int c = 0; c < CLUSTERS; c++) {
            for (int p = 0; p < PREFIXES.length; p++) {
                SUBSCRIBERS[c][p] = CLUSTER_NAMES[c] + "|" + PREFIXES[p];
            }
        }
    }

    /**
     * One row of the index.
     *
     * @param filter the topic filter
     * @param cluster the destination cluster
     * @param routeId the route id (the filter, or a prefix and the filter)
     * @param subscriber the peers' subscriber key for {@code (cluster, route-id prefix)}
     * @since 0.1.0
     */
    public record Route(String filter, String cluster, String routeId, String subscriber) {}

    /**
     * Receives generated routes.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface RouteSink {
        /**
         * Takes one route.
         *
         * @param route the route, made of fresh strings (but for the cluster and subscriber)
         * @since 0.1.0
         */
        void accept(Route route);
    }

    private final long seed;

    /**
     * Creates a workload.
     *
     * @param seed the random seed; the same seed gives the same routes and topics
     * @since 0.1.0
     */
    public RouteWorkload(long seed) {
        this.seed = seed;
    }

    /**
     * Returns the cluster names.
     *
     * @return a fresh array of {@value #CLUSTERS} names
     * @since 0.1.0
     */
    public static String[] clusterNames() {
        return CLUSTER_NAMES.clone();
    }

    /**
     * Generates the first {@code count} routes, in order, without keeping them (so a heap measurement sees only what
     * the index keeps).
     *
     * @param count how many routes
     * @param sink receives them
     * @return how many sites the routes span
     * @since 0.1.0
     */
    public int generate(int count, RouteSink sink) {
        int[] left = {count};
        RouteSink limited = r -> {
            if (left[0] > 0) {
                left[0]--;
                sink.accept(r);
            }
        };
        broad("site/+/device/+/alarm", CLUSTERS, limited);
        broad("site/+/zone/+/+/alarm/#", 3, limited);
        broad("fleet/+/+/status", 2, limited);
        int site = 0;
        while (left[0] > 0) {
            generateSite(site, limited);
            site++;
        }
        return Math.max(site, 1);
    }

    /**
     * Generates the first {@code count} routes into a list.
     *
     * @param count how many routes
     * @return the routes, in generation order
     * @since 0.1.0
     */
    public List<Route> routes(int count) {
        List<Route> out = new ArrayList<>(count);
        generate(count, out::add);
        return out;
    }

    /**
     * Returns how many sites {@code count} routes span.
     *
     * @param count how many routes
     * @return the number of sites
     * @since 0.1.0
     */
    public int sites(int count) {
        return generate(count, r -> {});
    }

    private void generateSite(int s, RouteSink sink) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + s);
        String site = site(s);
        rows(rnd, site + "/#", sink);
        for (int d = 0; d < DEVICES; d++) {
            String device = site + "/device/" + device(d);
            rows(rnd, device + "/+", sink);
            if (rnd.nextInt(2) == 0) {
                rows(rnd, device + "/telemetry/m0", sink);
                if (rnd.nextInt(2) == 0) {
                    rows(rnd, device + "/telemetry/m1", sink);
                }
            }
        }
        for (int z = 0; z < ZONES; z++) {
            for (int a = 0; a < 2; a++) {
                rows(rnd, site + "/zone/z" + z + "/+/alarm/a" + a, sink);
            }
        }
        rows(rnd, "fleet/" + site(s).substring(5) + "/+/status", sink);
    }

    /** Rows of one filter: 1 to 3 clusters, each with 1 to 4 route ids. */
    private static void rows(SplittableRandom rnd, String filter, RouteSink sink) {
        int r = rnd.nextInt(10);
        int clusters = r < 7 ? 1 : r < 9 ? 2 : 3;
        int first = skewedCluster(rnd);
        for (int i = 0; i < clusters; i++) {
            // Consecutive clusters after a popular one: distinct, and still skewed towards the low ids.
            int c = (first + i) % CLUSTERS;
            route(filter, c, 0, sink);
            if (rnd.nextInt(5) == 0) {
                route(filter, c, 1, sink);
            }
            if (rnd.nextInt(10) == 0) {
                route(filter, c, 2, sink);
            }
            if (rnd.nextInt(10) == 0) {
                route(filter, c, 3 + rnd.nextInt(SESSIONS), sink);
            }
        }
    }

    /** A broad filter wanted by the {@code n} most popular clusters. */
    private static void broad(String filter, int n, RouteSink sink) {
        for (int c = 0; c < n; c++) {
            route(filter, c, 0, sink);
        }
    }

    private static void route(String filter, int cluster, int prefix, RouteSink sink) {
        String id = prefix == 0 ? filter : PREFIXES[prefix] + filter;
        sink.accept(new Route(filter, CLUSTER_NAMES[cluster], id, SUBSCRIBERS[cluster][prefix]));
    }

    /** Cluster 0 half the time, 1 a quarter, and so on. */
    private static int skewedCluster(SplittableRandom rnd) {
        int c = Long.numberOfTrailingZeros(rnd.nextLong() | (1L << (CLUSTERS - 1)));
        return Math.min(c, CLUSTERS - 1);
    }

    /**
     * Returns {@code size} publish topics for an index built from {@code routes} routes, sites and devices drawn with a
     * Zipf-like popularity (exponent 1).
     *
     * @param routes how many routes the index holds
     * @param size how many topics, a power of two
     * @return the topics
     * @throws IllegalArgumentException if {@code size} is not a power of two
     * @since 0.1.0
     */
    public String[] topics(int routes, int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("topic count must be a power of two, got " + size);
        }
        int sites = sites(routes);
        SplittableRandom rnd = new SplittableRandom(~seed);
        Zipf siteRank = new Zipf(sites);
        Zipf deviceRank = new Zipf(DEVICES);
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            // Popular ranks land on scattered sites, so the hot part of the trie is not one contiguous corner.
            int s = (int) ((siteRank.next(rnd) * 7919L) % sites);
            int d = (int) ((deviceRank.next(rnd) * 31L) % DEVICES);
            String device = site(s) + "/device/" + device(d);
            int kind = rnd.nextInt(100);
            if (kind < 30) {
                out[i] = device + "/temp";
            } else if (kind < 45) {
                out[i] = device + "/telemetry/m" + rnd.nextInt(3);
            } else if (kind < 55) {
                out[i] = device + "/alarm";
            } else if (kind < 65) {
                out[i] = site(s) + "/zone/z" + rnd.nextInt(ZONES) + "/door-" + d + "/alarm/a" + rnd.nextInt(3);
            } else if (kind < 75) {
                out[i] = "fleet/" + site(s).substring(5) + "/truck-" + d + "/status";
            } else if (kind < 85) {
                out[i] = "home/h" + rnd.nextInt(1000) + "/light/l" + d + "/state";
            } else {
                out[i] = site(sites + s) + "/device/" + device(d) + "/temp";
            }
        }
        return out;
    }

    private static String site(int s) {
        return padded("site/s-", s, 6);
    }

    private static String device(int d) {
        return padded("d-", d, 4);
    }

    /** {@code prefix} and {@code n} zero-padded to {@code width} digits (String.format would dominate generation). */
    private static String padded(String prefix, int n, int width) {
        String digits = Integer.toString(n);
        StringBuilder b = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits).toString();
    }

    /** Draws ranks {@code 0..n-1} with probability proportional to {@code 1/(rank+1)}. */
    private static final class Zipf {
        private final double[] cdf;

        Zipf(int n) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / (i + 1);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int next(SplittableRandom rnd) {
            double u = rnd.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
