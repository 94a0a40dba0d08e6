package dev.gopatterns.micrometer;

import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Metric;
import dev.gopatterns.metrics.Snapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;

/**
 * Any {@link Metered} component of gopatterns (a worker pool, a pipeline run, a circuit breaker, a retry, a bulkhead,
 * a batcher, a dead-letter queue, a health check, alerts) as Micrometer meters, in one line:
 *
 * <pre>{@code
 * MeteredBinder.bind(registry, "orders", pool);     // gopatterns.pool.jobs.queued{name="orders"}, ...
 * MeteredBinder.bind(registry, "payments", breaker, Tag.of("region", "eu"));
 * // Spring Boot: @Bean MeterBinder ordersPool(WorkerPool pool) { return MeteredBinder.of("orders", pool); }
 * }</pre>
 *
 * <p>Each metric of the component's {@link Snapshot} becomes one or more meters named
 * {@code gopatterns.<component>.<metric>}, tagged {@code name=<name>} and the extra tags:
 * <ul>
 *   <li>a {@link Metric.Counter} is a {@link FunctionCounter};
 *   <li>a {@link Metric.Gauge} is a {@link Gauge} ({@code NaN} when the component has no value now);
 *   <li>a {@link Metric.Timer} is a {@link TimeGauge} {@code <metric>.percentile} per percentile, tagged
 *       {@code phi} {@code 0.5}, {@code 0.9} and {@code 0.99} (Micrometer's own naming for client-side
 *       percentiles), a {@link TimeGauge} {@code <metric>.max} and a {@link FunctionCounter} {@code <metric>.count};
 *   <li>a {@link Metric.Distribution} is the same with plain {@link Gauge}s.
 * </ul>
 * The meters are registered once, from the first snapshot (a component's metrics are fixed: see {@link Metered}).
 * When a registry reads them, one snapshot serves every meter of the component for {@link #maxAge} (default one
 * second, on the registry's clock), so the numbers of one scrape come from one instant, and the component is read
 * once per scrape, not once per meter.
 *
 * <p>Go equivalent: {@code prometheus.MustRegister(collector)} with a collector that reads the component. Memory
 * consistency effects: a meter's value is read from a snapshot taken by {@code source.snapshot()} under the
 * binder's lock, within {@code maxAge} of the read; what that snapshot counts is the component's javadoc.
 *
 * <p>The meters hold the component strongly: it stays alive while they are registered. {@link #close()} removes
 * them from every registry this binder was bound to. The percentiles are the component's own, over its whole life
 * (HdrHistogram, 3 significant digits), not a moving window; Micrometer's {@code Timer} would need every event,
 * which the components do not expose.
 */
public final class MeteredBinder implements MeterBinder, AutoCloseable {

    private static final double[] PHIS = {0.5, 0.9, 0.99};

    private final String name;
    private final Metered source;
    private final Tags tags;
    private final Duration maxAge;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: every meter registered, with its registry. */
    private final List<Registered> registered = new ArrayList<>();

    private record Registered(MeterRegistry registry, Meter meter) {}

    private MeteredBinder(String name, Metered source, Tags tags, Duration maxAge) {
        this.name = name;
        this.source = source;
        this.tags = tags;
        this.maxAge = maxAge;
    }

    /** A binder of {@code source}'s meters, tagged {@code name=<name>} and {@code tags}; nothing is registered yet. */
    public static MeteredBinder of(String name, Metered source, Tag... tags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        return new MeteredBinder(name, source, Tags.of(tags).and("name", name), Duration.ofSeconds(1));
    }

    /** Registers {@code source}'s meters in {@code registry} now, and returns the binder (to {@link #close()} it). */
    public static MeteredBinder bind(MeterRegistry registry, String name, Metered source, Tag... tags) {
        MeteredBinder b = of(name, source, tags);
        b.bindTo(registry);
        return b;
    }

