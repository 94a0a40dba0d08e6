package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.Channel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code ./learn bench worker_pool}: your {@code WorkerPool.run} beside the reference's. Each invocation feeds
 * {@value #JOBS} jobs through a buffered jobs channel to {@code workers} workers, each job a little CPU work
 * ({@code Blackhole.consumeCPU}), and drains every result; the score is nanoseconds per job.
 *
 * <p>On two cores, 2 and 8 workers should cost about the same per job: the work is CPU-bound, so more workers
 * only add hand-offs. A pool that is much slower than the reference usually polls (a {@code tryReceive} loop), or
 * serializes its workers on a lock, or starts a thread per job.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class WorkerPoolBench {

    static final int JOBS = 4096;

    @Param({"2", "8"})
    public int workers;

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public long run() throws InterruptedException {
        Channel<Integer> jobs = Channel.make(64);
        Thread.ofVirtual().start(() -> {
            try {
                for (int j = 0; j < JOBS; j++) {
                    jobs.send(j);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                jobs.close();
            }
        });
        long sum = 0;
        int count = 0;
        for (long r : WorkerPool.run(workers, jobs.receiveOnly(), (Integer j) -> {
            Blackhole.consumeCPU(200);
            return (long) j;
        })) {
            sum += r;
            count++;
        }
        if (count != JOBS) {
            throw new IllegalStateException("the pool returned " + count + " results of " + JOBS + " jobs");
        }
        return sum;
    }
}
