/**
 * Injected time: a {@link io.clink.api.time.Ticker} for reading clocks and a {@link io.clink.api.time.Scheduler}
 * for running work later. The engine never reads {@code System.nanoTime()} or sleeps on its own; it uses what it is
 * given, so tests drive heartbeats, TTLs, garbage collection, timeouts and backoff with a fake clock.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.time;

import org.jspecify.annotations.NullMarked;