    /**
     * The same binder, reusing a snapshot for at most {@code age} (default one second); {@link Duration#ZERO} reads
     * the component for every meter.
     */
    public MeteredBinder maxAge(Duration age) {
        if (age.isNegative()) {
            throw new IllegalArgumentException("micrometer binder: maxAge must be >= 0, was " + age);
        }
        return new MeteredBinder(name, source, tags, age);
    }

    /** How long one snapshot serves the meters. */
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Memo memo = new Memo(source, registry, maxAge.toNanos());
        Snapshot first = memo.get();
        String prefix = "gopatterns." + first.component() + ".";
        List<Meter> meters = new ArrayList<>();
        for (Metric m : first.metrics()) {
            String n = m.name();
            String id = prefix + n;
            switch (m) {
                case Metric.Counter c -> meters.add(counter(registry, id, memo, s -> s.counter(n)));
                case Metric.Gauge g -> meters.add(gauge(registry, id, Tags.empty(), memo, s -> s.gauge(n)));
                case Metric.Timer t -> {
                    for (double phi : PHIS) {
                        meters.add(TimeGauge.builder(id + ".percentile", memo, TimeUnit.NANOSECONDS,
                                        mm -> mm.get().timer(n).inNanos().at(phi)).tags(tags)
                                .tag("phi", Double.toString(phi)).strongReference(true).register(registry));
                    }
                    meters.add(TimeGauge.builder(id + ".max", memo, TimeUnit.NANOSECONDS,
                            mm -> mm.get().timer(n).max().toNanos()).tags(tags).strongReference(true)
                            .register(registry));
                    meters.add(counter(registry, id + ".count", memo, s -> s.timer(n).count()));
                }
                case Metric.Distribution d -> {
                    for (double phi : PHIS) {
                        meters.add(gauge(registry, id + ".percentile", Tags.of("phi", Double.toString(phi)), memo,
                                s -> s.distribution(n).at(phi)));
                    }
                    meters.add(gauge(registry, id + ".max", Tags.empty(), memo, s -> s.distribution(n).max()));
                    meters.add(counter(registry, id + ".count", memo, s -> s.distribution(n).count()));
                }
            }
        }
        lock.lock();
        try {
            for (Meter m : meters) {
                registered.add(new Registered(registry, m));
            }
        } finally {
            lock.unlock();
        }
    }

    private Meter counter(MeterRegistry registry, String id, Memo memo, ToDoubleFunction<Snapshot> read) {
        // A FunctionCounter holds its object weakly: the function holds the memo, so the meter keeps it alive.
        return FunctionCounter.builder(id, memo, mm -> read.applyAsDouble(memo.get())).tags(tags).register(registry);
    }

    private Meter gauge(MeterRegistry registry, String id, Tags extra, Memo memo, ToDoubleFunction<Snapshot> read) {
        return Gauge.builder(id, memo, mm -> read.applyAsDouble(mm.get())).tags(tags).tags(extra)
                .strongReference(true).register(registry);
    }

    /** Removes every meter this binder registered, from every registry. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            for (Registered r : registered) {
                r.registry().remove(r.meter());
            }
            registered.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MeteredBinder[" + name + ", " + tags + "]";
    }

    /** One snapshot, reused for {@code maxAgeNanos} on the registry's clock. */
    static final class Memo {
        private final Metered source;
        private final MeterRegistry registry;
        private final long maxAgeNanos;
        private final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@code lock}. */
        private Snapshot last;
        /** Guarded by {@code lock}. */
        private long readAt;

        Memo(Metered source, MeterRegistry registry, long maxAgeNanos) {
            this.source = source;
            this.registry = registry;
            this.maxAgeNanos = maxAgeNanos;
        }

        Snapshot get() {
            lock.lock();
            try {
                long now = registry.config().clock().monotonicTime();
                if (last == null || now - readAt >= maxAgeNanos) {
                    last = source.snapshot();
                    readAt = now;
                }
                return last;
            } finally {
                lock.unlock();
            }
        }
    }
}
