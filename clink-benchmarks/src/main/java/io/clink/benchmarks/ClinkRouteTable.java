package io.clink.benchmarks;

import io.clink.core.internal.route.MatchSink;
import io.clink.core.internal.route.RouteIndex;
import java.util.Set;

/** clink's {@link RouteIndex}, matched into one reused {@link MatchSink} (its publish path). */
final class ClinkRouteTable extends RouteTable {

    private final RouteIndex index = new RouteIndex();
    private final CountingSink sink = new CountingSink();

    @Override
    public void add(RouteWorkload.Route route) {
        index.add(route.filter(), route.cluster(), route.routeId(), 0);
    }

    @Override
    public void remove(RouteWorkload.Route route) {
        index.delete(route.filter(), route.cluster(), route.routeId(), 0);
    }

    @Override
    public Object match(String topic) {
        index.match(topic, sink);
        return sink;
    }

    @Override
    public Set<String> clusters(String topic) {
        return index.match(topic);
    }

    /** Records what a forwarder would look at: how many clusters, and the last one. */
    static final class CountingSink extends MatchSink {
        int count;
        String last;

        @Override
        protected void accept(String cluster) {
            count++;
            last = cluster;
        }
    }
}
