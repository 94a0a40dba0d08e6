package dev.gopatterns.pool;

import java.util.Objects;

/**
 * A job that ended {@link Result.Failed}, as it was submitted: the item of the pool's
 * {@linkplain WorkerPool.Builder#deadLetters dead letters}, with what it takes to submit it again.
 *
 * <pre>{@code
 * dlq.replay(ctx, (c, letter) -> letter.item().resubmit(c, pool));
 * }</pre>
 *
 * <p>Go equivalent: the job value a Go pool keeps in its dead-letter struct so an operator can send it to the jobs
 * channel again. Immutable; the task is shared as it was submitted, so replaying it runs the same code again.
 *
 * @param id      the job's number in the pool it failed in
 * @param options its options (with its retry and policy)
 * @param task    its task, as it was submitted
 * @param <T>     the job's value
 */
public record FailedJob<T>(long id, JobOptions options, Task<T> task) {

    /** Checks the components. */
    public FailedJob {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(task, "task");
    }

    /** Submits the job again, with its options, to {@code pool} (the one it failed in, or another). */
    public Job<T> resubmit(dev.gopatterns.context.Context ctx, WorkerPool pool) throws InterruptedException {
        return pool.submit(ctx, options, task);
    }

    @Override
    public String toString() {
        return "job " + id;
    }
}
