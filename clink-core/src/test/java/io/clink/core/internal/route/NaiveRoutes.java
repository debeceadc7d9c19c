package io.clink.core.internal.route;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The obviously-correct model of a route index: a list of rows and a level-by-level matcher. */
final class NaiveRoutes {

    record Key(String filter, String cluster, RouteId routeId) {}

    private final Map<Key, BitSet> rows = new LinkedHashMap<>();

    /** A listed row of a text route id, lanes given as a mask of lanes 0..63. */
    static IndexedRoute row(String filter, String cluster, String routeId, long lanes) {
        return new IndexedRoute(filter, cluster, RouteId.utf8(routeId), BitSet.valueOf(new long[] {lanes}));
    }

    /** MQTT topic matching written as plainly as possible, independently of the trie. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    boolean add(String filter, String cluster, String routeId, int lane) {
        return add(filter, cluster, RouteId.utf8(routeId), lane);
    }

    boolean add(String filter, String cluster, RouteId routeId, int lane) {
        Key k = new Key(filter, cluster, routeId);
        BitSet old = rows.get(k);
        BitSet now = old == null ? new BitSet() : old;
        now.set(lane);
        rows.put(k, now);
        return old == null;
    }

    boolean delete(String filter, String cluster, String routeId, int lane) {
        return delete(filter, cluster, RouteId.utf8(routeId), lane);
    }

    boolean delete(String filter, String cluster, RouteId routeId, int lane) {
        Key k = new Key(filter, cluster, routeId);
        BitSet old = rows.get(k);
        if (old == null || !old.get(lane)) {
            return false;
        }
        old.clear(lane);
        if (old.isEmpty()) {
            rows.remove(k);
            return true;
        }
        return false;
    }

    int clearLane(String cluster, int lane) {
        BitSet one = new BitSet();
        one.set(lane);
        return strip(cluster, one);
    }

    int removeCluster(String cluster) {
        BitSet all = new BitSet();
        all.set(0, RouteIndex.MAX_LANES);
        return strip(cluster, all);
    }

    private int strip(String cluster, BitSet bits) {
        int removed = 0;
        for (Key k : new ArrayList<>(rows.keySet())) {
            if (k.cluster().equals(cluster)) {
                BitSet now = rows.get(k);
                now.andNot(bits);
                if (now.isEmpty()) {
                    rows.remove(k);
                    removed++;
                }
            }
        }
        return removed;
    }

    Set<String> match(String topic) {
        Set<String> out = new HashSet<>();
        rows.keySet().forEach(k -> {
            if (matches(k.filter(), topic)) {
                out.add(k.cluster());
            }
        });
        return out;
    }

    int count(String cluster) {
        return (int)
                rows.keySet().stream().filter(k -> k.cluster().equals(cluster)).count();
    }

    int count() {
        return rows.size();
    }

    Set<IndexedRoute> routes(String cluster) {
        Set<IndexedRoute> out = new HashSet<>();
        rows.forEach((k, lanes) -> {
            if (Objects.equals(k.cluster(), cluster)) {
                out.add(new IndexedRoute(k.filter(), k.cluster(), k.routeId(), (BitSet) lanes.clone()));
            }
        });
        return out;
    }

    List<Key> keys() {
        return new ArrayList<>(rows.keySet());
    }
}
