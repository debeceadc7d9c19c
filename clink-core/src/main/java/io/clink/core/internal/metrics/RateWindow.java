package io.clink.core.internal.metrics;

import io.clink.core.LinkRate;

/**
 * The rate arithmetic of one counter, fed one sample per sampling interval. Keeps the last {@link #SAMPLES_5M}
 * per-interval rates in a ring so the five-minute mean costs O(1) per sample.
 *
 * <p>Not thread-safe: its owner ({@link MatchedRates}) serializes every call.
 */
final class RateWindow {

    static final int SAMPLES_5M = 300 / LinkRate.SAMPLING_SECONDS;

    private final double[] ring = new double[SAMPLES_5M];
    private int taken;
    private double sum;
    private long last;
    private double max;
    private LinkRate rate = LinkRate.ZERO;

    /**
     * Records the counter's value at the end of one sampling interval.
     *
     * @param value the counter now
     */
    void sample(long value) {
        double current = (double) (value - last) / LinkRate.SAMPLING_SECONDS;
        last = value;
        max = Math.max(max, current);
        int slot = taken % SAMPLES_5M;
        // Once the ring is full the oldest rate leaves the sum as the newest enters it.
        sum += current - (taken >= SAMPLES_5M ? ring[slot] : 0);
        ring[slot] = current;
        taken++;
        rate = new LinkRate(current, max, sum / Math.min(taken, SAMPLES_5M));
    }

    /** The rates after the last sample. */
    LinkRate rate() {
        return rate;
    }
}
