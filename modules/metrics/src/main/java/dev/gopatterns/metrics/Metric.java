package dev.gopatterns.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named measurement in a {@link Snapshot}: a {@link Counter} (cumulative: it never decreases over a
 * component's life), a {@link Gauge} (a level now), a {@link Timer} (percentiles of a duration) or a
 * {@link Distribution} (percentiles of a count).
 *
 * <p>Names are lower case words joined by dots, in the style of Micrometer's names: {@code jobs.submitted},
 * {@code queue.length}, {@code job.run_time}. A name is unique within its snapshot; the rule is checked when the
 * metric is made ({@code "metric: name must match [a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*, was 'Jobs'"}).
 *
 * <p>Go equivalent: Prometheus's metric types (counter, gauge, summary). Every metric is an immutable value.
 */
public sealed interface Metric {

    /** The name of a metric: lower case words joined by dots. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    /** This metric's name. */
    String name();

    /** A count since the component was made; it never decreases. */
    record Counter(String name, long value) implements Metric {
        /** Checks the name and that {@code value >= 0}. */
        public Counter {
            checkName(name);
            if (value < 0) {
                throw new IllegalArgumentException("metric: counter '" + name + "' must be >= 0, was " + value);
            }
        }
    }

    /**
     * A level now: a queue's length, a state's ordinal, a rate. {@code NaN} means "no value now" (a failure rate
     * over a window that holds no call), and rules that read it do not fire on it.
     */
    record Gauge(String name, double value) implements Metric {
        /** Checks the name. */
        public Gauge {
            checkName(name);
        }
    }

    /** Percentiles of a duration. */
    record Timer(String name, Latency latency) implements Metric {
        /** Checks the name and that latency is not null. */
        public Timer {
            checkName(name);
            Objects.requireNonNull(latency, "latency");
        }
    }

    /** Percentiles of a count. */
    record Distribution(String name, Percentiles percentiles) implements Metric {
        /** Checks the name and that percentiles is not null. */
        public Distribution {
            checkName(name);
            Objects.requireNonNull(percentiles, "percentiles");
        }
    }

    /** Throws IllegalArgumentException, naming the rule, unless {@code name} is a metric name. */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric: name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        return name;
    }
}
