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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads fighting over a semaphore of one unit, on JMH's own (platform) threads ({@code @Threads(2)}).
 *
 * <pre>{@code
 * // Go (two goroutines, each):
 * for { sem.Acquire(ctx, 1); sem.Release(1) }
 * }</pre>
 *
 * <p><b>What is measured:</b> the average time one thread takes for one acquire/release pair while the other
 * thread does the same (JMH's {@code AverageTime} with two threads is per thread: the two together complete about
 * two pairs in that time). The critical section is empty, so the numbers show the semaphores' policies at their
 * starkest:
 * <ul>
 *   <li>a <em>FIFO</em> semaphore (the weighted one, and the JDK's fair one) hands the unit to the waiting thread,
 *       if there is one, on every release, and the releasing thread's next acquire must queue behind it: while both
 *       threads keep asking, every pair is a hand-off between them, a park and an unpark.
 *   <li>the JDK's <em>non-fair</em> semaphore lets the releasing thread take the unit straight back ("barging"), so
 *       one thread may run many pairs while the other sleeps: much faster on average, and unfair by design.
 * </ul>
 *
 * <p><b>Why:</b> this is the cost when a limit is actually reached, the situation a semaphore exists for; the
 * FIFO rows are what fairness (no starvation of a large request) costs.
 *
 * <p><b>How:</b> one semaphore shared by both JMH threads ({@code Scope.Benchmark}), made for each trial. Every
 * thread releases what it takes, so neither can be left blocked when the iteration ends. Inside the critical
 * section each thread notes whether it took the unit over from the other one ({@link HandoffCounters}: a field read,
 * and a write and an increment on a hand-off); the report shows the fraction of acquires that were hand-offs,
 * without which a row cannot be read: see the next paragraph.
 *
 * <p><b>Reading a row:</b> the time per pair is roughly the uncontended cost ({@link Sync_03_SemaphoreUncontended})
 * plus the hand-off fraction times the price of one hand-off, which for platform threads is an OS wake-up:
 * microseconds, tens of them on a virtual machine. The fraction is near 1 for a FIFO semaphore while both threads
 * stay on a CPU (once one waits, they must alternate), near 0 for the non-fair one, and anywhere in between when one
 * thread is off its CPU for a while (another process, a garbage collection), because the other then runs alone.
 * On a shared 2-core machine the fraction, and with it the time, can vary several-fold between runs: compare rows
 * only from a quiet machine, and only at similar fractions. JMH's average over two threads is the mean of the two
 * threads' own averages, so a thread that was starved for most of an iteration weighs as much as the other.
 *
 * <p><b>Read it with:</b> {@link Sync_05_SemaphoreContendedBatch}, the same contention on long-lived platform or
 * virtual threads, through a different harness (a fixed number of pairs per thread instead of a fixed time).
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_04}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(2)
@State(Scope.Benchmark)
public class Sync_04_SemaphoreContended {

    /** See {@link Permits}. */
    @Param({"gopatterns", "jdk-fair", "jdk-nonfair"})
    public String semaphore;

    private Permits sem;
    /** The counters of the thread that took the unit last. Guarded by the semaphore: only the holder touches it. */
    private HandoffCounters owner;

    @Setup(Level.Trial)
    public void make() {
        sem = Permits.make(semaphore, 1);
    }

    @Benchmark
    public void acquireRelease(HandoffCounters mine) throws InterruptedException {
        sem.acquire();
        if (owner != mine) {
            owner = mine;
            mine.handoffs++;
        }
        mine.acquires++;
        sem.release();
    }
}
