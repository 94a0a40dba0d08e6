package dev.gopatterns.jmh;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads fighting over a semaphore of one unit, on long-lived platform or virtual threads: the contention of
 * {@link Sync_04_SemaphoreContended}, with the waiting done by virtual threads too.
 *
 * <pre>{@code
 * // Go: two goroutines, each
 * for i := 0; i < n; i++ { sem.Acquire(ctx, 1); sem.Release(1) }
 * }</pre>
 *
 * <p><b>What is measured:</b> the time one worker takes for one acquire/release pair while the other does the same,
 * the quantity of {@link Sync_04_SemaphoreContended} (per thread; the two together complete about two pairs in that
 * time). A FIFO semaphore makes every pair a hand-off between the two threads; for virtual threads a hand-off is an
 * unmount and a re-mount on a carrier instead of an OS park and wake-up, which is where they should win. The
 * weighted semaphore waits in a {@code select} on a per-waiter channel, which parks the same way.
 *
 * <p><b>How:</b> two workers per trial ({@link ThreadPair}), platform or virtual as {@code threads} says; each
 * invocation has each worker run {@value #PAIRS} pairs and JMH divides by that ({@code @OperationsPerInvocation}).
 * Unlike the channel benchmarks' workers, these two do not depend on each other, so nothing stops one from running
 * its whole batch before the other has even been scheduled. So each batch starts with both workers meeting at a
 * {@link CyclicBarrier}, which makes contention possible from the first pair, though not certain. The harness
 * (about 35 us per invocation on platform threads, 10 us on virtual ones) and the barrier (one more wake-up) add
 * about 1 ns per pair. At the end of the trial the semaphore must be free: a leaked unit fails the run.
 *
 * <p>As in {@link Sync_04_SemaphoreContended}, each worker counts the acquires that took the unit over from the
 * other ({@link HandoffCounters}), and the report shows the fraction: read that benchmark's note on the two regimes
 * before comparing rows. Virtual threads add a third way of not contending: a virtual thread unparked by another
 * one is queued on that one's carrier, and runs in parallel only once an idle carrier wakes up and steals it.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkSemaphoreContended} (two goroutines, a buffered channel as the
 * semaphore) in {@code modules/jmh/go/sync/sync_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_05 -p threads=virtual}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Sync_05_SemaphoreContendedBatch {

    static final int PAIRS = 1 << 16;

    /** See {@link Permits}. */
    @Param({"gopatterns", "jdk-fair", "jdk-nonfair"})
    public String semaphore;

    @Param({"platform", "virtual"})
    public String threads;

    private Permits sem;
    private ThreadPair pair;
    /** The worker that took the unit last. Guarded by the semaphore: only the holder touches it. */
    private Object owner;
    /**
     * Each worker's hand-offs in its latest batch; written by the worker, read by the JMH thread after
     * {@link ThreadPair#runBatch()}, which orders the two.
     */
    private final long[] handoffs = new long[2];

    @Setup(Level.Trial)
    public void start() {
        sem = Permits.make(semaphore, 1);
        CyclicBarrier together = new CyclicBarrier(2);
        pair = new ThreadPair(threads, "semaphore", () -> pairs(together, 0), () -> pairs(together, 1));
    }

    private void pairs(CyclicBarrier together, int worker) throws Exception {
        Object me = Thread.currentThread();
        long h = 0;
        together.await(); // both contend from the first pair on
        for (int i = 0; i < PAIRS; i++) {
            sem.acquire();
            if (owner != me) {
                owner = me;
                h++;
            }
            sem.release();
        }
        handoffs[worker] = h;
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public void acquireRelease(HandoffCounters counters) throws Exception {
        pair.runBatch();
        counters.handoffs += handoffs[0] + handoffs[1];
        counters.acquires += 2L * PAIRS;
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (pair != null) { // null if start() failed
            pair.close();
            if (!sem.tryAcquire()) {
                throw new AssertionError("the semaphore is not free after every worker ended: a unit was leaked");
            }
        }
    }
}
