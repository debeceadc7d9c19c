package io.clink.core.internal.link;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's local routes, reference-counted from the broker's subscription events and corrected by periodic
 * snapshots.
 *
 * <p>A local route is a {@link Subscription}: a plain filter (route id = the filter) or a shared group on a filter
 * (route id {@code $s/<group>/<filter>}). It exists while at least one client holds that subscription. Only the
 * first holder's arrival and the last holder's departure reach the {@link LocalRouteListener}s, exactly like EMQX's
 * broker reports routes to its cluster-link provider. The listeners are the running links' route actors: changes
 * flow one way, from here straight to them.
 *
 * <p>Adapter events are hints, not the truth: brokers drop sessions without unsubscribe events, and an adapter can
 * miss or reorder events. {@link #beginResync()} / {@link #applyResync} replace the per-client state with a fresh
 * snapshot and report the difference. A client touched by an event after the snapshot started is left as the
 * events made it, because its event is newer than the snapshot; the next resync settles it.
 *
 * <p>Concurrency: every method is synchronized; events arrive on broker threads. Listeners are called while the
 * lock is held, so they see route changes in the order they happened; they must be quick and must not call back into
 * this object. A listener added while routes exist learns only later changes: it reads {@link #routes()} itself.
 */
public final class LocalRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRoutes.class);
    private static final String QUEUE_PREFIX = Subscription.QUEUE_GROUP + "/";

    private static final class ClientState {
        final Set<Subscription> subscriptions = new HashSet<>();
        long touchedInEpoch;
    }

    private final List<LocalRouteListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ClientState> clients = new HashMap<>();
    private final Map<Subscription, Integer> refCounts = new HashMap<>();
    private final boolean queueSubscriptions;
    private final AtomicBoolean queueIgnoredLogged = new AtomicBoolean();
    private long epoch;
    private boolean resyncPending;

    /**
     * Empty routes with no listener.
     *
     * @param queueSubscriptions whether the broker treats {@code $queue/<filter>} as EMQX's shared group on {@code
     *     <filter>} ({@link io.clink.api.broker.LocalBroker#supportsQueueSubscriptions()}); if not, such
     *     subscriptions stand for no route
     */
    public LocalRoutes(boolean queueSubscriptions) {
        this.queueSubscriptions = queueSubscriptions;
    }

    /**
     * The local route a broker subscription stands for, or null if it stands for none: the link's own {@code $LINK/}
     * subscriptions are protocol plumbing, an invalid filter (which a broker should have refused) is ignored, and so
     * is a {@code $queue/} subscription on a broker that does not know EMQX's {@code $queue} (advertising its filter
     * would draw traffic the broker never delivers to that subscriber). Thread: any; reads only final state.
     *
     * @param localCluster this cluster's name, for the log line
     * @param clientId the subscriber, for the log line
     * @param subscription the subscription as the broker granted it
     */
    public @Nullable Subscription routeOf(String localCluster, String clientId, String subscription) {
        if (subscription.startsWith(ClusterLinkHooks.LINK_TOPIC_PREFIX)) {
            return null;
        }
        if (!queueSubscriptions && subscription.startsWith(QUEUE_PREFIX)) {
            if (queueIgnoredLogged.compareAndSet(false, true)) {
                LOG.info(
                        "[{}] the broker has no EMQX $queue subscriptions: {} of {} (and any later $queue/ subscription)"
                                + " stays local, no route is advertised for it",
                        localCluster,
                        subscription,
                        clientId);
            }
            return null;
        }
        try {
            return Subscription.parse(subscription);
        } catch (InvalidTopicException e) {
            LOG.debug("[{}] ignoring invalid subscription of {}: {}", localCluster, clientId, e.getMessage());
            return null;
        }
    }

    /**
     * Starts telling {@code listener} of route changes. Thread: any; takes the lock, so every change after this call
     * reaches the listener and every change before it is in any {@link #routes()} read after it.
     */
    public synchronized void addListener(LocalRouteListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; unknown listeners are ignored. Thread: any. */
    public synchronized void removeListener(LocalRouteListener listener) {
        listeners.remove(Objects.requireNonNull(listener, "listener"));
    }

    /** A client now holds {@code subscription}; idempotent per client. */
    public synchronized void subscribe(String clientId, Subscription subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        ClientState state = clients.computeIfAbsent(clientId, id -> new ClientState());
        state.touchedInEpoch = epoch;
        if (state.subscriptions.add(subscription)) {
            increment(subscription);
        }
    }

    /** A client no longer holds {@code subscription}; unknown pairs are ignored. */
    public synchronized void unsubscribe(String clientId, Subscription subscription) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        ClientState state = clients.get(clientId);
        if (state == null) {
            // Remember the touch so an in-flight resync does not resurrect what the client just dropped.
            state = new ClientState();
            clients.put(clientId, state);
        }
        state.touchedInEpoch = epoch;
        if (state.subscriptions.remove(subscription)) {
            decrement(subscription);
        }
        dropIfEmpty(clientId, state);
    }

    /** The client's session ended: all its subscriptions are gone. */
    public synchronized void sessionEnd(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        ClientState state = clients.get(clientId);
        if (state == null) {
            return;
        }
        for (Subscription s : state.subscriptions) {
            decrement(s);
        }
        state.subscriptions.clear();
        state.touchedInEpoch = epoch;
        dropIfEmpty(clientId, state);
    }

    /**
     * Starts a resync: take the broker's snapshot <em>after</em> this call.
     *
     * @return the token to pass to {@link #applyResync}
     */
    public synchronized long beginResync() {
        resyncPending = true;
        return ++epoch;
    }

    /** Abandons a resync whose snapshot could not be read; per-client state stays as the events made it. */
    public synchronized void abortResync() {
        resyncPending = false;
        clients.values().removeIf(state -> state.subscriptions.isEmpty());
    }

    /**
     * Replaces per-client state with a snapshot taken after {@link #beginResync()} returned {@code token}, except for
     * clients that events touched since then.
     *
     * @param token from {@link #beginResync()}
     * @param snapshot every (client id, subscription) the broker holds
     * @return how many routes appeared and disappeared, for logging
     */
    public synchronized ResyncResult applyResync(long token, Map<String, ? extends Collection<Subscription>> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        int before = refCounts.size();
        List<Subscription> added = new ArrayList<>();
        List<Subscription> removed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, ? extends Collection<Subscription>> e : snapshot.entrySet()) {
            String clientId = e.getKey();
            seen.add(clientId);
            ClientState state = clients.get(clientId);
            if (state != null && state.touchedInEpoch >= token) {
                continue;
            }
            Set<Subscription> fresh = new HashSet<>(e.getValue());
            if (state == null) {
                state = new ClientState();
                clients.put(clientId, state);
            }
            for (Subscription s : fresh) {
                if (!state.subscriptions.contains(s)) {
                    increment(s, added);
                }
            }
            for (Subscription s : state.subscriptions) {
                if (!fresh.contains(s)) {
                    decrement(s, removed);
                }
            }
            state.subscriptions.clear();
            state.subscriptions.addAll(fresh);
            dropIfEmpty(clientId, state);
        }
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, ClientState> e : clients.entrySet()) {
            if (!seen.contains(e.getKey()) && e.getValue().touchedInEpoch < token) {
                gone.add(e.getKey());
            }
        }
        for (String clientId : gone) {
            ClientState state = clients.remove(clientId);
            for (Subscription s : state.subscriptions) {
                decrement(s, removed);
            }
        }
        resyncPending = false;
        clients.values().removeIf(state -> state.subscriptions.isEmpty());
        return new ResyncResult(added.size(), removed.size(), before, refCounts.size());
    }

    /** The routes that exist now. */
    public synchronized Set<Subscription> routes() {
        return Set.copyOf(refCounts.keySet());
    }

    /** How many clients hold {@code route}; 0 if none. */
    public synchronized int holders(Subscription route) {
        return refCounts.getOrDefault(route, 0);
    }

    /** Counts of a resync, for the log line. */
    public record ResyncResult(int added, int removed, int routesBefore, int routesAfter) {}

    private void increment(Subscription s) {
        increment(s, null);
    }

    private void increment(Subscription s, @Nullable List<Subscription> added) {
        int n = refCounts.merge(s, 1, Integer::sum);
        if (n == 1) {
            if (added != null) {
                added.add(s);
            }
            for (LocalRouteListener l : listeners) {
                l.routeAdded(s);
            }
        }
    }

    private void decrement(Subscription s) {
        decrement(s, null);
    }

    private void decrement(Subscription s, @Nullable List<Subscription> removed) {
        Integer n = refCounts.get(s);
        if (n == null) {
            return;
        }
        if (n == 1) {
            refCounts.remove(s);
            if (removed != null) {
                removed.add(s);
            }
            for (LocalRouteListener l : listeners) {
                l.routeRemoved(s);
            }
        } else {
            refCounts.put(s, n - 1);
        }
    }

    private void dropIfEmpty(String clientId, ClientState state) {
        // While a resync is pending, an empty client's touch must survive so that the snapshot, which may predate
        // the unsubscribe, cannot resurrect its routes.
        if (state.subscriptions.isEmpty() && !resyncPending) {
            clients.remove(clientId);
        }
    }
}
