package dev.gopatterns.metrics;

/**
 * Percentiles of a count (a batch's size, a queue's length at each sample), read from an HdrHistogram with 3
 * significant digits. For durations, see {@link Latency}.
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
}
