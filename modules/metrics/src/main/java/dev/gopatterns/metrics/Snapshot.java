package dev.gopatterns.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What one component (a pool, a pipeline run, a circuit breaker, a batcher, a dead-letter queue...) measures, read at
 * one instant: a list of named {@link Metric}s. Every {@link Metered} component returns one from
 * {@link Metered#snapshot()}, so one health check, one alert rule, one Micrometer binding and one monitor serve them
 * all.
 *
 * <p>A snapshot is immutable. Its metrics keep the order they were added in, and their names are unique. How
 * consistent its values are with each other is the component's to say: a pool reads all of its own under one lock,
 * so they add up; a pipeline run reads each stage's counters in turn while it runs.
 *
 * <pre>{@code
 * Snapshot s = pool.snapshot();
 * long queued = (long) s.value("jobs.queued");
 * Latency wait = s.timer("job.queue_wait");
 * }</pre>
 *
 * <p>Go equivalent: none; the nearest is a Prometheus collector's {@code Collect}, which sends one metric at a time.
 * Memory consistency effects: a snapshot is immutable, so it may be shared between threads without
 * synchronization; what it says about its component's actions is the component's {@code snapshot()} javadoc.
 *
 * @param component what kind of component it is, a metric name ({@code "pool"}, {@code "circuit_breaker"})
 * @param metrics   its metrics, in order, names unique
 */
public record Snapshot(String component, List<Metric> metrics) {

    /** Checks the component's name and that the metrics' names are unique; the list is copied. */
    public Snapshot {
        Metric.checkName(component);
        metrics = List.copyOf(metrics);
        Map<String, Metric> seen = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (seen.putIfAbsent(m.name(), m) != null) {
                throw new IllegalArgumentException("snapshot: metric names must be unique in a snapshot; '"
                        + m.name() + "' is there twice in " + component);
            }
        }
    }

    /** A builder for a snapshot of {@code component}. */
    public static Builder of(String component) {
        return new Builder(component);
    }

    /** The metric called {@code name}; throws {@link NoSuchElementException} naming the ones there are. */
    public Metric metric(String name) {
        Objects.requireNonNull(name, "name");
        for (Metric m : metrics) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new NoSuchElementException("snapshot: no metric '" + name + "' in " + component + "; it has "
                + names());
    }

    /** Whether there is a metric called {@code name}. */
    public boolean has(String name) {
        for (Metric m : metrics) {
            if (m.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The names of the metrics, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            names.add(m.name());
        }
        return names;
    }

    /**
     * The value of the counter or gauge called {@code name}, as a double; a timer or distribution throws, naming
     * the rule.
     */
    public double value(String name) {
        return switch (metric(name)) {
            case Metric.Counter c -> c.value();
            case Metric.Gauge g -> g.value();
            case Metric.Timer t -> throw notA(name, "counter or gauge", t);
            case Metric.Distribution d -> throw notA(name, "counter or gauge", d);
        };
    }

    /** The counter called {@code name}. */
    public long counter(String name) {
        Metric m = metric(name);
        if (m instanceof Metric.Counter c) {
            return c.value();
        }
        throw notA(name, "counter", m);
    }

    /** The gauge called {@code name}. */
    public double gauge(String name) {
        Metric m = metric(name);
        if (m instanceof Metric.Gauge g) {
            return g.value();
        }
        throw notA(name, "gauge", m);
    }

    /** The timer called {@code name}. */
    public Latency timer(String name) {
        Metric m = metric(name);
        if (m instanceof Metric.Timer t) {
            return t.latency();
        }
        throw notA(name, "timer", m);
    }

    /** The distribution called {@code name}. */
    public Percentiles distribution(String name) {
        Metric m = metric(name);
        if (m instanceof Metric.Distribution d) {
            return d.percentiles();
        }
        throw notA(name, "distribution", m);
    }

    private IllegalArgumentException notA(String name, String kind, Metric m) {
        return new IllegalArgumentException("snapshot: '" + name + "' in " + component + " is a "
                + m.getClass().getSimpleName().toLowerCase() + ", not a " + kind);
    }

    /** Builds a {@link Snapshot}, one metric at a time. */
    public static final class Builder {
        private final String component;
        private final List<Metric> metrics = new ArrayList<>();

        private Builder(String component) {
            this.component = Metric.checkName(component);
        }

        /** Adds a counter. */
        public Builder counter(String name, long value) {
            metrics.add(new Metric.Counter(name, value));
            return this;
        }

        /** Adds a gauge. */
        public Builder gauge(String name, double value) {
            metrics.add(new Metric.Gauge(name, value));
            return this;
        }

        /** Adds a timer. */
        public Builder timer(String name, Latency latency) {
            metrics.add(new Metric.Timer(name, latency));
            return this;
        }

        /** Adds a distribution. */
        public Builder distribution(String name, Percentiles percentiles) {
            metrics.add(new Metric.Distribution(name, percentiles));
            return this;
        }

        /** Adds every metric of {@code other}, each name prefixed with {@code prefix + "."}. */
        public Builder nest(String prefix, Snapshot other) {
            Metric.checkName(prefix);
            for (Metric m : other.metrics()) {
                String n = prefix + "." + m.name();
                metrics.add(switch (m) {
                    case Metric.Counter c -> new Metric.Counter(n, c.value());
                    case Metric.Gauge g -> new Metric.Gauge(n, g.value());
                    case Metric.Timer t -> new Metric.Timer(n, t.latency());
                    case Metric.Distribution d -> new Metric.Distribution(n, d.percentiles());
                });
            }
            return this;
        }

        /** The snapshot; throws if two metrics share a name. */
        public Snapshot build() {
            return new Snapshot(component, metrics);
        }
    }
}
