package dev.gopatterns.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A semaphore nobody else wants: one thread takes a unit and gives it back.
 *
 * <pre>{@code
 * // Go (x/sync/semaphore):                    // here:
 * if sem.TryAcquire(1) { sem.Release(1) }      // if (sem.tryAcquire(1)) sem.release(1);
 * sem.Acquire(ctx, 1); sem.Release(1)          // sem.acquire(1); sem.release(1);
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per pair ({@code tryAcquireRelease}, {@code acquireRelease}) on a
 * semaphore of one unit used by one thread, so every acquire succeeds at once: the fast path, a lock (the weighted
 * semaphore's {@code ReentrantLock}) or a CAS (the JDK's AQS state) and nothing else. The weighted semaphore's
 * {@code acquire(1)} is {@code acquire(Context.background(), 1)}, so it also checks the interrupt flag, as the
 * JDK's {@code acquire()} does.
 *
 * <p><b>Why:</b> most semaphore calls in a healthy program are uncontended: a limit of 8 concurrent downloads is
 * rarely reached. This is the floor the implementation adds to every guarded call.
 *
 * <p><b>How:</b> {@link Permits} names the implementation; one JMH thread. A failed {@code tryAcquire} would mean a
 * leaked unit and fails the run.
 *
 * <p><b>Read it with:</b> {@link Sync_04_SemaphoreContended} and {@link Sync_05_SemaphoreContendedBatch}, and the Go
 * twin {@code BenchmarkSemaphoreUncontended} in {@code modules/jmh/go/sync/sync_test.go} (a buffered channel used
 * as a semaphore, Go's standard-library idiom).
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_03 -p semaphore=gopatterns,jdk-fair}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Sync_03_SemaphoreUncontended {

    /** See {@link Permits}. */
    @Param({"gopatterns", "jdk-fair", "jdk-nonfair"})
    public String semaphore;

    private Permits sem;

    @Setup(Level.Trial)
    public void make() {
        sem = Permits.make(semaphore, 1);
    }

    @Benchmark
    public void tryAcquireRelease() {
        if (!sem.tryAcquire()) {
            throw new AssertionError("tryAcquire failed on an uncontended semaphore: a unit was leaked");
        }
        sem.release();
    }

    @Benchmark
    public void acquireRelease() throws InterruptedException {
        sem.acquire();
        sem.release();
    }
}
