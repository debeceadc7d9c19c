package io.clink.core.internal.sender;

import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStateChange;
import io.clink.api.link.ActorStatus;
import io.clink.api.time.Ticker;
import io.clink.api.transport.DisconnectReason;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route actor's state (api {@link ActorState}), the status readers see, and the listener told of each change.
 * Every change goes through {@link ActorState#transitionTo}, so an illegal transition throws: it is a bug in the
 * actor, never bad input.
 *
 * <p>Transitions (the event column is what {@link ActorSender} reacts to):
 *
 * <pre>
 * from           event                                              to
 * (not running)  start()                                            CONNECTING (a new actor, no change event)
 * CONNECTING     CONNACK and SUBACK of the resp topic               HANDSHAKING (actor_init published)
 * CONNECTING     connect/subscribe failed, connection lost,         DISCONNECTED
 *                incarnation store or options failed
 * HANDSHAKING    ack ok, need_bootstrap or not bootstrapped yet     BOOTSTRAPPING
 *                in this incarnation
 * HANDSHAKING    ack ok, no bootstrap needed                        ONLINE (flushes the stash)
 * HANDSHAKING    ack error, no ack in 5 s, actor_init refused,      DISCONNECTED
 *                connection lost
 * BOOTSTRAPPING  last snapshot batch acknowledged                   ONLINE (flushes the stash)
 * BOOTSTRAPPING  batch refused or failed, connection lost           DISCONNECTED
 * ONLINE         batch refused or failed, connection lost           DISCONNECTED
 * DISCONNECTED   backoff delay elapsed                              CONNECTING
 * any but        stop()                                             STOPPED
 *   STOPPED
 * </pre>
 *
 * <p>Thread: every method but {@link #status()} runs on the actor's serial executor; {@link #status()} is a
 * volatile immutable snapshot for any thread. The listener runs on that executor, once per transition, in order; a
 * listener that throws is logged and does not stop the actor.
 */
final class ActorStateMachine {

    // Same category as the actor's own lines, so a log configuration for ActorSender keeps covering them.
    private static final Logger LOG = LoggerFactory.getLogger(ActorSender.class);

    private final String linkName;
    private final String actorName;
    private final Ticker ticker;
    private final Consumer<ActorStateChange> listener;

    private volatile ActorStatus status;

    // --- serial-executor state ---
    private ActorState state = ActorState.STOPPED; // STOPPED also stands for "never started"
    private long sinceMillis;
    private long incarnation;
    private @Nullable DisconnectReason lastDisconnect;
    private @Nullable String lastError;

    ActorStateMachine(String linkName, String actorName, Ticker ticker, Consumer<ActorStateChange> listener) {
        this.linkName = Objects.requireNonNull(linkName, "linkName");
        this.actorName = Objects.requireNonNull(actorName, "actorName");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sinceMillis = ticker.wallClockMillis();
        this.status = new ActorStatus(actorName, 0, ActorState.STOPPED, sinceMillis, null, null);
    }

    /** The current state. */
    ActorState state() {
        return state;
    }

    /** The volatile status snapshot. Thread: any. */
    ActorStatus status() {
        return status;
    }

    /** This run's incarnation, 0 until the first connect attempt of a run took one. */
    long incarnation() {
        return incarnation;
    }

    /** Records the incarnation the store gave this run and shows it in the status. */
    void incarnation(long value) {
        incarnation = value;
        publishStatus();
    }

    /**
     * A new actor run: back to the initial state without a change event (STOPPED to CONNECTING is not a transition
     * of the old actor), with no incarnation and no remembered failure.
     */
    void begin() {
        state = ActorState.initial();
        sinceMillis = ticker.wallClockMillis();
        incarnation = 0;
        lastDisconnect = null;
        lastError = null;
        publishStatus();
    }

    /**
     * Moves to {@code to}, remembers a non-null reason or error for the status, and tells the listener.
     *
     * @param to the next state
     * @param reason why the connection ended, if it did and the transport said
     * @param error what went wrong, if anything
     * @throws IllegalStateException if the transition is not in the table above
     */
    void transition(ActorState to, @Nullable DisconnectReason reason, @Nullable String error) {
        if (reason != null) {
            lastDisconnect = reason;
        }
        if (error != null) {
            lastError = error;
        }
        ActorState from = state;
        state = from.transitionTo(to);
        long now = ticker.wallClockMillis();
        sinceMillis = now;
        publishStatus();
        try {
            listener.accept(new ActorStateChange(linkName, actorName, from, to, now, reason, error));
        } catch (RuntimeException e) {
            LOG.warn("link {} actor {}: state listener failed on {} -> {}", linkName, actorName, from, to, e);
        }
    }

    private void publishStatus() {
        status = new ActorStatus(actorName, incarnation, state, sinceMillis, lastDisconnect, lastError);
    }
}
