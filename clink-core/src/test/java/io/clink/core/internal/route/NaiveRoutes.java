package io.clink.core.internal.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The obviously-correct model of a route index: a list of rows and a level-by-level matcher. */
final class NaiveRoutes {

    record Key(String filter, String cluster, String routeId) {}

    private final Map<Key, Long> rows = new LinkedHashMap<>();

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
        Key k = new Key(filter, cluster, routeId);
        Long old = rows.get(k);
        rows.put(k, (old == null ? 0L : old) | (1L << lane));
        return old == null;
    }

    boolean delete(String filter, String cluster, String routeId, int lane) {
        Key k = new Key(filter, cluster, routeId);
        Long old = rows.get(k);
        if (old == null || (old & (1L << lane)) == 0) {
            return false;
        }
        long now = old & ~(1L << lane);
        if (now == 0) {
            rows.remove(k);
            return true;
        }
        rows.put(k, now);
        return false;
    }

    int clearLane(String cluster, int lane) {
        return strip(cluster, 1L << lane);
    }

    int removeCluster(String cluster) {
        return strip(cluster, -1L);
    }

    private int strip(String cluster, long bits) {
        int removed = 0;
        for (Key k : new ArrayList<>(rows.keySet())) {
            if (k.cluster().equals(cluster)) {
                long now = rows.get(k) & ~bits;
                if (now == 0) {
                    rows.remove(k);
                    removed++;
                } else {
                    rows.put(k, now);
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
        return (int) rows.keySet().stream().filter(k -> k.cluster().equals(cluster)).count();
    }

    int count() {
        return rows.size();
    }

    Set<RemoteRoute> routes(String cluster) {
        Set<RemoteRoute> out = new HashSet<>();
        rows.forEach((k, lanes) -> {
            if (Objects.equals(k.cluster(), cluster)) {
                out.add(new RemoteRoute(k.filter(), k.cluster(), k.routeId(), lanes));
            }
        });
        return out;
    }

    List<Key> keys() {
        return new ArrayList<>(rows.keySet());
    }
}
