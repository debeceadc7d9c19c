package io.clink.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles of latency samples in nanoseconds, printed in microseconds. */
final class LatencyPercentiles {

    private static final double[] LEVELS = {0.50, 0.90, 0.99, 0.999};

    private LatencyPercentiles() {}

    /**
     * The nearest-rank percentile: the smallest sample with at least {@code level} of all samples at or below it.
     *
     * @param sorted samples in ascending order, not empty
     * @param level in (0, 1]
     * @return the sample
     */
    static long percentile(long[] sorted, double level) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(level > 0 && level <= 1)) {
            throw new IllegalArgumentException("level must be in (0, 1], got " + level);
        }
        int rank = (int) Math.ceil(level * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * One line: {@code <label>: n=<count> p50=<us> p90=<us> p99=<us> p99.9=<us> max=<us> us}.
     *
     * @param label what was measured
     * @param samplesNanos the samples in nanoseconds, in any order; not modified
     * @return the line
     */
    static String line(String label, long[] samplesNanos) {
        long[] sorted = samplesNanos.clone();
        Arrays.sort(sorted);
        StringBuilder b = new StringBuilder(label).append(": n=").append(sorted.length);
        for (double level : LEVELS) {
            b.append(String.format(Locale.ROOT, " p%s=%.1f", trim(level * 100), percentile(sorted, level) / 1e3));
        }
        b.append(String.format(Locale.ROOT, " max=%.1f us", sorted[sorted.length - 1] / 1e3));
        return b.toString();
    }

    private static String trim(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }
}
