/**
 * The reconnecting connection shared by a link's route actor ({@code sender.ActorSender}) and its forwarding pool
 * ({@code forward.Forwarder}): connection generations, capped reconnect backoff, classification of transport
 * failures, and timers that survive a failing scheduler. Internal; no compatibility promise.
 *
 * <p><b>Concurrency model.</b> Each link's connection state lives on one serial executor (the owner's, from
 * {@code engine.SerialExecutors}): {@link io.clink.core.internal.connection.ReconnectingConnection} is
 * not thread-safe and every method is called there. Transport callbacks and timers never touch state directly:
 * they hop onto that executor first. {@link io.clink.core.internal.connection.GuardedScheduler} may be called from
 * any thread, but the tasks it runs always run on the serial executor.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li><i>Generation guard.</i> Every connection attempt, loss and teardown moves to a new generation
 *       ({@link io.clink.core.internal.connection.ReconnectingConnection#nextGeneration()}). A callback or timer
 *       carries the generation it was made for and does nothing unless it is still current, so a late CONNACK,
 *       PUBACK or timer of an older connection can never act on the current one. A pending reconnect is bound to
 *       the generation it was scheduled in.
 *   <li><i>Capped backoff.</i> The delay before retry {@code n} is {@link io.clink.api.config.ReconnectBackoff#delay}
 *       clamped to the connection's cap; jitter never pushes it above the cap, whatever the number of consecutive
 *       failures. The route actor's cap is {@code reconnect.max_delay} (at most 20 s, below the peer's 30 s actor
 *       TTL); the forwarding pool's cap is also at most half the link's {@code request_ttl}
 *       ({@link io.clink.core.internal.connection.ReconnectingConnection#poolCap}). The attempt counter resets
 *       when the owner reports the connection usable.
 *   <li><i>One failure vocabulary.</i> {@link io.clink.core.internal.connection.ConnectionFailure} decides, for
 *       both owners, what a failed future means: which exception is the cause, which disconnect reason it carries,
 *       and whether the connection is lost or only one operation failed.
 *   <li><i>No timer is lost to a failing scheduler.</i> If the injected scheduler throws, the timer is armed again
 *       on the serial executor's next turn; if the scheduler throws again, on clink's own system scheduler; if even
 *       that throws, the task runs at once on the serial executor. So a disconnected actor or pool connection is
 *       always retried; the delay is kept unless every scheduler fails.
 * </ul>
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.internal.connection;

import org.jspecify.annotations.NullMarked;
