package dev.gopatterns.metrics;

/**
 * Percentiles of a count (a batch's size, a queue's length at each sample), read from an HdrHistogram with 3
 * significant digits. For durations, see {@link Latency}.
 *
 * <p>Go equivalent: a Prometheus summary's quantiles. Immutable.
 *
 * @param count how many values were recorded
 * @param p50   the median
 * @param p90   the 90th percentile
 * @param p99   the 99th percentile
 * @param max   the largest recorded
 */
public record Percentiles(long count, long p50, long p90, long p99, long max) {

    /** Nothing recorded yet. */
    public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

    /** Checks that {@code count >= 0}. */
    public Percentiles {
        if (count < 0) {
            throw new IllegalArgumentException("percentiles: count must be >= 0, was " + count);
        }
    }

    /**
     * The percentile {@code phi}: 0.5, 0.9, 0.99 or 1 (the max), the ones kept.
     *
     * @throws IllegalArgumentException for any other {@code phi}
     */
    public long at(double phi) {
        if (phi == 0.5) {
            return p50;
        } else if (phi == 0.9) {
            return p90;
        } else if (phi == 0.99) {
            return p99;
        } else if (phi == 1) {
            return max;
        }
        throw new IllegalArgumentException("percentiles: phi must be 0.5, 0.9, 0.99 or 1, was " + phi);
    }
}
