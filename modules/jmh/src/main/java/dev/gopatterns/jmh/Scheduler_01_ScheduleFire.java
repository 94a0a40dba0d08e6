package dev.gopatterns.jmh;

import dev.gopatterns.context.Context;
import dev.gopatterns.pool.JobOptions;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Scheduler;
import dev.gopatterns.pool.Task;
import dev.gopatterns.pool.WorkerPool;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a delayed job costs when it is due at once: schedule a job with a delay of zero, and wait for its result,
 * through {@link Scheduler#after} in front of a one-worker {@link WorkerPool}, through that pool's {@code submit}
 * alone (the scheduler's share is the difference), and through a one-thread {@code ScheduledThreadPoolExecutor}'s
 * {@code schedule(task, 0, NANOSECONDS).get()}.
 *
 * <pre>{@code
 * // Go:                                                // here:
 * done := make(chan int, 1)                             // scheduler.after(ctx, Duration.ZERO, opts, task).result()
 * time.AfterFunc(0, func() { jobs <- job })             // job sends its result on done
 * v := <-done
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per round trip from the JMH thread: the job is handed over, run by the one
 * worker, and its result comes back. Nothing queues, so every round trip wakes at least one other thread and is
 * woken back.
 * <ul>
 *   <li>{@code scheduler}: {@code Scheduler.after(ctx, Duration.ZERO, JobOptions.defaults(), task).result()}: the
 *       entry goes into the scheduling thread's heap and wakes it; it submits the job to the pool (a job context, a
 *       {@code Job} handle), whose worker runs it; {@code result()} waits on the handle. The scheduling thread and
 *       the worker are virtual threads; the JMH thread is a platform thread.
 *   <li>{@code submit}: {@code pool.submit(ctx, task).result()} on the same kind of pool, no scheduler.
 *   <li>{@code ScheduledThreadPoolExecutor}: {@code new ScheduledThreadPoolExecutor(1)} (a platform worker over its
 *       delay queue), {@code schedule(callable, 0, NANOSECONDS).get()}.
 * </ul>
 *
 * <p><b>Why:</b> a job scheduled for "now" (a retry with no backoff left, a timer already late) takes this path;
 * its cost beyond a plain submit is what the scheduling thread adds.
 *
 * <p><b>Checked:</b> every round trip must end {@code Ok} with the task's own value, so a job that was lost,
 * cancelled or run twice fails the run; the task counts its runs, which must equal the round trips after every
 * iteration.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement). The 3 rows take about 1 minute.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Scheduler_01}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Scheduler_01_ScheduleFire {

    /** What the task returns; the benchmark checks that it came back. */
    static final Object RESULT = "fired";

    @Param({"scheduler", "submit", "ScheduledThreadPoolExecutor"})
    public String impl;

    private final Context ctx = Context.background();
    /** Written by the worker, read by the JMH thread after the result: ordered by the handle or the future. */
    private long runs;
    private long roundTrips;

    private WorkerPool pool;
    private Scheduler scheduler;
    private ScheduledThreadPoolExecutor executor;
    private Task<Object> task;
    private Callable<Object> callable;

    @Setup(Level.Trial)
    public void make() {
        task = c -> {
            runs++;
            return RESULT;
        };
        callable = () -> task.run(ctx);
        switch (impl) {
            case "scheduler" -> {
                pool = WorkerPool.builder().workers(1).build();
                scheduler = Scheduler.builder(pool).build();
            }
            case "submit" -> pool = WorkerPool.builder().workers(1).build();
            case "ScheduledThreadPoolExecutor" -> executor = new ScheduledThreadPoolExecutor(1);
            default -> throw new IllegalArgumentException(
                    "unknown impl \"" + impl + "\"; known: scheduler, submit, ScheduledThreadPoolExecutor");
        }
    }

    @Benchmark
    public Object roundTrip() throws Exception {
        roundTrips++;
        Object v = switch (impl) {
            case "scheduler" -> value(scheduler.after(ctx, Duration.ZERO, JobOptions.defaults(), task).result());
            case "submit" -> value(pool.submit(ctx, task).result());
            default -> executor.schedule(callable, 0, TimeUnit.NANOSECONDS).get();
        };
        if (v != RESULT) {
            throw new AssertionError(impl + ": the job returned " + v + ", not the task's value");
        }
        return v;
    }

    private static Object value(Result<Object> r) {
        if (r instanceof Result.Ok<Object>(Object v)) {
            return v;
        }
        throw new AssertionError("the job ended " + r + ", not Ok");
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (runs != roundTrips) {
            throw new AssertionError(impl + ": " + roundTrips + " round trips ran the task " + runs + " times");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (executor != null) {
            executor.close();
        }
    }
}
