package io.clink.core.internal.receiver;

import io.clink.core.internal.route.RouteIndex;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The receiver's record of every remote route-replication actor: its incarnation, its lane and its lease
 * (protocol document sections 1.6, 4.4 and 4.5).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Within one remote cluster, live actors hold distinct lanes in {@code [0, RouteIndex.MAX_LANES)}; a new
 *       actor takes the lowest free lane, so lanes of expired actors are reused. A lane is the mark an actor sets
 *       on the routes it advertises, so two actors advertising one route keep it alive until both withdraw it.
 *   <li>An actor's incarnation only grows. {@code actor_init} with a greater incarnation wipes the old incarnation's
 *       lane first (the caller clears it in the route index via {@link LaneCleaner}); a smaller one is refused, so a
 *       stale connection can never write into a newer incarnation's routes.
 *   <li>{@code until} is a monotonic-clock deadline: {@code actor_init} and heartbeats extend it by the TTL; route
 *       ops do not (as in EMQX). {@link #collectExpired} removes <em>every</em> actor past its deadline in one
 *       pass (EMQX removes one per pass, leaving dead routes behind for minutes when a whole cluster goes away).
 * </ul>
 *
 * <p>Concurrency: not thread-safe. {@link RouteReceiver} calls it only under its one lock, so a handshake, a route
 * op, a GC pass and an unlink never interleave.
 */
public final class ActorTable {

    /** What the route index must do when a lane's routes go away. */
    @FunctionalInterface
    public interface LaneCleaner {
        void clearLane(String cluster, int lane);
    }

    /** Outcome of {@link #init}. */
    public enum InitOutcome {
        /** First sight of this actor: routes start empty, the sender must bootstrap. */
        CREATED,
        /** Same incarnation as recorded (a reconnect): routes kept, no bootstrap needed. */
        RESUMED,
        /** A greater incarnation: the old one's routes were wiped, the sender must bootstrap. */
        REINCARNATED,
        /** A smaller incarnation than recorded: refused (EMQX aborts with {@code outdated_incarnation_actor}). */
        OUTDATED,
        /** The cluster already has {@link RouteIndex#MAX_LANES} live actors. */
        NO_FREE_LANE
    }

    /** Result of {@link #init}: the outcome, and the actor's lane when accepted. */
    public record InitResult(InitOutcome outcome, int lane) {
        public boolean accepted() {
            return outcome == InitOutcome.CREATED
                    || outcome == InitOutcome.RESUMED
                    || outcome == InitOutcome.REINCARNATED;
        }

        /** The {@code need_bootstrap} flag of the ack. */
        public boolean needBootstrap() {
            return outcome != InitOutcome.RESUMED;
        }
    }

    /** Identity of an actor: its remote cluster and its name there. */
    public record ActorId(String cluster, String actor) {
        public ActorId {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** A live actor record; immutable snapshot handed to callers. */
    public record Actor(ActorId id, long incarnation, int lane, long untilNanos) {}

    private final long ttlNanos;
    private final LaneCleaner cleaner;
    private final Map<ActorId, Actor> actors = new HashMap<>();
    private final Map<String, BitSet> usedLanes = new HashMap<>();

    /**
     * @param ttlNanos lease length: an actor unheard of for this long is collected (30 s in EMQX)
     * @param cleaner clears a lane's bits in the route index
     */
    public ActorTable(long ttlNanos, LaneCleaner cleaner) {
        if (ttlNanos <= 0) {
            throw new IllegalArgumentException("actor TTL must be positive: " + ttlNanos + " ns");
        }
        this.ttlNanos = ttlNanos;
        this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
    }

    /** Handles {@code actor_init} for an actor at {@code nowNanos} (monotonic). */
    public InitResult init(ActorId id, long incarnation, long nowNanos) {
        Actor existing = actors.get(id);
        if (existing != null) {
            if (incarnation == existing.incarnation()) {
                actors.put(id, new Actor(id, incarnation, existing.lane(), nowNanos + ttlNanos));
                return new InitResult(InitOutcome.RESUMED, existing.lane());
            }
            if (incarnation < existing.incarnation()) {
                return new InitResult(InitOutcome.OUTDATED, -1);
            }
            remove(existing);
        }
        BitSet used = usedLanes.get(id.cluster());
        int lane = used == null ? 0 : used.nextClearBit(0);
        if (lane >= RouteIndex.MAX_LANES) {
            return new InitResult(InitOutcome.NO_FREE_LANE, -1);
        }
        usedLanes.computeIfAbsent(id.cluster(), c -> new BitSet()).set(lane);
        actors.put(id, new Actor(id, incarnation, lane, nowNanos + ttlNanos));
        return new InitResult(existing == null ? InitOutcome.CREATED : InitOutcome.REINCARNATED, lane);
    }

    /** The live record of an actor, or null if there is none. */
    public @Nullable Actor actor(ActorId id) {
        return actors.get(id);
    }

    /**
     * Checks that a connection initialised for {@code (id, incarnation)} may still write: the actor exists with that
     * very incarnation (not collected, not reincarnated by another connection).
     *
     * @return the actor's lane, or -1 if the connection's state is stale
     */
    public int laneFor(ActorId id, long incarnation) {
        Actor a = actors.get(id);
        return a != null && a.incarnation() == incarnation ? a.lane() : -1;
    }

    /**
     * Extends an actor's lease.
     *
     * @return {@code false} if the connection's state is stale (the receiver then disconnects it)
     */
    public boolean heartbeat(ActorId id, long incarnation, long nowNanos) {
        Actor a = actors.get(id);
        if (a == null || a.incarnation() != incarnation) {
            return false;
        }
        actors.put(id, new Actor(id, incarnation, a.lane(), nowNanos + ttlNanos));
        return true;
    }

    /**
     * Removes every actor whose lease ended before {@code nowNanos}, clearing its lane.
     *
     * @return the collected actors
     */
    public List<Actor> collectExpired(long nowNanos) {
        List<Actor> expired = new ArrayList<>();
        for (Actor a : actors.values()) {
            if (a.untilNanos() - nowNanos < 0) {
                expired.add(a);
            }
        }
        expired.forEach(this::remove);
        return expired;
    }

    /**
     * Removes every actor of a cluster at once (its link was disabled or deleted here), clearing their lanes.
     *
     * @return the removed actors
     */
    public List<Actor> removeCluster(String cluster) {
        List<Actor> gone = new ArrayList<>();
        for (Actor a : actors.values()) {
            if (a.id().cluster().equals(cluster)) {
                gone.add(a);
            }
        }
        gone.forEach(this::remove);
        return gone;
    }

    /** Live actors of a cluster, for status. */
    public List<Actor> actorsOf(String cluster) {
        List<Actor> out = new ArrayList<>();
        for (Actor a : actors.values()) {
            if (a.id().cluster().equals(cluster)) {
                out.add(a);
            }
        }
        return out;
    }

    public int size() {
        return actors.size();
    }

    private void remove(Actor a) {
        actors.remove(a.id());
        String cluster = a.id().cluster();
        BitSet used = usedLanes.get(cluster);
        if (used != null) {
            used.clear(a.lane());
            if (used.isEmpty()) {
                usedLanes.remove(cluster);
            }
        }
        cleaner.clearLane(cluster, a.lane());
    }
}
