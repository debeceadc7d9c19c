package io.clink.benchmarks;

import io.clink.api.topic.TopicAlgebra;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The baseline: a list of rows, every filter tested against the topic with {@link TopicAlgebra#match}. */
final class NaiveRouteTable extends RouteTable {

    private final List<RouteWorkload.Route> rows = new ArrayList<>();
    private final List<String> clusterNames = new ArrayList<>();
    private final BitSet hits = new BitSet();

    @Override
    public void add(RouteWorkload.Route route) {
        rows.add(route);
    }

    @Override
    public void remove(RouteWorkload.Route route) {
        rows.remove(route);
    }

    @Override
    public Object match(String topic) {
        // Distinct clusters, without allocating: a bit per cluster, found by a scan of a short list.
        hits.clear();
        for (int i = 0, n = rows.size(); i < n; i++) {
            RouteWorkload.Route r = rows.get(i);
            if (TopicAlgebra.match(r.filter(), topic)) {
                hits.set(clusterId(r.cluster()));
            }
        }
        return hits;
    }

    private int clusterId(String cluster) {
        int i = clusterNames.indexOf(cluster);
        if (i < 0) {
            clusterNames.add(cluster);
            i = clusterNames.size() - 1;
        }
        return i;
    }

    @Override
    public Set<String> clusters(String topic) {
        Set<String> out = new HashSet<>();
        for (RouteWorkload.Route r : rows) {
            if (TopicAlgebra.match(r.filter(), topic)) {
                out.add(r.cluster());
            }
        }
        return out;
    }
}
