package io.clink.core.internal.connection;

import io.clink.api.config.ReconnectBackoff;
import io.clink.api.time.Cancellable;
import io.clink.api.transport.ConnectResult;
import io.clink.api.transport.DisconnectReason;
import io.clink.api.transport.LinkClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The reconnect side of one link connection (the route actor's, or one forwarding-pool slot's): its generation,
 * its backoff attempt counter and its pending reconnect. The owner keeps the client and decides what a failure
 * means for its own state; this class makes sure that whatever it decides, stale callbacks drop themselves, the
 * next attempt comes within the cap, and a failing scheduler cannot lose the attempt. Invariants and concurrency:
 * see the package comment. Not thread-safe: every method runs on the owner's serial executor.
 */
public final class ReconnectingConnection {

    // 2^62 ns exceeds any cap; counting further would only risk overflow.
    private static final int MAX_ATTEMPT = 62;

    private final ReconnectBackoff backoff;
    private final Duration cap;
    private final GuardedScheduler timers;
    private final DoubleSupplier random;

    private long generation;
    private int attempt;
    private Cancellable pendingRetry = Cancellable.DONE;

    /**
     * @param backoff the link's backoff
     * @param cap the largest delay, whatever the backoff says; at most {@code backoff.maxDelay()} is useful
     * @param timers the owner's guarded timers, running tasks on the owner's serial executor
     * @param random the engine's randomness for jitter; values outside {@code [0, 1)} count as 0.5 (no jitter)
     * @throws IllegalArgumentException if {@code cap} is negative
     */
    public ReconnectingConnection(
            ReconnectBackoff backoff, Duration cap, GuardedScheduler timers, DoubleSupplier random) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.cap = Objects.requireNonNull(cap, "cap");
        if (cap.isNegative()) {
            throw new IllegalArgumentException("cap must not be negative: " + cap);
        }
        this.timers = Objects.requireNonNull(timers, "timers");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The forwarding pool's cap: {@code reconnect.max_delay}, but at most half the link's {@code request_ttl}, so
     * a message queued while the connection is down sees at least one reconnect attempt before it expires; never
     * below {@code initial_delay}, so a tiny TTL cannot turn backoff into a busy loop.
     *
     * @param backoff the link's backoff
     * @param requestTtl the link's {@code resource_opts.request_ttl}
     * @return the cap
     */
    public static Duration poolCap(ReconnectBackoff backoff, Duration requestTtl) {
        Duration halfTtl = requestTtl.dividedBy(2);
        Duration capped = halfTtl.compareTo(backoff.maxDelay()) < 0 ? halfTtl : backoff.maxDelay();
        return capped.compareTo(backoff.initialDelay()) > 0 ? capped : backoff.initialDelay();
    }

    /** The current generation; callbacks made now should carry it. */
    public long generation() {
        return generation;
    }

    /**
     * Moves to a new generation: every callback, timer and pending reconnect of the earlier ones now drops itself.
     * Call it at each connect attempt, loss and teardown.
     *
     * @return the new generation
     */
    public long nextGeneration() {
        pendingRetry.cancel();
        pendingRetry = Cancellable.DONE;
        return ++generation;
    }

    /** Whether a callback made for {@code gen} still concerns the current connection. */
    public boolean isCurrent(long gen) {
        return gen == generation;
    }

    /** The connection is usable again (or a new run starts): the next failure starts from the initial delay. */
    public void resetBackoff() {
        attempt = 0;
    }

    /**
     * Schedules the next connect attempt after the backoff delay, replacing a pending one. {@code onDue} runs on
     * the serial executor, only if no {@link #nextGeneration()} happened meanwhile; the owner still checks its own
     * state (stopped, for instance) there.
     *
     * @param onDue starts the next attempt
     * @return the delay chosen, never above the cap
     */
    public Duration retry(Runnable onDue) {
        Objects.requireNonNull(onDue, "onDue");
        Duration delay = nextDelay();
        attempt = Math.min(attempt + 1, MAX_ATTEMPT);
        long gen = generation;
        pendingRetry.cancel();
        pendingRetry = timers.schedule(delay, () -> {
            if (gen == generation) {
                onDue.run();
            }
        });
        return delay;
    }

    /** Calls a pending reconnect off (stop). */
    public void cancelRetry() {
        pendingRetry.cancel();
        pendingRetry = Cancellable.DONE;
    }

    /**
     * A guarded timer of this connection, bound to the current generation: {@code task} runs on the serial
     * executor after {@code delay} unless the generation moved on.
     *
     * @param delay how long to wait
     * @param task what to run
     * @return a handle that calls it off
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long gen = generation;
        return timers.schedule(delay, () -> {
            if (gen == generation) {
                task.run();
            }
        });
    }

    /**
     * Connects {@code client} on behalf of the current generation. Its outcome and a later loss of the connection
     * reach the serial executor, and only while this generation is still current: the owner's own checks (stopped,
     * state) come on top. A {@code connect} that throws counts as failed. Thread: the serial executor. Blocking: no.
     *
     * @param client the client to connect, not null
     * @param onLost told why an established connection ended
     * @param onOutcome told the CONNACK's result, or the failure
     */
    public void connect(LinkClient client, Consumer<DisconnectReason> onLost, Outcome<ConnectResult> onOutcome) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(onLost, "onLost");
        long gen = generation;
        call(() -> client.connect(reason -> onSerial(gen, () -> onLost.accept(reason))), onOutcome);
    }

    /**
     * Starts a transport operation on the current connection (subscribe, publish) and hands its outcome to the
     * serial executor, only while this generation is still current. An operation that throws counts as failed
     * ({@link ConnectionFailure#call}). Thread: the serial executor. Blocking: no, if {@code op} does not block.
     *
     * @param op the transport call, not returning null
     * @param onOutcome told the result, or the failure
     * @param <T> the result's type
     */
    public <T> void call(Supplier<CompletableFuture<T>> op, Outcome<T> onOutcome) {
        Objects.requireNonNull(onOutcome, "onOutcome");
        long gen = generation;
        ConnectionFailure.call(op)
                .whenComplete((result, error) -> onSerial(gen, () -> onOutcome.accept(result, error)));
    }

    private void onSerial(long gen, Runnable task) {
        timers.serial().execute(() -> {
            if (gen == generation) {
                task.run();
            }
        });
    }

    /**
     * What a transport operation ended with, as its owner receives it on the serial executor.
     *
     * @param <T> the result's type
     */
    @FunctionalInterface
    public interface Outcome<T> {
        /**
         * @param result the result, null if the operation failed (or completed with none)
         * @param error the failure, possibly wrapped (classify it with {@link ConnectionFailure#of}); null on success
         */
        void accept(@Nullable T result, @Nullable Throwable error);
    }

    /** How many attempts failed since the last {@link #resetBackoff()}, saturating at 62. */
    public int attempt() {
        return attempt;
    }

    /** The cap every delay is clamped to. */
    public Duration cap() {
        return cap;
    }

    private Duration nextDelay() {
        double r = random.getAsDouble();
        Duration d = backoff.delay(attempt, r >= 0 && r < 1 ? r : 0.5);
        return d.compareTo(cap) > 0 ? cap : d;
    }
}
