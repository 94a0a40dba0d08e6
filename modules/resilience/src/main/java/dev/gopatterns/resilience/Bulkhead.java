package dev.gopatterns.resilience;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.sync.Semaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most {@code maxConcurrent} calls at once, each waiting at most {@code maxWait} for its turn: the bulkhead of
 * a ship, which keeps one flooded compartment from sinking it. A slow dependency then holds at most
 * {@code maxConcurrent} of the caller's threads, and callers beyond them fail fast with
 * {@link BulkheadFullException} instead of piling up behind it.
 *
 * <p>It is a {@link Semaphore} of {@code maxConcurrent} units and nothing more: a call takes one unit in a
 * {@code select} over the semaphore, a timer of {@code maxWait} on the bulkhead's clock and the caller's context,
 * and gives it back when the body ends, however it ends. Waiters are served in arrival order (the semaphore is
 * FIFO, as Go's {@code x/sync/semaphore} is). A {@code maxWait} of zero never waits.
 *
 * <pre>{@code
 * Bulkhead inventory = Bulkhead.of("inventory", 10, Duration.ofMillis(50));
 * Stock s = inventory.call(ctx, c -> stock.lookup(c, sku));   // BulkheadFullException after 50 ms in line
 * }</pre>
 *
 * <p>Go equivalent: {@code sem := semaphore.NewWeighted(n)}; {@code ctx, cancel := context.WithTimeout(ctx,
 * maxWait)}; {@code if err := sem.Acquire(ctx, 1); err != nil { return errFull }}; {@code defer sem.Release(1)}.
 * Here the wait's timeout is not the call's: once admitted, the body gets the caller's context, not one that
 * expires with the wait.
 *
 * <p>Memory consistency effects: as the semaphore's: a call's actions before it ends happen-before the actions of
 * the call that takes its unit next.
 */
public final class Bulkhead implements Policy, Metered {

    /** What the bulkhead holds now. */
    public record Metrics(int maxConcurrent, int running, int waiting, long rejected) {}

    private final String name;
    private final int maxConcurrent;
    private final Duration maxWait;
    private final Clock clock;
    private final Semaphore units;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder admitted = new LongAdder();

    private Bulkhead(String name, int maxConcurrent, Duration maxWait, Clock clock) {
        this.name = name;
        this.maxConcurrent = maxConcurrent;
        this.maxWait = maxWait;
        this.clock = clock;
        this.units = new Semaphore(maxConcurrent);
    }

    /** A bulkhead on the system clock. */
    public static Bulkhead of(String name, int maxConcurrent, Duration maxWait) {
        return of(name, maxConcurrent, maxWait, Clock.system());
    }

    /**
     * A bulkhead whose waits are measured on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code maxConcurrent < 1} or {@code maxWait} is negative
     */
    public static Bulkhead of(String name, int maxConcurrent, Duration maxWait, Clock clock) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(clock, "clock");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("bulkhead: maxConcurrent must be >= 1, was " + maxConcurrent);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("bulkhead: maxWait must be >= 0, was " + maxWait);
        }
        return new Bulkhead(name, maxConcurrent, maxWait, clock);
    }

    /** The bulkhead's name, as in its rejections. */
    public String name() {
        return name;
    }

    /**
     * Runs {@code body} once a place is free, within {@code maxWait}.
     *
     * @throws BulkheadFullException if no place came free within {@code maxWait}; the body was not called
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ended while the call waited (or before)
     * @throws InterruptedException if interrupted while waiting; nothing is held
     * @throws Exception what the body threw
     */
    @Override
    public <T> T call(Context ctx, Body<? extends T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        enter(ctx);
        try {
            return body.call(ctx);
        } finally {
            units.release(1);
        }
    }

    /**
     * Takes a place, as {@link #call} does, for code that cannot be put in a body; give it back with
     * {@link #leave()} in a {@code finally}, exactly once.
     */
    public void enter(Context ctx) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ctx.throwIfDone();
        if (units.tryAcquire(1)) {
            admitted.increment();
            return;
        }
        if (!maxWait.isZero()) {
            switch (Select.select(units.onAcquire(1, () -> Admission.ADMITTED),
                    ctx.onDone(() -> Admission.CANCELLED),
                    Select.after(maxWait, clock, () -> Admission.FULL))) {
                case ADMITTED -> {
                    admitted.increment();
                    return;
                }
                case CANCELLED -> ctx.throwIfDone();
                case FULL -> { }
            }
        }
        rejected.increment();
        throw new BulkheadFullException(name, maxConcurrent, maxWait);
    }

    /** Gives back the place {@link #enter} took. */
    public void leave() {
        units.release(1);
    }

    private enum Admission { ADMITTED, CANCELLED, FULL }

    /** The counts now (each read on its own: a snapshot of a moving target). */
    public Metrics metrics() {
        return new Metrics(maxConcurrent, (int) units.held(), units.waiting(), rejected.sum());
    }

    /**
     * The bulkhead in the project's one metrics vocabulary, the component {@code "bulkhead"}: the gauges
     * {@code max_concurrent}, {@code running} and {@code waiting}, and the counters {@code calls.admitted} and
     * {@code calls.rejected}. Each is read on its own, as in {@link #metrics()}.
     */
    @Override
    public Snapshot snapshot() {
        Metrics m = metrics();
        return Snapshot.of("bulkhead").gauge("max_concurrent", m.maxConcurrent()).gauge("running", m.running())
                .gauge("waiting", m.waiting()).counter("calls.admitted", admitted.sum())
                .counter("calls.rejected", m.rejected()).build();
    }

    @Override
    public String toString() {
        return "Bulkhead[" + name + ", " + maxConcurrent + " at once, wait <= " + maxWait + "]";
    }
}
