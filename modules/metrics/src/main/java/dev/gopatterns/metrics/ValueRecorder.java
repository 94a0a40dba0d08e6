package dev.gopatterns.metrics;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records non-negative values (durations in nanoseconds, or sizes) from any number of threads, and reads their
 * percentiles since the recorder was made.
 *
 * <p>{@link #record} is wait-free: it writes into HdrHistogram's {@link Recorder}, which a reader swaps for an empty
 * one and adds into a running total, so recording never waits for a reader, and a reader never misses a value. Values
 * above about an hour (in nanoseconds: 2^42) are clamped to that, so a stuck call cannot throw in the recording path.
 *
 * <p>Go equivalent: none in the standard library; the Prometheus client's {@code Histogram.Observe}, with
 * HdrHistogram's percentiles instead of fixed buckets.
 *
 * <p>Memory consistency effects: a value recorded before a call to {@link #latency()} or {@link #percentiles()}
 * begins (in the happens-before order) is counted in its result.
 */
public final class ValueRecorder {

    /** The largest value recorded as itself; larger ones are recorded as this. About 73 minutes in nanoseconds. */
    public static final long MAX_VALUE = 1L << 42;

    private final Recorder recorder = new Recorder(MAX_VALUE, 3);
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: the sum of every interval read so far. */
    private final Histogram total = new Histogram(MAX_VALUE, 3);
    /** Guarded by {@code lock}: the last interval histogram, recycled. */
    private Histogram recycled;

    /** Records {@code value}; a negative value is a bug in the caller and throws. */
    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value recorder: values must be >= 0, was " + value);
        }
        recorder.recordValue(Math.min(value, MAX_VALUE));
    }

    /** Records a duration, in nanoseconds; a negative one is recorded as zero (a clock that stepped back). */
    public void record(Duration d) {
        recorder.recordValue(Math.min(Math.max(0, d.toNanos()), MAX_VALUE));
    }

    /** Records a duration given in nanoseconds; a negative one is recorded as zero. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(Math.max(0, nanos), MAX_VALUE));
    }

    /** The percentiles of every value recorded so far. */
    public Percentiles percentiles() {
        lock.lock();
        try {
            Histogram h = read();
            if (h.getTotalCount() == 0) {
                return Percentiles.NONE;
            }
            return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getMaxValue());
        } finally {
            lock.unlock();
        }
    }

    /** The percentiles of every value recorded so far, read as nanoseconds. */
    public Latency latency() {
        Percentiles p = percentiles();
        if (p.count() == 0) {
            return Latency.NONE;
        }
        return new Latency(p.count(), Duration.ofNanos(p.p50()), Duration.ofNanos(p.p90()), Duration.ofNanos(p.p99()),
                Duration.ofNanos(p.max()));
    }

    /** Call only when holding lock. */
    private Histogram read() {
        recycled = recorder.getIntervalHistogram(recycled);
        total.add(recycled);
        return total;
    }
}
