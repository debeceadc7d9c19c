package io.clink.api.store;

/**
 * Result of {@link RouteStore#initActor}: what the atomic incarnation check decided, and the lane the actor holds.
 *
 * @param outcome what happened
 * @param lane the actor's lane in its cluster, in {@code [0, RouteStore.MAX_LANES)} when {@link #accepted()}, else
 *     {@code -1}
 * @since 0.1.0
 */
public record ActorInit(Outcome outcome, int lane) {

    /** What {@link RouteStore#initActor} decided. */
    public enum Outcome {
        /** First sight of this actor: a free lane was assigned, its routes start empty, the sender must bootstrap. */
        CREATED,
        /** Same incarnation as stored (a reconnect, possibly to another node): lane and routes kept. */
        RESUMED,
        /** A greater incarnation: the old incarnation's lane was cleared everywhere, the sender must bootstrap. */
        REINCARNATED,
        /** A smaller incarnation than stored: refused, nothing changed. */
        OUTDATED,
        /** The cluster already has {@link RouteStore#MAX_LANES} live actors: refused, nothing changed. */
        NO_FREE_LANE
    }

    /**
     * Validates the pair.
     *
     * @throws IllegalArgumentException if an accepted outcome has no lane or a refused one has a lane
     */
    public ActorInit {
        boolean ok = outcome == Outcome.CREATED || outcome == Outcome.RESUMED || outcome == Outcome.REINCARNATED;
        if (ok ? lane < 0 || lane >= RouteStore.MAX_LANES : lane != -1) {
            throw new IllegalArgumentException("lane " + lane + " does not fit outcome " + outcome);
        }
    }

    /** Whether the actor may now send route ops and heartbeats. */
    public boolean accepted() {
        return lane >= 0;
    }

    /** The {@code need_bootstrap} flag of the protocol ack: true unless {@link Outcome#RESUMED}. */
    public boolean needBootstrap() {
        return outcome != Outcome.RESUMED;
    }
}
