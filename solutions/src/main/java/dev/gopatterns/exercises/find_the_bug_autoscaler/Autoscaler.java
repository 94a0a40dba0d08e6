package dev.gopatterns.exercises.find_the_bug_autoscaler;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * Exercise `find_the_bug_autoscaler`, fixed. The shipped scaler steered the queue per worker to one number, the
 * middle of the band, at every tick. A queue never sits still: it jitters around that number, so the scaler added a
 * worker when it was a little above and removed one when it was a little below, tick after tick, and each new worker
 * was stopped again before it had done anything. Two fixes, each needed:
 * <ol>
 *   <li>Hysteresis: act only outside the band, above {@code scaleUpAbove} or below {@code scaleDownBelow}. Inside
 *       it, hold still: a jitter smaller than the band never moves the pool.
 *   <li>Cooldown: after a change, wait {@code cooldown} on the scaler's clock before the next. New workers take a
 *       while to bring the queue down; a scaler that does not wait for them sees the old queue, adds more, and
 *       overshoots. The time is the injected clock's, so that a test (or a simulation) can move it.
 * </ol>
 * The step and the bounds were right, and stay: toward {@code ceil(queue / target)}, by at most {@code maxStep},
 * within {@code [minWorkers, maxWorkers]}.
 *
 * <p>Memory consistency: {@link #tick} is called from one thread at a time (the test's, or {@link #run}'s), which
 * owns {@code lastChange}; the pool is the only shared state, and it is thread-safe.
 *
 * <p>How to run: {@code ./learn check find_the_bug_autoscaler --solution}
 */
public final class Autoscaler {

    /** The pool the scaler watches and resizes. Its methods are safe to call from any thread. */
    public interface Pool {
        /** The jobs waiting for a worker now. */
        int queueLength();

        /** The workers the pool has now. */
        int workers();

        /** Gives the pool {@code workers} workers. */
        void resize(int workers);
    }

    /**
     * The rules the scaler keeps.
     *
     * @param minWorkers     the fewest workers the pool may have, at least 1
     * @param maxWorkers     the most workers the pool may have
     * @param maxStep        the most workers one change may add or remove
     * @param scaleUpAbove   scale up when the queue per worker is above this
     * @param scaleDownBelow scale down when the queue per worker is below this; less than {@code scaleUpAbove}
     * @param cooldown       the least time between two changes, on the scaler's clock
     */
    public record Policy(int minWorkers, int maxWorkers, int maxStep, double scaleUpAbove, double scaleDownBelow,
                         Duration cooldown) {

        /** @throws IllegalArgumentException naming the rule, if the numbers contradict each other */
        public Policy {
            Objects.requireNonNull(cooldown, "cooldown");
            if (minWorkers < 1) {
                throw new IllegalArgumentException("minWorkers must be >= 1, was " + minWorkers);
            }
            if (maxWorkers < minWorkers) {
                throw new IllegalArgumentException("maxWorkers must be >= minWorkers (" + minWorkers + "), was "
                        + maxWorkers);
            }
            if (maxStep < 1) {
                throw new IllegalArgumentException("maxStep must be >= 1, was " + maxStep);
            }
            if (!(scaleDownBelow >= 0 && scaleDownBelow < scaleUpAbove)) {
                throw new IllegalArgumentException("scaleDownBelow must be >= 0 and < scaleUpAbove (" + scaleUpAbove
                        + "), was " + scaleDownBelow);
            }
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("cooldown must be >= 0, was " + cooldown);
            }
        }

        /** The queue per worker a change aims at: the middle of the band. */
        public double target() {
            return (scaleUpAbove + scaleDownBelow) / 2;
        }
    }

    private final Pool pool;
    private final Policy policy;
    private final Clock clock;
    /** When the last change was made, on {@code clock}; meaningless while {@code changed} is false. */
    private long lastChange;
    private boolean changed;

    /** A scaler of {@code pool} that keeps {@code policy}, measuring time on {@code clock}. */
    public Autoscaler(Pool pool, Policy policy, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One look at the pool: reads its queue and its workers, and resizes it if the policy says so. */
    public void tick() {
        int queue = pool.queueLength();
        int workers = pool.workers();
        long now = clock.nanoTime(); // the scaler's clock, never System.nanoTime(): a test moves this one
        if (changed && now - lastChange < policy.cooldown().toNanos()) {
            return; // fix 2: the last change is still taking effect
        }
        double perWorker = (double) queue / workers;
        if (perWorker >= policy.scaleDownBelow() && perWorker <= policy.scaleUpAbove()) {
            return; // fix 1: inside the band, hold still
        }
        // Steer to the target: enough workers that each has about target() jobs waiting.
        int wanted = (int) Math.ceil(queue / policy.target());
        int next = Math.clamp(wanted, workers - policy.maxStep(), workers + policy.maxStep()); // a few at a time
        next = Math.clamp(next, policy.minWorkers(), policy.maxWorkers());
        if (next != workers) {
            pool.resize(next);
            lastChange = now;
            changed = true;
        }
    }

    /**
     * Calls {@link #tick} every {@code interval}, on a {@code Ticker} of the scaler's clock, until {@code ctx} ends;
     * then stops the ticker and returns. Go: {@code for { select { case <-ticker.C: a.Tick(); case <-ctx.Done():
     * return } }}.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits for a tick
     */
    public void run(Context ctx, Duration interval) throws InterruptedException {
        Ticker ticker = Ticker.every(clock, interval);
        try {
            while (Select.select(ticker.channel().onReceive(t -> true), ctx.onDone(() -> false))) {
                tick();
            }
        } finally {
            ticker.stop();
        }
    }
}
