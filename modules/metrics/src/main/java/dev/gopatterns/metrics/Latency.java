package dev.gopatterns.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * Percentiles of a duration, read from an HdrHistogram with 3 significant digits (so within 0.1% of the true value).
 *
 * <p>Go equivalent: none in the standard library; Go programs export a Prometheus histogram or summary. Here the
 * percentiles are computed by the component and read as one immutable value.
 *
 * @param count how many durations were measured
 * @param p50   the median
 * @param p90   the 90th percentile
 * @param p99   the 99th percentile
 * @param max   the largest measured
 */
public record Latency(long count, Duration p50, Duration p90, Duration p99, Duration max) {

    /** Nothing measured yet. */
    public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** Checks that no component is null and that {@code count >= 0}. */
    public Latency {
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p90, "p90");
        Objects.requireNonNull(p99, "p99");
        Objects.requireNonNull(max, "max");
        if (count < 0) {
            throw new IllegalArgumentException("latency: count must be >= 0, was " + count);
        }
    }

    /** The same percentiles, in nanoseconds. */
    public Percentiles inNanos() {
        return new Percentiles(count, p50.toNanos(), p90.toNanos(), p99.toNanos(), max.toNanos());
    }
}
