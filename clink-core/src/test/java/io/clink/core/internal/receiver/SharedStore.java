package io.clink.core.internal.receiver;

import io.clink.api.store.ActorInit;
import io.clink.api.store.ActorKey;
import io.clink.api.store.RouteOp;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.store.InProcessRouteStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An in-process store that says it is shared ({@link #inProcess()} false), so receivers over it queue their work and
 * lease by the wall clock as with a distributed store; it also counts removals and can be made to fail.
 */
final class SharedStore implements RouteStore {

    private final InProcessRouteStore data = new InProcessRouteStore();
    final AtomicInteger expiredRemovals = new AtomicInteger();
    private volatile @Nullable RuntimeException applyFailure;

    /** Makes every later {@link #applyRoutes} throw {@code failure} after applying nothing, or with null, work again. */
    void failApplyWith(@Nullable RuntimeException failure) {
        this.applyFailure = failure;
    }

    @Override
    public ActorInit initActor(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        return data.initActor(actor, incarnation, nowMillis, leaseMillis);
    }

    @Override
    public boolean heartbeat(ActorKey actor, long incarnation, long nowMillis, long leaseMillis) {
        return data.heartbeat(actor, incarnation, nowMillis, leaseMillis);
    }

    @Override
    public boolean applyRoutes(ActorKey actor, long incarnation, List<RouteOp> ops) {
        RuntimeException failure = applyFailure;
        if (failure != null) {
            throw failure;
        }
        return data.applyRoutes(actor, incarnation, ops);
    }

    @Override
    public Optional<ActorRecord> actor(ActorKey actor) {
        return data.actor(actor);
    }

    @Override
    public List<ActorRecord> actors(String cluster) {
        return data.actors(cluster);
    }

    @Override
    public List<ActorRecord> expiredActors(long nowMillis) {
        return data.expiredActors(nowMillis);
    }

    @Override
    public boolean expireIfStillExpired(ActorKey actor, long incarnation, long nowMillis) {
        boolean removed = data.expireIfStillExpired(actor, incarnation, nowMillis);
        if (removed) {
            expiredRemovals.incrementAndGet();
        }
        return removed;
    }

    @Override
    public List<ActorRecord> removeCluster(String cluster) {
        return data.removeCluster(cluster);
    }

    @Override
    public Subscription subscribe(Listener listener) {
        return data.subscribe(listener);
    }

    @Override
    public void close() {
        data.close();
    }
}
