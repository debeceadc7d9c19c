package io.clink.testkit.net;

import java.util.concurrent.TimeUnit;

/*
 * Why this exists: the fault settings of a FaultProxy (stall, delay, throttle, refusal, closed) and the one wait a pump
 * makes before forwarding a chunk belong together, because every wait must be woken by every change of a setting.
 * All of it is guarded by this object's monitor.
 */
final class FaultGate {

    /** What {@link #awaitRelease} returns when the chunk must not be written: the proxy closed or the connection cut. */
    static final long DROP = Long.MIN_VALUE;

    private final int chunk;

    private boolean stalled;
    private long delayNanos;
    private long bytesPerSecond;
    private boolean refusing;
    private boolean closed;

    FaultGate(int chunk) {
        this.chunk = chunk;
    }

    synchronized void stall(boolean on) {
        stalled = on;
        notifyAll();
    }

    synchronized void delay(long nanos) {
        delayNanos = nanos;
        notifyAll();
    }

    synchronized void throttle(long rate) {
        bytesPerSecond = rate;
        notifyAll();
    }

    synchronized void refuse(boolean on) {
        refusing = on;
    }

    synchronized void heal() {
        stalled = false;
        delayNanos = 0;
        bytesPerSecond = 0;
        refusing = false;
        notifyAll();
    }

    /** Marks the proxy closed; returns {@code false} if it already was. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        notifyAll();
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized boolean refusesNewConnections() {
        return refusing || closed;
    }

    /** Wakes every pump waiting here, so that one whose connection was cut notices at once. */
    synchronized void wake() {
        notifyAll();
    }

    synchronized int readSize() {
        // A throttled pump reads about a tenth of a second's worth at a time, so the rate is smooth.
        return bytesPerSecond == 0 ? chunk : (int) Math.max(1, Math.min(chunk, bytesPerSecond / 10));
    }

    /**
     * Waits until a chunk of {@code n} bytes may be written: not stalled, the delay served, the throttle's schedule
     * reached. Returns the throttle's next schedule, or {@link #DROP} if the proxy closed or the connection was cut
     * meanwhile.
     */
    synchronized long awaitRelease(ProxiedConnection c, int n, long nextSendNanos) throws InterruptedException {
        long readAt = System.nanoTime();
        while (true) {
            if (closed || c.isCut()) {
                return DROP;
            }
            if (stalled) {
                wait();
                continue;
            }
            long now = System.nanoTime();
            long due = readAt + delayNanos;
            if (bytesPerSecond > 0) {
                due = Math.max(due, nextSendNanos);
            }
            if (now - due >= 0) {
                long rate = bytesPerSecond;
                return rate == 0 ? now : Math.max(now, nextSendNanos) + n * 1_000_000_000L / rate;
            }
            long waitNanos = due - now;
            TimeUnit.NANOSECONDS.timedWait(this, waitNanos);
        }
    }
}
