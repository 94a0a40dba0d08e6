package dev.gopatterns.pool;

import dev.gopatterns.context.Context;

/**
 * A job's work: Go's {@code func(ctx context.Context) (T, error)}. It receives the job's context, which ends when
 * the job is {@linkplain Job#cancel() cancelled}, when the pool is shut down immediately, or when the pool's parent
 * context ends; while the job runs, the end of that context also interrupts its thread.
 *
 * @param <T> the job's result
 */
@FunctionalInterface
public interface Task<T> {
    /**
     * Does the work. Throw to fail the job: the exception becomes the job's {@link Result.Failed}, and the worker
     * goes on with the next job.
     */
    T run(Context ctx) throws Exception;
}
