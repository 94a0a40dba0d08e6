package dev.gopatterns.metrics;

/**
 * A component that can say what it measures: pools, pipeline runs, circuit breakers, retries, bulkheads, batchers,
 * dead-letter queues. One snapshot API for all of them, read by {@link HealthCheck}, {@link Alerts} and the
 * Micrometer binding ({@code gopatterns-micrometer}).
 *
 * <p>The contract, for every implementation:
 * <ul>
 *   <li><b>A fixed schema.</b> Every snapshot of one component has the same metrics, by name, kind and order, from
 *       the first to the last (a level with no value now is a {@code NaN} gauge, not a missing one), so a binding
 *       can register its meters once.
 *   <li><b>Counters never decrease</b> from one snapshot to a later one of the same component.
 *   <li><b>It is cheap and never blocks</b> for long: at most a short lock the component holds for its own
 *       bookkeeping. It can be called from any thread, at any time, before, during and after the component's life.
 * </ul>
 *
 * <p>Memory consistency effects: each implementation states its own; every one counts, in the snapshot it returns,
 * the actions that happened-before its {@code snapshot()} call began, as far as its javadoc says they are counted
 * (a pool counts a job before its handle completes, for instance).
 *
 * <p>Go equivalent: none; a Go service exports its counters with {@code expvar} or a Prometheus collector, each
 * component in its own way.
 */
@FunctionalInterface
public interface Metered {

    /** What this component measures now. */
    Snapshot snapshot();
}
