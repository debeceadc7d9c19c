package io.clink.api.link;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state of one route-replication actor of a link (protocol document section 4.1), plus the terminal {@link
 * #STOPPED}.
 *
 * <pre>
 *          start
 *            |
 *            v
 *    +--> CONNECTING -------------------------------------+
 *    |       |                                            |  connect failed
 *    |       | connected                                  |
 *    |       v                                            |
 *    |    HANDSHAKING ----------------------------------+ |  handshake rejected,
 *    |       |         \                                | |  timed out, or
 *    |       | ack,     \ ack, no bootstrap needed      | |  connection lost
 *    |       | bootstrap \                              | |
 *    |       | needed     v                             | |
 *    |       |          ONLINE -----------------------+ | |  connection lost
 *    |       v            ^                           | | |
 *    |    BOOTSTRAPPING --+ snapshot sent             | | |
 *    |       |                                        v v v
 *    |       +-------- connection lost ---------> DISCONNECTED
 *    |                                                  |
 *    +----------------- backoff elapsed ----------------+
 *
 *    any state except STOPPED --- stop, disable, remove ---> STOPPED (terminal)
 * </pre>
 *
 * <p>The allowed transitions are exactly those drawn above and are kept in code ({@link #allowedTargets()}); a
 * state never transitions to itself. {@link #STOPPED} is terminal: re-enabling a link starts a new actor with a new
 * incarnation, it does not revive the stopped one.
 *
 * @since 0.1.0
 */
public enum ActorState {
    /** Opening the MQTT connection to the remote cluster's link listener. The initial state. */
    CONNECTING,
    /** Connected; {@code actor_init} sent, waiting for the remote's {@code actor_init_ack}. */
    HANDSHAKING,
    /** Handshake accepted and the remote asked for (or this actor still owes) a full snapshot of its routes. */
    BOOTSTRAPPING,
    /** Routes are in sync; changes are streamed as they happen and heartbeats keep the actor alive remotely. */
    ONLINE,
    /** Not connected; waiting for the reconnect backoff before {@link #CONNECTING} again. */
    DISCONNECTED,
    /** Shut down for good (link stopped, disabled or removed). Terminal. */
    STOPPED;

    // Built once in the static initializer and never mutated afterwards, so unsynchronized reads are safe.
    private static final Map<ActorState, Set<ActorState>> TRANSITIONS = transitions();

    private static Map<ActorState, Set<ActorState>> transitions() {
        EnumMap<ActorState, Set<ActorState>> m = new EnumMap<>(ActorState.class);
        m.put(CONNECTING, immutable(EnumSet.of(HANDSHAKING, DISCONNECTED, STOPPED)));
        m.put(HANDSHAKING, immutable(EnumSet.of(BOOTSTRAPPING, ONLINE, DISCONNECTED, STOPPED)));
        m.put(BOOTSTRAPPING, immutable(EnumSet.of(ONLINE, DISCONNECTED, STOPPED)));
        m.put(ONLINE, immutable(EnumSet.of(DISCONNECTED, STOPPED)));
        m.put(DISCONNECTED, immutable(EnumSet.of(CONNECTING, STOPPED)));
        m.put(STOPPED, immutable(EnumSet.noneOf(ActorState.class)));
        return Collections.unmodifiableMap(m);
    }

    private static Set<ActorState> immutable(EnumSet<ActorState> s) {
        return Collections.unmodifiableSet(s);
    }

    /**
     * The state an actor starts in.
     *
     * @return {@link #CONNECTING}
     * @since 0.1.0
     */
    public static ActorState initial() {
        return CONNECTING;
    }

    /**
     * The states this state may move to.
     *
     * @return an unmodifiable set, empty for {@link #STOPPED}
     * @since 0.1.0
     */
    public Set<ActorState> allowedTargets() {
        return targets();
    }

    /**
     * Whether moving from this state to {@code target} is allowed.
     *
     * @param target the next state, not null
     * @return {@code true} if the transition is in the table
     * @throws NullPointerException if {@code target} is null
     * @since 0.1.0
     */
    public boolean canTransitionTo(ActorState target) {
        Objects.requireNonNull(target, "target");
        return targets().contains(target);
    }

    /**
     * Checks a transition and returns its target, so that state holders can write {@code state =
     * state.transitionTo(next)}.
     *
     * @param target the next state, not null
     * @return {@code target}
     * @throws IllegalStateTransitionException if the transition is not allowed
     * @throws NullPointerException if {@code target} is null
     * @since 0.1.0
     */
    public ActorState transitionTo(ActorState target) {
        if (!canTransitionTo(target)) {
            throw new IllegalStateTransitionException(this, target);
        }
        return target;
    }

    /**
     * Whether no transition leaves this state.
     *
     * @return {@code true} only for {@link #STOPPED}
     * @since 0.1.0
     */
    public boolean isTerminal() {
        return targets().isEmpty();
    }

    private Set<ActorState> targets() {
        // transitions() puts every constant, so the lookup cannot miss.
        return Objects.requireNonNull(TRANSITIONS.get(this), "transition table lacks a state");
    }
}
