package dev.gopatterns.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Fan-out: start {@value #TASKS} tiny tasks, wait for all of them, with the structured-concurrency scopes of this
 * project and with the JDK's executors.
 *
 * <pre>{@code
 * // Go (errgroup):                          // here:
 * var g errgroup.Group                       // try (ErrGroup g = ErrGroup.create()) {
 * for _, t := range tasks { g.Go(t) }        //     for (Task t : tasks) g.go(t);
 * err := g.Wait()                            //     g.await(); }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per task ({@code @OperationsPerInvocation}) to start it, run it and learn
 * that it has ended, as the spawning thread sees it. The task itself is one {@link LongAdder#increment()}, so the
 * number is the price of the machinery: for the virtual-thread rows, creating, starting, scheduling and ending a
 * virtual thread plus the scope's bookkeeping; for the pools, a {@code FutureTask} and a trip through the pool's
 * queue. The implementations are listed in {@link FanOut}:
 * <ul>
 *   <li>{@code ErrGroup} against {@code WaitGroup.go} is the price of the group's guarantees: each task enters and
 *       leaves the group's {@code InterruptScope} (one hook on the group's context for all tasks, and a set
 *       insertion and removal per task), the group's lock counts it, and it reports its failure.
 *   <li>{@code ErrGroup:limit=8} adds a token channel: {@code go} blocks while 8 tasks are active, so the spawning
 *       thread and the tasks take turns. Compare it with {@code fixedThreadPool:8}, the executor way of running at
 *       most 8 at a time.
 *   <li>{@code virtualThreadPerTaskExecutor} is the JDK's own virtual-thread scope; {@code fixedThreadPool:2} and
 *       {@code :8} are classic platform pools (as many threads as cores, and more).
 * </ul>
 *
 * <p><b>Why:</b> Go programs start a goroutine for anything that might block; the Java equivalent is only as cheap
 * as its scope. This shows what one structured task costs, and when a pool of platform threads is still cheaper
 * (for tasks this small, it usually is: no thread is created per task).
 *
 * <p><b>Who spawns:</b> the thread that calls {@code go} (or {@code invokeAll}) is a long-lived platform or
 * virtual thread, as {@code spawner} says. It matters most for {@code ErrGroup:limit=8}, where the spawner blocks
 * in {@code go} whenever 8 tasks are active and is woken each time one ends: a platform spawner pays an OS park and
 * wake-up for that, a virtual one an unmount and a re-mount. In Go the spawner is a goroutine, so the
 * {@code virtual} rows are the ones to compare with the Go twin.
 *
 * <p><b>How:</b> the spawner is the first worker of a {@link ThreadPair} (the second has nothing to do), so both
 * kinds of spawner go through the same harness; its cost, about 35 us per invocation on platform threads and 10 us
 * on virtual ones, is under 4 ns per task. The tasks run on the virtual-thread scheduler's carriers (as many as
 * cores) or on the pool's threads. After each batch the counter must equal {@value #TASKS}: a task that did not
 * run, or ran twice, fails the run. A pool is shut down, and its threads awaited, at the end of the trial.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkFanOut} (goroutines and a {@code sync.WaitGroup}, with and
 * without an 8-token channel as the limit, as errgroup's {@code SetLimit} does) in
 * {@code modules/jmh/go/sync/sync_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_06 -p fanOut=ErrGroup,WaitGroup.go
 * -p spawner=virtual}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Sync_06_FanOut {

    static final int TASKS = 10_000;

    /** See {@link FanOut}. */
    @Param({
        "ErrGroup", "ErrGroup:limit=8", "WaitGroup.go",
        "virtualThreadPerTaskExecutor", "fixedThreadPool:2", "fixedThreadPool:8"
    })
    public String fanOut;

    /** The kind of thread that spawns the tasks and waits for them. */
    @Param({"platform", "virtual"})
    public String spawner;

    private final LongAdder ran = new LongAdder();
    private FanOut impl;
    private ThreadPair pair;

    @Setup(Level.Trial)
    public void start() {
        Runnable[] tasks = new Runnable[TASKS];
        for (int i = 0; i < TASKS; i++) {
            tasks[i] = ran::increment;
        }
        impl = FanOut.make(fanOut, tasks);
        pair = new ThreadPair(spawner, "fan-out",
                () -> {
                    ran.reset(); // no task of an earlier batch is running: every batch waits for all of its tasks
                    impl.runAll();
                    long n = ran.sum();
                    if (n != TASKS) {
                        throw new AssertionError(n + " tasks ran in a batch of " + TASKS);
                    }
                },
                () -> {}); // a pair's second worker: nothing to do here
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void runAll() throws Exception {
        pair.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        try {
            if (pair != null) { // null if start() failed
                pair.close();
            }
        } finally {
            if (impl != null) {
                impl.close();
            }
        }
    }
}
