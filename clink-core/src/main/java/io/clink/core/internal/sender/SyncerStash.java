package io.clink.core.internal.sender;

import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.RouteId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Pending route operations of one actor, waiting to be sent as {@code route} batches.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>At most one pending op per {@code (filter, routeId)}: a later op replaces the earlier one, so an add
 *       followed by a delete leaves only the delete. Memory is bounded by the number of distinct keys, and since
 *       ops are idempotent on the receiver, sending only the last one converges to the same state.
 *   <li>A batch never holds the same key twice, so the order of ops inside a batch does not matter.
 *   <li>Adds leave before deletes when the stash is larger than one batch (EMQX's syncer priorities), each kind in
 *       the order it was first stashed.
 *   <li>A batch that failed to send is put back with {@link #restore}, except for keys that received a newer op in
 *       the meantime: the newer op wins.
 * </ul>
 *
 * <p>Concurrency: not thread-safe; owned by the link's serial executor.
 */
final class SyncerStash {

    /** Identity of a replicated route: a later op on the same key replaces an earlier one. */
    private record RouteKey(String filter, RouteId routeId) {
        static RouteKey of(RouteOp op) {
            return new RouteKey(op.filter(), op.routeId());
        }
    }

    private final LinkedHashMap<RouteKey, RouteOp> adds;
    private final LinkedHashMap<RouteKey, RouteOp> deletes = new LinkedHashMap<>();

    /** An empty stash. */
    public SyncerStash() {
        adds = new LinkedHashMap<>();
    }

    /**
     * An empty stash sized for {@code expectedAdds} adds, so that filling it with a bootstrap snapshot does not
     * rehash it over and over.
     *
     * @param expectedAdds how many adds it will hold; at least 0
     */
    public SyncerStash(int expectedAdds) {
        if (expectedAdds < 0) {
            throw new IllegalArgumentException("expectedAdds must be at least 0: " + expectedAdds);
        }
        adds = new LinkedHashMap<>((int) Math.min(1 << 30, (long) Math.ceil(expectedAdds / 0.75)));
    }

    /** Stashes an op, replacing any pending op on the same key. */
    public void push(RouteOp op) {
        RouteKey key = RouteKey.of(op);
        // A new key, the common case (a bootstrap snapshot has only new keys), costs one lookup in each map.
        if (!op.delete()) {
            if (!deletes.isEmpty()) {
                deletes.remove(key);
            }
            if (adds.putIfAbsent(key, op) != null) {
                adds.remove(key); // re-insert at the end: the newest op goes last in its class
                adds.put(key, op);
            }
        } else {
            if (!adds.isEmpty()) {
                adds.remove(key);
            }
            if (deletes.putIfAbsent(key, op) != null) {
                deletes.remove(key);
                deletes.put(key, op);
            }
        }
    }

    /** Number of pending ops. */
    public int size() {
        return adds.size() + deletes.size();
    }

    public boolean isEmpty() {
        return adds.isEmpty() && deletes.isEmpty();
    }

    /**
     * Removes and returns up to {@code maxOps} ops whose summed {@code sizeOf} stays within {@code maxBytes}, adds
     * first. The first op is always taken when the stash is not empty, even if it alone exceeds {@code maxBytes}: the
     * caller decides what to do with an op that can never fit (it must not stall the stash forever).
     *
     * @param maxOps at least 1
     * @param maxBytes budget for the ops' encoded sizes
     * @param sizeOf encoded size of one op in bytes
     * @return the batch, empty only if the stash is empty
     */
    public List<RouteOp> takeBatch(int maxOps, long maxBytes, ToIntFunction<RouteOp> sizeOf) {
        if (maxOps < 1) {
            throw new IllegalArgumentException("maxOps must be at least 1: " + maxOps);
        }
        List<RouteOp> batch = new ArrayList<>(Math.min(maxOps, size()));
        long[] budget = {maxBytes};
        drain(adds, batch, maxOps, budget, sizeOf);
        drain(deletes, batch, maxOps, budget, sizeOf);
        return batch;
    }

    private static void drain(
            Map<RouteKey, RouteOp> from,
            List<RouteOp> batch,
            int maxOps,
            long[] budget,
            ToIntFunction<RouteOp> sizeOf) {
        Iterator<RouteOp> it = from.values().iterator();
        while (it.hasNext() && batch.size() < maxOps) {
            RouteOp op = it.next();
            int size = sizeOf.applyAsInt(op);
            if (!batch.isEmpty() && size > budget[0]) {
                // Stop rather than skip: skipping would reorder this class of ops across batches for no gain.
                budget[0] = -1;
                return;
            }
            budget[0] -= size;
            batch.add(op);
            it.remove();
        }
    }

    /**
     * Puts back a batch that could not be sent. Ops whose key was pushed again since {@link #takeBatch} are dropped:
     * the newer op supersedes them.
     */
    public void restore(List<RouteOp> batch) {
        // Restored ops are older than anything pushed since, so they must not overwrite it.
        LinkedHashMap<RouteKey, RouteOp> newAdds = new LinkedHashMap<>();
        LinkedHashMap<RouteKey, RouteOp> newDeletes = new LinkedHashMap<>();
        for (RouteOp op : batch) {
            RouteKey key = RouteKey.of(op);
            if (adds.containsKey(key) || deletes.containsKey(key)) {
                continue;
            }
            (op.delete() ? newDeletes : newAdds).put(key, op);
        }
        // Restored ops go first again, keeping their original relative order.
        newAdds.putAll(adds);
        newDeletes.putAll(deletes);
        adds.clear();
        adds.putAll(newAdds);
        deletes.clear();
        deletes.putAll(newDeletes);
    }

    /**
     * Drops everything. Valid only right before a fresh snapshot of the local routes is read: that snapshot already
     * reflects every pending op, so nothing is lost.
     */
    public void clear() {
        adds.clear();
        deletes.clear();
    }
}
