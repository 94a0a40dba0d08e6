package dev.gopatterns.metrics;

import java.util.Objects;

/**
 * A threshold on a {@link Signal} that {@link Alerts} turns into events, once per crossing: {@code FIRING} when the
 * signal crosses the threshold, {@code RESOLVED} when it crosses back past the clear level, and nothing on the
 * samples in between, however many there are.
 *
 * <pre>{@code
 * AlertRule backlog = AlertRule.above("backlog", Signal.value("jobs.queued"), 100)
 *         .clearAt(80)        // hysteresis: it resolves below 80, not at 99
 *         .forSamples(3);     // and fires only after 3 samples in a row at or above 100
 * AlertRule noWorkers = AlertRule.below("no-workers", Signal.value("workers"), 0);
 * }</pre>
 *
 * <p>For a rule {@link #above}: it fires when the signal is {@code >= fireAt} for {@code forSamples} samples in a
 * row, and resolves at the first sample {@code < clearAt} ({@code clearAt <= fireAt}; by default equal). For a rule
 * {@link #below}, the same with the comparisons mirrored ({@code <= fireAt}, resolves {@code > clearAt},
 * {@code clearAt >= fireAt}). A {@code NaN} sample changes nothing, but breaks a run of samples counted toward
 * {@code forSamples}.
 *
 * <p>Go equivalent: a Prometheus alerting rule ({@code expr: queued >= 100}, {@code for: 3m}), evaluated in the
 * process. Immutable.
 *
 * @param name       the rule's name, in its events
 * @param signal     what it reads
 * @param above      whether it fires above ({@code true}) or below the threshold
 * @param fireAt     the threshold
 * @param clearAt    where it resolves
 * @param forSamples samples in a row past the threshold before it fires, {@code >= 1}
 */
public record AlertRule(String name, Signal signal, boolean above, double fireAt, double clearAt, int forSamples) {

    /** Checks the rule's rules, naming the one broken. */
    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signal, "signal");
        if (Double.isNaN(fireAt) || Double.isNaN(clearAt)) {
            throw new IllegalArgumentException("alert rule " + name + ": thresholds must be numbers");
        }
        if (above ? clearAt > fireAt : clearAt < fireAt) {
            throw new IllegalArgumentException("alert rule " + name + ": clearAt must be " + (above ? "<=" : ">=")
                    + " fireAt for a rule " + (above ? "above" : "below") + " its threshold, was " + clearAt
                    + " with fireAt " + fireAt);
        }
        if (forSamples < 1) {
            throw new IllegalArgumentException("alert rule " + name + ": forSamples must be >= 1, was "
                    + forSamples);
        }
    }

    /** Fires when {@code signal >= fireAt}; resolves below it. */
    public static AlertRule above(String name, Signal signal, double fireAt) {
        return new AlertRule(name, signal, true, fireAt, fireAt, 1);
    }

    /** Fires when {@code signal <= fireAt}; resolves above it. */
    public static AlertRule below(String name, Signal signal, double fireAt) {
        return new AlertRule(name, signal, false, fireAt, fireAt, 1);
    }

    /** The same rule, resolving only past {@code level} (hysteresis). */
    public AlertRule clearAt(double level) {
        return new AlertRule(name, signal, above, fireAt, level, forSamples);
    }

    /** The same rule, firing only after {@code n} samples in a row past the threshold. */
    public AlertRule forSamples(int n) {
        return new AlertRule(name, signal, above, fireAt, clearAt, n);
    }

    /** Whether {@code v} is past the threshold. */
    boolean past(double v) {
        return above ? v >= fireAt : v <= fireAt;
    }

    /** Whether {@code v} is back past the clear level. */
    boolean cleared(double v) {
        return above ? v < clearAt : v > clearAt;
    }
}
