package io.clink.core.internal.receiver;

import io.clink.api.store.RouteEvent;
import io.clink.api.store.RouteKey;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.route.IndexedRoute;
import io.clink.core.internal.route.RouteIndex;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * A node's route index follows the route store: every store event becomes one index write, in the order the store
 * delivers them (per key, as applied). The store calls a listener one event at a time, which makes this feed the
 * index's single writer; publishers match lock-free as before. Status readers (route lists and counts) walk index
 * structures the writer changes, so they and the writer share this object's monitor; matching never takes it.
 *
 * Idempotence makes the snapshot safe: a LaneAdded delivered by both the snapshot and a racing live event sets a lane
 * already set. An event the index refuses (a filter it rejects, which the receivers' validation before the store
 * rules out for clink nodes) is logged and skipped; the index then lacks that route, never more.
 */

/** Applies a {@link RouteStore}'s route events to this node's {@link RouteIndex}. Public for the benchmarks only. */
public final class RouteIndexFeed implements RouteStore.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RouteIndexFeed.class);

    private final RouteIndex index;

    public RouteIndexFeed(RouteIndex index) {
        this.index = index;
    }

    @Override
    public synchronized void onEvent(RouteEvent event) {
        try {
            if (event instanceof RouteEvent.LaneAdded a) {
                RouteKey r = a.route();
                index.add(r.filter(), r.cluster(), r.routeId(), a.lane());
            } else if (event instanceof RouteEvent.LaneDeleted d) {
                RouteKey r = d.route();
                index.delete(r.filter(), r.cluster(), r.routeId(), d.lane());
            } else if (event instanceof RouteEvent.LaneCleared c) {
                index.clearLane(c.cluster(), c.lane());
            } else if (event instanceof RouteEvent.ClusterRemoved c) {
                index.removeCluster(c.cluster());
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("route index refused store event {}: {}", event, e.getMessage());
        }
    }

    @Override
    public void onSnapshotComplete() {
        // The index is live from the first event on; until the snapshot ends it may lack routes, which only means
        // a publish in that moment is not forwarded, as if the route had arrived a moment later.
        LOG.debug("route index holds the route store's snapshot");
    }

    synchronized int routeCount(String cluster) {
        return index.routeCount(cluster);
    }

    synchronized List<IndexedRoute> routes(String cluster) {
        return index.routes(cluster);
    }
}
