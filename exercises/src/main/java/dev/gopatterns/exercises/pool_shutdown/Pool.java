package dev.gopatterns.exercises.pool_shutdown;

import dev.gopatterns.context.Context;
import java.util.List;

/**
 * Exercise `pool_shutdown`: a worker pool that can be shut down two ways, and loses no job either way.
 *
 * <p>The rules of {@code Pool}:
 * <ol>
 *   <li>The constructor refuses {@code workers < 1} ({@code "workers must be >= 1, was 0"}) and {@code capacity < 0},
 *       makes the pool's context from the caller's ({@code Context.withCancel(parent)}), a queue channel of
 *       {@code capacity} jobs, and starts {@code workers} workers. Each worker takes jobs from the queue and runs
 *       {@code work.run(ctx, job)} with the pool's context; a job that throws does not stop its worker.
 *   <li>{@link #submit} queues a job, waiting while the queue is full; after shutdown it throws
 *       {@code ChannelClosedException}.
 *   <li>{@link #shutdown} is graceful: no more jobs are accepted, every queued job still runs, and it returns once
 *       every worker has ended.
 *   <li>{@link #shutdownNow} is immediate: it cancels the pool's context, so running jobs see their context end;
 *       no worker starts another job; it returns once every worker has ended, with every queued job that was not
 *       run. No job is lost: each submitted job has either run or been handed back.
 *   <li>When the caller's context ends, the pool stops as with {@code shutdownNow}; {@code shutdown} then hands
 *       back the jobs that did not run.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check pool_shutdown}
 *
 * @param <J> the job type
 */
public final class Pool<J> {

    /** A job's work. It is given the pool's context, and returns or throws soon after that context ends. */
    @FunctionalInterface
    public interface Work<J> {
        void run(Context ctx, J job) throws Exception;
    }

    /**
     * Starts {@code workers} workers over a queue of {@code capacity} jobs.
     *
     * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 0}
     */
    public Pool(Context parent, int workers, int capacity, Work<J> work) {
        throw new UnsupportedOperationException("TODO: keep Context.withCancel(parent), make the"
                + " queue Channel.make(capacity), start `workers` workers with a WaitGroup");
    }

    /**
     * Queues {@code job}, waiting while the queue is full.
     *
     * @throws dev.gopatterns.chan.ChannelClosedException after shutdown ("send on closed channel")
     */
    public void submit(J job) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: submit: send the job on the queue");
    }

    /**
     * Graceful: accepts no more jobs, lets the workers run every queued job, and returns once they have all ended.
     *
     * @return the jobs that were not run: none, unless the caller's context ended meanwhile
     */
    public List<J> shutdown() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: shutdown: close the queue, wait for the"
                + " workers, return what is left");
    }

    /**
     * Immediate: cancels the pool's context (the running jobs see it end), stops the workers, and returns once they
     * have all ended.
     *
     * @return every job that was queued and not run
     */
    public List<J> shutdownNow() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: shutdownNow: cancel the pool's context, close"
                + " the queue, wait for the workers, hand back every job not run");
    }
}
