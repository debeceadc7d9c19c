package io.clink.api.link;

/**
 * Thrown when a state change is attempted that {@link ActorState}'s transition table does not allow. It always
 * signals a bug in the engine, never bad input; the message names both states and the allowed targets.
 *
 * @since 0.1.0
 */
public final class IllegalStateTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The state the transition started from. */
    private final ActorState from;

    /** The refused target state. */
    private final ActorState to;

    /**
     * Creates the exception for a refused transition.
     *
     * @param from the current state
     * @param to the requested state
     * @since 0.1.0
     */
    public IllegalStateTransitionException(ActorState from, ActorState to) {
        super("illegal link state transition " + from + " -> " + to + " (allowed from " + from + ": "
                + from.allowedTargets() + ")");
        this.from = from;
        this.to = to;
    }

    /**
     * The state the transition started from.
     *
     * @return the current state at the time of the attempt
     * @since 0.1.0
     */
    public ActorState from() {
        return from;
    }

    /**
     * The state that was refused.
     *
     * @return the requested state
     * @since 0.1.0
     */
    public ActorState to() {
        return to;
    }
}
