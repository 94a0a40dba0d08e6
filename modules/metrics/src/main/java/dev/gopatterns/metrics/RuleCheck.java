package dev.gopatterns.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link HealthCheck} of rules over one source. */
final class RuleCheck implements HealthCheck {

    record Rule(Signal signal, double degradedAt, double unhealthyAt) {}

    private final Metered source;
    private final List<Rule> rules;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: the snapshot the last check read, for rate signals. */
    private Snapshot previous;

    RuleCheck(Metered source, List<Rule> rules) {
        this.source = source;
        this.rules = List.copyOf(rules);
    }

    @Override
    public Health check() {
        lock.lock();
        try {
            Snapshot now = source.snapshot();
            List<String> unhealthy = new ArrayList<>();
            List<String> degraded = new ArrayList<>();
            for (Rule r : rules) {
                double v = r.signal().read(previous, now);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (v >= r.unhealthyAt()) {
                    unhealthy.add(r.signal() + " = " + format(v) + " >= " + format(r.unhealthyAt()) + " (unhealthy)");
                } else if (v >= r.degradedAt()) {
                    degraded.add(r.signal() + " = " + format(v) + " >= " + format(r.degradedAt()) + " (degraded)");
                }
            }
            previous = now;
            List<String> reasons = new ArrayList<>(unhealthy);
            reasons.addAll(degraded);
            Health.Status status = !unhealthy.isEmpty() ? Health.Status.UNHEALTHY
                    : !degraded.isEmpty() ? Health.Status.DEGRADED : Health.Status.HEALTHY;
            return new Health(status, reasons);
        } finally {
            lock.unlock();
        }
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.4g", v);
    }
}
