package dev.gopatterns.pool;

import dev.gopatterns.metrics.Latency;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The timing side of a pool's metrics: queue-wait and run-time histograms, completions over a sliding window, and
 * busy time for utilization. Not thread-safe: every method but {@link #latencies()} is called while holding the
 * {@link JobQueue}'s lock, which is what makes a snapshot consistent with the counters beside it.
 *
 * <p>{@link #latencies()} is the exception, and must be: percentiles cost time proportional to the histogram's size
 * (tens of microseconds), and computing them under the queue's lock let a caller polling {@code metrics()} in a loop
 * hold that lock nearly all the time, starving every submit and every worker (the non-fair lock hands it straight
 * back to the poller). So the histograms are {@link SingleWriterRecorder}s: recorded under the queue's lock (one
 * writer at a time, a few atomic operations), read without it, through a phase flip, into cumulative histograms that
 * only readers touch, under a lock of their own.
 */
final class Stats {
    /*
     * Times are relative to `origin` (the pool's start on its clock), so sums of them cannot overflow.
     *
     * Utilization is busy worker-time over available worker-time since the start. Busy time is the run time of
     * every finished job plus, for the jobs running now, now - start: kept as `running * now - runningStarts`, where
     * runningStarts is the sum of the running jobs' start times, so it is exact and O(1). Available time integrates
     * the number of live workers over time (it changes when a worker starts or exits).
     *
     * Throughput counts completions in `buckets` of `bucketNanos` each, a ring covering the window; the rate is
     * the count over the covered span (the full buckets plus the part of the current one). A completion inside the
     * current bucket (nearly all of them) is one comparison with `bucketEnd` and an increment: no division.
     */
    private static final int BUCKETS = 10;

    private final long origin;
    private final long bucketNanos;
    private final long[] buckets = new long[BUCKETS];
    private long bucketIndex; // absolute bucket number of the current bucket
    /** The clock's time at which the current bucket ends: (bucketIndex + 1) * bucketNanos after the origin. */
    private long bucketEnd;
    private final SingleWriterRecorder queueWait = new SingleWriterRecorder(3);
    private final SingleWriterRecorder runTime = new SingleWriterRecorder(3);
    private final Readout queueWaitReadout = new Readout(queueWait);
    private final Readout runTimeReadout = new Readout(runTime);
    private final ReentrantLock readLock = new ReentrantLock();
    private long busyDone;
    private long runningStarts;
    private long available;
    private long lastLiveChange;
    private int live;

    Stats(long originNanos, Duration window) {
        this.origin = originNanos;
        this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        this.bucketEnd = originNanos + bucketNanos;
    }

    /** A job left the queue for a worker at {@code now}, having been accepted at {@code acceptedAt}. */
    void started(long now, long acceptedAt) {
        queueWait.recordValue(Math.max(0, now - acceptedAt));
        runningStarts += now - origin;
    }

    /** A job that started at {@code startedAt} ended at {@code now}. */
    void finished(long now, long startedAt) {
        long ran = Math.max(0, now - startedAt);
        runTime.recordValue(ran);
        busyDone += ran;
        runningStarts -= startedAt - origin;
        completed(now);
    }

    /** A job that never ran ended at {@code now}. A taken one was counted started: pass its start, else 0. */
    void endedUnrun(long now, long startedAt, boolean wasTaken) {
        if (wasTaken) {
            runningStarts -= startedAt - origin; // it was not busy: it never ran
        }
        completed(now);
    }

    private void completed(long now) {
        if (now - bucketEnd >= 0) {
            roll(now);
        }
        buckets[(int) (bucketIndex % BUCKETS)]++;
    }

    /** The number of live workers changes at {@code now}. */
    void liveWorkers(long now, int newLive) {
        long rel = Math.max(0, now - origin);
        available += (long) live * Math.max(0, rel - lastLiveChange);
        lastLiveChange = rel;
        live = newLive;
    }

    private void roll(long now) {
        long index = Math.max(0, now - origin) / bucketNanos;
        if (index - bucketIndex >= BUCKETS) {
            java.util.Arrays.fill(buckets, 0);
        } else {
            for (long i = bucketIndex + 1; i <= index; i++) {
                buckets[(int) (i % BUCKETS)] = 0;
            }
        }
        if (index > bucketIndex) {
            bucketIndex = index;
            bucketEnd = origin + (index + 1) * bucketNanos;
        }
    }

    /** Completions per second over the window ending at {@code now}. */
    double throughput(long now) {
        roll(now);
        long rel = Math.max(0, now - origin);
        long covered = Math.min(rel, (BUCKETS - 1) * bucketNanos + (rel - bucketIndex * bucketNanos));
        if (covered <= 0) {
            return 0;
        }
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        return sum * 1e9 / covered;
    }

    /** Busy worker-time over available worker-time since the start, in [0, 1]. */
    double utilization(long now, long running) {
        long rel = Math.max(0, now - origin);
        long busy = busyDone + running * rel - runningStarts;
        long avail = available + (long) live * Math.max(0, rel - lastLiveChange);
        if (avail <= 0) {
            return 0;
        }
        return Math.min(1.0, Math.max(0.0, (double) busy / avail));
    }

    /** Both latencies so far, for a snapshot. */
    record Latencies(Latency queueWait, Latency runTime) {}

    /**
     * The queue-wait and run-time percentiles of every job recorded so far. Thread-safe, and called WITHOUT the
     * queue's lock, before the snapshot takes the counters under it: a value is recorded under the lock in the same
     * critical section that counts its job, so everything read here is already counted when the counters are read,
     * which keeps {@code runTime.count() <= completed()} and {@code queueWait.count() <= submitted - waiting}.
     */
    Latencies latencies() {
        readLock.lock();
        try {
            return new Latencies(queueWaitReadout.read(), runTimeReadout.read());
        } finally {
            readLock.unlock();
        }
    }

    /** The reader's side of one recorder: the sum of its intervals. Guarded by {@code readLock}. */
    private static final class Readout {
        private final SingleWriterRecorder recorder;
        private final Histogram total = new Histogram(3);
        private Histogram recycled;

        Readout(SingleWriterRecorder recorder) {
            this.recorder = recorder;
        }

        Latency read() {
            recycled = recorder.getIntervalHistogram(recycled);
            total.add(recycled);
            return latency(total);
        }
    }

    private static Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Latency.NONE;
        }
        return new Latency(h.getTotalCount(),
                Duration.ofNanos(h.getValueAtPercentile(50)), Duration.ofNanos(h.getValueAtPercentile(90)),
                Duration.ofNanos(h.getValueAtPercentile(99)), Duration.ofNanos(h.getMaxValue()));
    }
}
