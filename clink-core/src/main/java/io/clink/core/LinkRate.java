package io.clink.core;

/**
 * The rate of one link's {@code matched} counter on this node, as EMQX's link metrics report it ({@code rate},
 * {@code rate_max}, {@code rate_last5m}), in messages per second. The engine samples the counter every {@link
 * #SAMPLING_SECONDS} seconds on its scheduler: {@code current} is the increase over the last interval divided by
 * its length, {@code max} the highest {@code current} since the link's metrics were created or reset, and {@code
 * last5m} the mean of the {@code current} values of the last five minutes (of those taken so far, before five
 * minutes have passed).
 *
 * @param current messages per second over the last sampling interval
 * @param max the highest {@code current} so far
 * @param last5m the mean of the last five minutes' samples
 * @since 0.1.0
 */
public record LinkRate(double current, double max, double last5m) {

    /** Seconds between two samples, EMQX's sampling interval. */
    public static final int SAMPLING_SECONDS = 10;

    /** No sample yet. */
    public static final LinkRate ZERO = new LinkRate(0, 0, 0);
}
