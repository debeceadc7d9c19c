package io.clink.paho.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for integration tests: wait for a condition instead of sleeping a fixed time. */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {}

    /** Polls {@code condition} until it holds or {@code timeout} passes, then fails with {@code what}. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
