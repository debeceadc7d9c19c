package io.clink.api.time;

/** The JVM's clocks, as a {@link Ticker}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long wallClockMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
