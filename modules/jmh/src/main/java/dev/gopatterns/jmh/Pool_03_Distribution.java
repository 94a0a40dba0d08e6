package dev.gopatterns.jmh;

import dev.gopatterns.pool.Distribution;
import dev.gopatterns.pool.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The shared queue against per-worker queues: {@value #JOBS} jobs submitted by one thread to a pool of
 * {@value #WORKERS} virtual-thread workers, and awaited, for each {@code Distribution}.
 *
 * <pre>{@code
 * // Go: shared                                     // Go: per-worker channels, round-robin
 * jobs := make(chan func(), N)                      chans := make([]chan func(), 4) // each fed by one goroutine
 * for w := 0; w < 4; w++ { go drain(jobs) }         for i, j := range js { chans[i%4] <- j }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per job ({@code @OperationsPerInvocation}) from the submitting thread's
 * point of view: submit every job, then wait until the last has run. The queue holds the whole batch, so no
 * submission blocks, and the time is set by how evenly the work is spread and by the cost of choosing.
 * <ul>
 *   <li>{@code work=uniform}: every job is about 1 us of {@link Blackhole#consumeCPU} (the token count of
 *       {@link Pool_01_PerJobOverhead}, calibrated by {@link Pool_02_WorkAlone}). All strategies should be close;
 *       the differences are the per-job cost of the choice and of the hand-off.
 *   <li>{@code work=skewed}: one job in 20 is 50 times longer (about 50 us), at fixed pseudo-random positions (the
 *       same in every invocation and fork: a seeded shuffle, so no strategy meets a lucky or an unlucky period).
 *       The mean job is about 3.5 us. Round-robin and random queue jobs behind the long ones (head-of-line
 *       blocking); least-loaded and stealing should stay close to the shared queue.
 * </ul>
 *
 * <p>{@code distribution} is {@code shared}, {@code roundRobin}, {@code leastLoaded}, {@code random},
 * {@code weighted} (weights 2, 2, 1, 1: as if two workers were twice as fast; on equal workers this row is the
 * price of a wrong weight) or {@code roundRobin+stealing}.
 *
 * <p>On a 2-core machine, 4 virtual-thread workers share 2 carrier threads and are not time-sliced: a worker with a
 * long queue keeps its carrier until the queue is empty. So an uneven spread costs only once fewer than 2 workers
 * have work; with more cores, every imbalance shows.
 *
 * <p>Cost: 12 rows x 2 forks x (3 + 5) x 1 s, about 3.5 minutes of the pool suite.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pool_03 -p work=skewed}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Pool_03_Distribution {

    static final int JOBS = 20_000;
    static final int WORKERS = 4;
    /** One job in this many is long. */
    static final int LONG_EVERY = 20;
    /** How many times longer a long job is. */
    static final int LONG_FACTOR = 50;

    @Param({"shared", "roundRobin", "leastLoaded", "random", "weighted", "roundRobin+stealing"})
    public String distribution;

    @Param({"uniform", "skewed"})
    public String work;

    private WorkerPool pool;
    /** The CPU tokens of each job of the batch. */
    private int[] tokens;

    @Setup(Level.Trial)
    public void setUp() {
        Distribution d = switch (distribution) {
            case "shared" -> Distribution.shared();
            case "roundRobin" -> Distribution.roundRobin();
            case "leastLoaded" -> Distribution.leastLoaded();
            case "random" -> Distribution.random();
            case "weighted" -> Distribution.weighted(2, 2, 1, 1);
            case "roundRobin+stealing" -> Distribution.roundRobin().withStealing();
            default -> throw new IllegalArgumentException("unknown distribution \"" + distribution + "\"");
        };
        int unit = Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS;
        tokens = new int[JOBS];
        Arrays.fill(tokens, unit);
        switch (work) {
            case "uniform" -> { }
            case "skewed" -> {
                // Exactly JOBS / LONG_EVERY long jobs, at positions a seeded Fisher-Yates shuffle picks.
                for (int i = 0; i < JOBS / LONG_EVERY; i++) {
                    tokens[i] = unit * LONG_FACTOR;
                }
                SplittableRandom rnd = new SplittableRandom(20_26);
                for (int i = JOBS - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = tokens[i];
                    tokens[i] = tokens[j];
                    tokens[j] = t;
                }
            }
            default -> throw new IllegalArgumentException("work must be uniform or skewed, was " + work);
        }
        pool = WorkerPool.builder().workers(WORKERS).queueCapacity(JOBS).distribution(d).build();
    }

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public void runJobs() throws Exception {
        CountDownLatch allDone = new CountDownLatch(JOBS);
        for (int i = 0; i < JOBS; i++) {
            int t = tokens[i];
            pool.submit(ctx -> {
                Blackhole.consumeCPU(t);
                allDone.countDown();
                return null;
            });
        }
        allDone.await();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }
}
