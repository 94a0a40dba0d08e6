package dev.gopatterns.metrics;

/**
 * An alert's change: it began {@link Kind#FIRING}, or it was {@link Kind#RESOLVED}.
 *
 * <p>Go equivalent: the notification an Alertmanager sends, here a value on a channel. Immutable.
 *
 * @param rule     the rule's name
 * @param kind     what happened
 * @param value    the signal's value at the sample that changed it
 * @param atNanos  when, on the {@link Alerts}' clock ({@code nanoTime})
 * @param sequence numbers the events of one {@link Alerts} from 1, so a reader that missed some sees the gap
 */
public record Alert(String rule, Kind kind, double value, long atNanos, long sequence) {

    /** What happened to the alert. */
    public enum Kind { FIRING, RESOLVED }
}
