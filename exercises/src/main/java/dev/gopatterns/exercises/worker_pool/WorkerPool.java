package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.ReceiveChannel;
import java.util.function.Function;

/**
 * Exercise `worker_pool`: a worker pool, as in Go by Example: a jobs channel, {@code workers} workers ranging over it, a
 * results channel, and a {@link dev.gopatterns.sync.WaitGroup} that says when to close it.
 *
 * <p>The rules of {@link #run}:
 * <ol>
 *   <li>Fewer than 1 worker is refused at once: {@code IllegalArgumentException("workers must be >= 1, was 0")}.
 *   <li>It starts {@code workers} workers and returns the results channel at once, without waiting for any job.
 *   <li>Each worker ranges over {@code jobs}, and sends {@code work.apply(job)} on the results channel for each
 *       job it takes. So every job is run exactly once, at most {@code workers} at a time.
 *   <li>A worker ends when {@code jobs} is closed and drained; the pool leaves no thread behind.
 *   <li>The results channel is closed exactly once, after the last worker has ended, so the caller's range over
 *       it ends after the last result.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check worker_pool}
 */
public final class WorkerPool {

    private WorkerPool() {}

    /**
     * Starts {@code workers} workers over {@code jobs} and returns the channel their results come out of; it is
     * closed once every worker has ended. {@code work} must not return {@code null}.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <J, R> ReceiveChannel<R> run(int workers, ReceiveChannel<J> jobs, Function<J, R> work) {
        throw new UnsupportedOperationException("TODO: make a results channel, start `workers`"
                + " workers with a WaitGroup (each: for (J job : jobs) results.send(work.apply(job))), then a closer"
                + " thread: wg.await(), results.close(); return results at once");
    }
}
