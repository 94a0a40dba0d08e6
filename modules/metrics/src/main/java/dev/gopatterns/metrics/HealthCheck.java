package dev.gopatterns.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges a component's {@link Health} from its own signals: each rule compares a {@link Signal} with two thresholds,
 * and the worst rule wins.
 *
 * <pre>{@code
 * HealthCheck health = HealthCheck.builder(pool)
 *         .rule(Signal.ratio("jobs.queued", "queue.capacity"), 0.8, 1.0)   // degraded at 80% full, unhealthy when full
 *         .rule(Signal.rate("jobs.failed", "jobs.completed", 20), 0.05, 0.25)
 *         .build();
 * HealthCheck all = HealthCheck.combine(Map.of("pool", health, "breaker",
 *         HealthCheck.builder(breaker).rule(Signal.value("state"), 1, 2).build()));   // half-open, open
 * if (all.check().status() == Health.Status.UNHEALTHY) { ... }
 * }</pre>
 *
 * <p>A rule is past a threshold when the signal is {@code >=} it; a {@code NaN} reading counts as healthy. A rate
 * signal reads the snapshot of the previous {@link #check()} of the same check, so it is a rate "since the last
 * check": call {@code check()} at a steady pace (a health endpoint's probe, or a ticker) for a steady window.
 * {@code check()} may be called from any thread; calls are serialized.
 *
 * <p>A health check is {@link Metered} itself: its snapshot is the component {@code "health"} with the gauge
 * {@code status} (0 healthy, 1 degraded, 2 unhealthy), as of a new check.
 *
 * <p>Memory consistency effects: calls of {@code check()} are serialized by a lock, so each check's reading of the
 * source happens-after the previous check's.
 *
 * <p>Go equivalent: none in the standard library; a {@code /healthz} handler that reads the service's counters.
 */
public interface HealthCheck extends Metered {

    /** Reads the source now and judges it. */
    Health check();

    @Override
    default Snapshot snapshot() {
        return Snapshot.of("health").gauge("status", check().status().ordinal()).build();
    }

    /** A builder of rules over {@code source}'s snapshots. */
    static Builder builder(Metered source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /**
     * The worst of several checks, each labelled (its reasons are prefixed with its label). The map's iteration
     * order is the order they are checked in.
     */
    static HealthCheck combine(Map<String, HealthCheck> checks) {
        Map<String, HealthCheck> copy = new LinkedHashMap<>(checks);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("health check: combine needs at least one check");
        }
        return () -> {
            List<Health> healths = new ArrayList<>();
            for (HealthCheck c : copy.values()) {
                healths.add(c.check());
            }
            return Health.worst(List.copyOf(copy.keySet()), healths);
        };
    }

    /** Rules, each a signal and its two thresholds. */
    final class Builder {
        private final Metered source;
        private final List<RuleCheck.Rule> rules = new ArrayList<>();

        private Builder(Metered source) {
            this.source = source;
        }

        /**
         * Degraded when {@code signal >= degradedAt}, unhealthy when {@code signal >= unhealthyAt}.
         *
         * @throws IllegalArgumentException if a threshold is NaN or {@code degradedAt > unhealthyAt}
         */
        public Builder rule(Signal signal, double degradedAt, double unhealthyAt) {
            Objects.requireNonNull(signal, "signal");
            if (Double.isNaN(degradedAt) || Double.isNaN(unhealthyAt) || degradedAt > unhealthyAt) {
                throw new IllegalArgumentException("health check: thresholds must be numbers with degradedAt <= "
                        + "unhealthyAt, were " + degradedAt + " and " + unhealthyAt + " for " + signal);
            }
            rules.add(new RuleCheck.Rule(signal, degradedAt, unhealthyAt));
            return this;
        }

        /** Degraded, never unhealthy, when {@code signal >= degradedAt}. */
        public Builder degradedAt(Signal signal, double degradedAt) {
            return rule(signal, degradedAt, Double.POSITIVE_INFINITY);
        }

        /** Unhealthy when {@code signal >= unhealthyAt} (and degraded never). */
        public Builder unhealthyAt(Signal signal, double unhealthyAt) {
            return rule(signal, unhealthyAt, unhealthyAt);
        }

        /** The check; reads nothing until it is called. */
        public HealthCheck build() {
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("health check: add at least one rule");
            }
            return new RuleCheck(source, rules);
        }
    }
}
