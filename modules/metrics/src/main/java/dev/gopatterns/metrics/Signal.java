package dev.gopatterns.metrics;

import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * A number read from a component's snapshots, for a {@link HealthCheck} or an {@link AlertRule} to compare with
 * thresholds: a gauge's level, a ratio of two metrics, or a rate between two samples ("failed jobs over finished
 * jobs since the last check").
 *
 * <p>A signal reads the current snapshot and the previous one its reader took ({@code null} on the first read).
 * {@code NaN} means "no reading": a ratio whose denominator is zero, a rate before the second sample or over too few
 * events. Rules never fire, degrade or recover on {@code NaN}.
 *
 * <p>Go equivalent: a Prometheus expression such as {@code rate(jobs_failed[1m]) / rate(jobs_completed[1m])},
 * evaluated in the process.
 */
public interface Signal {

    /**
     * The reading.
     *
     * @param previous the snapshot read before this one by the same reader, or {@code null} if this is its first
     * @param current  the snapshot now
     */
    double read(Snapshot previous, Snapshot current);

    /** The value of the counter or gauge {@code name}, now. */
    static Signal value(String name) {
        Metric.checkName(name);
        return of(name, (prev, cur) -> cur.value(name));
    }

    /** {@code numerator / denominator}, both counters or gauges, now; {@code NaN} when the denominator is 0. */
    static Signal ratio(String numerator, String denominator) {
        Metric.checkName(numerator);
        Metric.checkName(denominator);
        return of(numerator + " / " + denominator, (prev, cur) -> {
            double d = cur.value(denominator);
            return d == 0 ? Double.NaN : cur.value(numerator) / d;
        });
    }

    /** How much the counter {@code name} grew since the previous reading; {@code NaN} on the first. */
    static Signal increase(String name) {
        Metric.checkName(name);
        return of("increase(" + name + ")", (prev, cur) -> prev == null ? Double.NaN
                : cur.value(name) - prev.value(name));
    }

    /**
     * The growth of counter {@code numerator} over the growth of counter {@code denominator} since the previous
     * reading, for example failed jobs over finished jobs; {@code NaN} on the first reading and while the
     * denominator grew by less than {@code minEvents} (so three jobs, one failed, is not a 33% failure rate).
     *
     * @throws IllegalArgumentException if {@code minEvents < 1}
     */
    static Signal rate(String numerator, String denominator, long minEvents) {
        Metric.checkName(numerator);
        Metric.checkName(denominator);
        if (minEvents < 1) {
            throw new IllegalArgumentException("signal: a rate needs minEvents >= 1, was " + minEvents);
        }
        return of("rate(" + numerator + " / " + denominator + ")", (prev, cur) -> {
            if (prev == null) {
                return Double.NaN;
            }
            double d = cur.value(denominator) - prev.value(denominator);
            return d < minEvents ? Double.NaN : (cur.value(numerator) - prev.value(numerator)) / d;
        });
    }

    /** A signal of your own, with the description that health reasons and alerts show. */
    static Signal of(String description, ToDoubleBiFunction<Snapshot, Snapshot> reader) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(reader, "reader");
        return new Signal() {
            @Override
            public double read(Snapshot previous, Snapshot current) {
                return reader.applyAsDouble(previous, current);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
