package io.clink.core.internal.engine;

import io.clink.api.time.Scheduler;
import io.clink.api.time.Ticker;
import java.util.Objects;

/**
 * The injected time of the engine: the clock every deadline and timestamp is read from, and the scheduler that
 * fires the timers set against it. They travel together so that tests drive both from one manual clock.
 *
 * @param ticker monotonic and wall-clock time
 * @param scheduler fires timers; its tasks only hand work to a component's serial executor
 */
public record EngineTime(Ticker ticker, Scheduler scheduler) {

    public EngineTime {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
