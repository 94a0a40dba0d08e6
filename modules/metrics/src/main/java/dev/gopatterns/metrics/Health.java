package dev.gopatterns.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A component's health: {@link Status#HEALTHY}, {@link Status#DEGRADED} (working, but a signal is past its warning
 * threshold) or {@link Status#UNHEALTHY}, with the reasons, one per rule that is past a threshold.
 *
 * <p>Go equivalent: the body of a {@code /healthz} handler, which Go services write by hand.
 *
 * <p>Immutable.
 *
 * @param status  the worst status any rule gave
 * @param reasons why, one line per rule past a threshold, worst first; empty when healthy
 */
public record Health(Status status, List<String> reasons) {

    /** A health, from best to worst; {@link #ordinal()} is the severity. */
    public enum Status {
        HEALTHY, DEGRADED, UNHEALTHY;

        /** The worse of this and {@code other}. */
        public Status worse(Status other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /** Healthy, for no reason. */
    public static final Health HEALTHY = new Health(Status.HEALTHY, List.of());

    /** Checks the components; the list is copied. */
    public Health {
        Objects.requireNonNull(status, "status");
        reasons = List.copyOf(reasons);
    }

    /** The worst of several healths, with all their reasons (each prefixed with its label), worst first. */
    public static Health worst(List<String> labels, List<Health> healths) {
        if (labels.size() != healths.size()) {
            throw new IllegalArgumentException("health: one label per health, was " + labels.size() + " labels for "
                    + healths.size() + " healths");
        }
        Status worst = Status.HEALTHY;
        List<String> reasons = new ArrayList<>();
        for (Status s : new Status[] {Status.UNHEALTHY, Status.DEGRADED}) {
            for (int i = 0; i < healths.size(); i++) {
                Health h = healths.get(i);
                if (h.status == s) {
                    worst = worst.worse(s);
                    for (String r : h.reasons) {
                        reasons.add(labels.get(i) + ": " + r);
                    }
                }
            }
        }
        return new Health(worst, reasons);
    }
}
