package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.time.TickerLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scales a {@link WorkerPool}'s workers with its load: every {@code interval} it reads the pool's
 * {@link PoolMetrics} and, when the backlog calls for it, {@linkplain WorkerPool#resize resizes} the pool by
 * {@code step} workers, within {@code [min, max]}. Two rules keep it from flapping:
 *
 * <ul>
 *   <li><b>Hysteresis</b>: it scales up when the jobs waiting per worker reach {@code upAt}, and down only when
 *       they are at or below {@code downAt} (lower) <em>and</em> at least {@code step} workers are idle. Between
 *       the two thresholds it holds: a signal that wobbles around one threshold cannot move it back and forth.
 *   <li><b>Cooldown</b>: after a change it makes no other for {@code cooldown} on the pool's clock, so the pool
 *       has time to show the effect of the last change before the next is judged.
 *   <li><b>Slow down, fast up</b>: it scales down only once the down condition has held at every decision for
 *       {@code downAfter} (a stabilization window, as Kubernetes' autoscaler has): a lull between two bursts
 *       does not give away the workers the next burst needs. Up is judged at once.
 * </ul>
 *
 * <pre>{@code
 * try (Autoscaler scaler = Autoscaler.builder(pool).bounds(2, 32).step(2).upAt(1.0).downAt(0.25)
 *         .interval(Duration.ofSeconds(1)).cooldown(Duration.ofSeconds(3)).downAfter(Duration.ofSeconds(15))
 *         .start()) {
 *     ... the pool serves; the scaler resizes it ...
 * }
 * }</pre>
 *
 * <p>Each change is published to every {@link #changes()} reader without waiting (a reader that lets its buffer
 * fill misses changes). {@link #evaluate()} makes one decision now, for code (and tests, and the simulation in
 * the docs) that drives the scaler itself instead of {@link #start()}ing its ticker.
 *
 * <p>Go equivalent: the goroutine an autoscaling Go pool runs beside its workers: {@code for range
 * ticker.C { n := len(jobs); if n > up && time.Since(last) > cooldown { addWorkers(step) } ... }}, with the
 * queue's {@code len} as the signal.
 *
 * <p>Memory consistency effects: each decision reads one {@link PoolMetrics} snapshot (consistent, taken under the
 * pool's lock) and is made under the scaler's lock: decisions are totally ordered, and each sees the one before.
 */
public final class Autoscaler implements AutoCloseable, Metered {

    /** One resize the scaler made, at {@code atNanos} on the pool's clock, and why. */
    public record Change(int from, int to, long atNanos, double waitingPerWorker, String reason) {}

    private final WorkerPool pool;
    private final Clock clock;
    private final int min;
    private final int max;
    private final int step;
    private final double upAt;
    private final double downAt;
    private final Duration interval;
    private final long cooldownNanos;
    private final long downAfterNanos;
    private final Channel<Change> changes;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private int target;
    private long lastChangeNanos;
    private boolean changedOnce;
    private long downSinceNanos;
    private boolean downHolds;
    private long decisions;
    private long scaledUp;
    private long scaledDown;
    private TickerLoop ticking;

    private Autoscaler(Builder b) {
        this.pool = b.pool;
        this.clock = pool.context().clock();
        this.min = b.min;
        this.max = b.max;
        this.step = b.step;
        this.upAt = b.upAt;
        this.downAt = b.downAt;
        this.interval = b.interval;
        this.cooldownNanos = b.cooldown.toNanos();
        this.downAfterNanos = b.downAfter.toNanos();
        this.changes = Channel.make(b.changesBuffer);
        this.target = Math.clamp(pool.metrics().workers(), min, max);
    }

    /** A scaler for {@code pool}, which must be a general pool (no capability groups, a shared queue). */
    public static Builder builder(WorkerPool pool) {
        return new Builder(Objects.requireNonNull(pool, "pool"));
    }

    /**
     * Resizes the pool to the scaler's initial target (its workers now, within the bounds) and starts a thread that
     * {@linkplain #evaluate evaluates} every {@code interval} on the pool's clock, until {@link #close()}.
     *
     * @throws IllegalStateException if already started
     */
    public Autoscaler start() {
        lock.lock();
        try {
            if (ticking != null) {
                throw new IllegalStateException("autoscaler: already started");
            }
            pool.resize(target);
            // the pool's shutdown ends the loop too: its next resize throws IllegalStateException
            ticking = TickerLoop.start("autoscaler", clock, interval, pool.context(), this::evaluate);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes one decision now: reads the pool's metrics and resizes it if the rules say so.
     *
     * @return the change made, or {@code null} if the pool is left as it is
     * @throws IllegalStateException if the pool is shut down
     */
    public Change evaluate() {
        lock.lock();
        try {
            decisions++;
            PoolMetrics m = pool.metrics();
            long now = clock.nanoTime();
            int workers = Math.max(target, 1);
            double perWorker = (double) m.waiting() / workers;
            boolean down = perWorker <= downAt && target > min && target - m.running() >= step;
            if (down && !downHolds) {
                downSinceNanos = now; // the down condition starts to hold: its window starts
            }
            downHolds = down;
            if (changedOnce && now - lastChangeNanos < cooldownNanos) {
                return null;
            }
            int to = target;
            String reason = null;
            if (perWorker >= upAt && target < max) {
                to = Math.min(max, target + step);
                reason = String.format("%.2f waiting per worker >= %.2f", perWorker, upAt);
            } else if (down && now - downSinceNanos >= downAfterNanos) {
                to = Math.max(min, target - step);
                reason = String.format("%.2f waiting per worker <= %.2f, %d of %d workers idle, for %s",
                        perWorker, downAt, target - m.running(), target, Duration.ofNanos(now - downSinceNanos));
                downSinceNanos = now; // the next step down waits a whole window again
            }
            if (to == target) {
                return null;
            }
            pool.resize(to);
            Change c = new Change(target, to, now, perWorker, reason);
            if (to > target) {
                scaledUp++;
            } else {
                scaledDown++;
            }
            target = to;
            lastChangeNanos = now;
            changedOnce = true;
            changes.trySend(c);
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** The workers the scaler has asked for (the pool reaches it as busy surplus workers finish their jobs). */
    public int target() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** How many decisions were made, and how many of them scaled up and down. */
    public record Counts(long decisions, long scaledUp, long scaledDown) {}

    /**
     * The scaler in the project's one metrics vocabulary, the component {@code "autoscaler"}: the gauge
     * {@code target} and the counters {@code decisions}, {@code scaled_up} and {@code scaled_down}, read under the
     * scaler's lock.
     */
    @Override
    public Snapshot snapshot() {
        lock.lock();
        try {
            return Snapshot.of("autoscaler").gauge("target", target).counter("decisions", decisions)
                    .counter("scaled_up", scaledUp).counter("scaled_down", scaledDown).build();
        } finally {
            lock.unlock();
        }
    }

    /** The counts so far. */
    public Counts counts() {
        lock.lock();
        try {
            return new Counts(decisions, scaledUp, scaledDown);
        } finally {
            lock.unlock();
        }
    }

    /** The changes, in order, each sent without waiting: a full buffer drops a change for its reader. */
    public ReceiveChannel<Change> changes() {
        return changes.receiveOnly();
    }

    /** Stops the ticker thread, if started, and waits for it. Leaves the pool at its last size. Idempotent. */
    @Override
    public void close() {
        TickerLoop t;
        lock.lock();
        try {
            t = ticking;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.close(); // outside the lock: its last decision may be waiting for it
        }
    }

    @Override
    public String toString() {
        return "Autoscaler[" + min + ".." + max + " by " + step + ", up at " + upAt + ", down at " + downAt
                + " waiting per worker, cooldown " + Duration.ofNanos(cooldownNanos) + ", down after "
                + Duration.ofNanos(downAfterNanos) + "]";
    }

    /** How a scaler decides. */
    public static final class Builder {
        private final WorkerPool pool;
        private int min = 1;
        private int max = 16;
        private int step = 1;
        private double upAt = 1.0;
        private double downAt = 0.0;
        private Duration interval = Duration.ofSeconds(1);
        private Duration cooldown = Duration.ofSeconds(10);
        private Duration downAfter = Duration.ofSeconds(30);
        private int changesBuffer = 64;

        private Builder(WorkerPool pool) {
            this.pool = pool;
        }

        /** The fewest and the most workers, {@code 1 <= min <= max} (default 1 and 16). */
        public Builder bounds(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("autoscaler: bounds need 1 <= min <= max, were " + min + " and "
                        + max);
            }
            this.min = min;
            this.max = max;
            return this;
        }

        /** Workers added or removed per change, {@code >= 1} (default 1). */
        public Builder step(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("autoscaler: step must be >= 1, was " + workers);
            }
            this.step = workers;
            return this;
        }

        /** Scale up when the waiting jobs per worker reach this, {@code > 0} (default 1.0). */
        public Builder upAt(double waitingPerWorker) {
            if (!(waitingPerWorker > 0)) {
                throw new IllegalArgumentException("autoscaler: upAt must be > 0, was " + waitingPerWorker);
            }
            this.upAt = waitingPerWorker;
            return this;
        }

        /**
         * Scale down only when the waiting jobs per worker are at or below this (default 0: an empty queue), which
         * must be below {@code upAt}: the gap between them is the hysteresis.
         */
        public Builder downAt(double waitingPerWorker) {
            if (waitingPerWorker < 0) {
                throw new IllegalArgumentException("autoscaler: downAt must be >= 0, was " + waitingPerWorker);
            }
            this.downAt = waitingPerWorker;
            return this;
        }

        /** How often the ticker thread decides (default 1 s). */
        public Builder interval(Duration d) {
            this.interval = positive(d, "interval");
            return this;
        }

        /** The least time between two changes (default 10 s; zero allowed: no cooldown). */
        public Builder cooldown(Duration d) {
            Objects.requireNonNull(d, "cooldown");
            if (d.isNegative()) {
                throw new IllegalArgumentException("autoscaler: cooldown must be >= 0, was " + d);
            }
            this.cooldown = d;
            return this;
        }

        /**
         * How long the down condition must hold, at every decision, before a step down (default 30 s; zero: at
         * once). Each step down starts a new window.
         */
        public Builder downAfter(Duration d) {
            Objects.requireNonNull(d, "downAfter");
            if (d.isNegative()) {
                throw new IllegalArgumentException("autoscaler: downAfter must be >= 0, was " + d);
            }
            this.downAfter = d;
            return this;
        }

        /** How many changes {@link #changes()} buffers for its reader (default 64). */
        public Builder changesBuffer(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("autoscaler: changesBuffer must be >= 1, was " + n);
            }
            this.changesBuffer = n;
            return this;
        }

        /** The scaler, not started: call {@link Autoscaler#start()}, or drive {@link Autoscaler#evaluate()}. */
        public Autoscaler build() {
            if (downAt >= upAt) {
                throw new IllegalArgumentException("autoscaler: downAt (" + downAt + ") must be below upAt (" + upAt
                        + "): without a gap between them the pool flaps");
            }
            return new Autoscaler(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("autoscaler: " + what + " must be > 0, was " + d);
            }
            return d;
        }
    }
}
