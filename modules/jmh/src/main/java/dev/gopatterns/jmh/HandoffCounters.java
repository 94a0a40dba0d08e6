package dev.gopatterns.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How much contention a contended-semaphore benchmark actually produced, reported by JMH next to the time as two
 * secondary results ({@code @AuxCounters}, JMHSample_23): {@code acquires}, every acquire made, and
 * {@code handoffs}, the acquires that took the unit over from the <em>other</em> thread. Their ratio is the fraction
 * of acquires that were hand-offs: near 1 when the threads alternate (a FIFO semaphore that both threads keep
 * asking for), near 0 when one thread runs long stretches alone (barging, or the other thread is off its CPU or
 * waiting for a carrier). Each hand-off costs a wake-up, so the time per pair means little without the fraction;
 * the report prints it beside every row. See {@link Sync_04_SemaphoreContended} on reading the two together.
 *
 * <p>Events, not rates: JMH sums each counter over the threads of an iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class HandoffCounters {

    /** Acquires that found the unit last held by the other thread. */
    public long handoffs;
    /** Every acquire. */
    public long acquires;

    @Setup(Level.Iteration)
    public void reset() {
        handoffs = 0;
        acquires = 0;
    }
}
