package dev.gopatterns.pool;

import dev.gopatterns.metrics.Latency;
import dev.gopatterns.metrics.Snapshot;
import java.util.Objects;

/**
 * One consistent snapshot of a pool's counters and timings, all read at the same instant under the pool's lock.
 *
 * <p>Invariants, true of every snapshot (they are checked by {@link #checkInvariants()}, by the pool's tests, and
 * by the jcstress test {@code Pool_04}):
 * <ul>
 *   <li>{@code submitted == waiting + running + completed()}: every accepted job is waiting, running or ended;
 *   <li>{@code completed() == succeeded + failed + cancelled};
 *   <li>every counter is {@code >= 0}; {@code running + idle <= workers};
 *   <li>{@code queued <= waiting}, {@code queued <= queueCapacity}, and {@code waiting - queued <= workers};
 *   <li>{@code rejected} counts submissions that were refused; they are not in {@code submitted};
 *   <li>{@code runTime.count() <= completed()} and {@code queueWait.count() <= submitted - waiting}: only jobs
 *       that reached a worker are timed; {@code 0 <= utilization <= 1}.
 * </ul>
 * <p>Go equivalent: none; a Go pool counts with {@code sync/atomic} counters of its own, read one at a time, so its
 * numbers need not add up at any instant. Memory consistency effects: a snapshot is read under the pool's lock,
 * so every count change made before {@code metrics()} took the lock is in it.
 *
 * <p>Across two snapshots of one pool, taken one after the other, no cumulative counter ({@code submitted},
 * {@code rejected}, {@code succeeded}, {@code failed}, {@code cancelled}) decreases. A job is counted before its
 * handle completes: a snapshot taken after a job's result was seen counts that job as completed.
 *
 * @param workers     worker threads alive now (for a dynamic pool this changes)
 * @param idle          workers waiting for a job
 * @param queueCapacity the bound on {@code queued} (the builder's {@code queueCapacity})
 * @param submitted   jobs accepted since the pool started
 * @param waiting     accepted jobs not yet started: those in the queue, and those a worker holds but has not
 *                    started (handed to it while idle, or waiting for a rate token), at most one per worker
 * @param queued      accepted jobs in the queue, which no worker holds yet; never more than {@code queueCapacity}
 * @param running     jobs running now (from the moment a worker takes them)
 * @param succeeded   jobs that ended {@link Result.Ok}
 * @param failed      jobs that ended {@link Result.Failed}
 * @param cancelled   jobs that ended {@link Result.Cancelled}, whether they had started or not
 * @param rejected    submissions refused (queue full, or after shutdown)
 * @param throughput  jobs completed per second over the pool's metrics window (see the builder)
 * @param utilization the fraction of available worker time spent running jobs since the pool started
 * @param queueWait   how long jobs that reached a worker waited for one
 * @param runTime     how long finished jobs ran
 */
public record PoolMetrics(int workers, int idle, int queueCapacity, long submitted, long waiting, long queued,
                          long running, long succeeded, long failed, long cancelled, long rejected, double throughput,
                          double utilization, Latency queueWait, Latency runTime) {

    public PoolMetrics {
        Objects.requireNonNull(queueWait, "queueWait");
        Objects.requireNonNull(runTime, "runTime");
    }

    /** Jobs that have ended, however. */
    public long completed() {
        return succeeded + failed + cancelled;
    }

    /**
     * This snapshot in the project's one metrics vocabulary ({@link dev.gopatterns.metrics.Metered}), the component
     * {@code "pool"}: the gauges {@code workers}, {@code workers.idle}, {@code queue.capacity}, {@code jobs.waiting},
     * {@code jobs.queued}, {@code jobs.running}, {@code throughput} (per second) and {@code utilization}; the
     * counters {@code jobs.submitted}, {@code jobs.succeeded}, {@code jobs.failed}, {@code jobs.cancelled},
     * {@code jobs.completed} and {@code jobs.rejected}; the timers {@code job.queue_wait} and {@code job.run_time}.
     */
    public Snapshot toSnapshot() {
        return Snapshot.of("pool")
                .gauge("workers", workers).gauge("workers.idle", idle).gauge("queue.capacity", queueCapacity)
                .gauge("jobs.waiting", waiting).gauge("jobs.queued", queued).gauge("jobs.running", running)
                .gauge("throughput", throughput).gauge("utilization", utilization)
                .counter("jobs.submitted", submitted).counter("jobs.succeeded", succeeded)
                .counter("jobs.failed", failed).counter("jobs.cancelled", cancelled)
                .counter("jobs.completed", completed()).counter("jobs.rejected", rejected)
                .timer("job.queue_wait", queueWait).timer("job.run_time", runTime)
                .build();
    }

    /**
     * Throws {@link IllegalStateException} naming the first invariant this snapshot breaks; a snapshot from a
     * pool never does.
     */
    public PoolMetrics checkInvariants() {
        if (submitted != waiting + running + completed()) {
            throw broken("submitted != waiting + running + completed");
        }
        if (workers < 0 || idle < 0 || waiting < 0 || running < 0 || succeeded < 0 || failed < 0 || cancelled < 0
                || rejected < 0) {
            throw broken("a negative counter");
        }
        if (running + idle > workers) {
            throw broken("running + idle > workers");
        }
        if (queued < 0 || queued > waiting || queued > queueCapacity || waiting - queued > workers) {
            throw broken("queued outside [waiting - workers, min(waiting, queueCapacity)]");
        }
        if (runTime.count() > completed() || queueWait.count() > submitted - waiting) {
            throw broken("more jobs timed than reached a worker");
        }
        if (!(utilization >= 0 && utilization <= 1) || !(throughput >= 0)) {
            throw broken("utilization outside [0, 1] or a negative throughput");
        }
        return this;
    }

    /**
     * Throws {@link IllegalStateException} if a cumulative counter of this snapshot is below the same counter of
     * {@code earlier}, a snapshot of the same pool taken before it.
     */
    public PoolMetrics checkFollows(PoolMetrics earlier) {
        if (submitted < earlier.submitted || rejected < earlier.rejected || succeeded < earlier.succeeded
                || failed < earlier.failed || cancelled < earlier.cancelled) {
            throw new IllegalStateException("pool metrics: a cumulative counter decreased from " + earlier + " to "
                    + this);
        }
        return this;
    }

    private IllegalStateException broken(String rule) {
        return new IllegalStateException("pool metrics: " + rule + " in " + this);
    }
}
