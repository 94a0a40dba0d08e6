package dev.gopatterns.exercises.ordered_results;

import java.util.List;

/**
 * Exercise `ordered_results`: a bounded pool whose results come back in the order the jobs were given, one per job, with a
 * job's failure in its own slot.
 *
 * <p>The rules of {@link #runAll}:
 * <ol>
 *   <li>Fewer than 1 worker is refused at once: {@code IllegalArgumentException("workers must be >= 1, was 0")}.
 *   <li>Every job runs exactly once, on one of {@code workers} workers: at most {@code workers} at once.
 *   <li>The result list has one entry per job, in the order of {@code jobs}, whatever order the jobs finish in:
 *       {@link Result.Ok} with the job's value, or {@link Result.Failed} with what it threw.
 *   <li>A job that throws does not kill its worker, and does not stop the other jobs.
 *   <li>{@code runAll} returns once every job has ended.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check ordered_results}
 */
public final class OrderedResults {

    private OrderedResults() {}

    /** What one job came to: its value, or what it threw. Never {@code null}. */
    public sealed interface Result<R> {
        /** The job returned {@code value}. */
        record Ok<R>(R value) implements Result<R> {}

        /** The job threw {@code error}. */
        record Failed<R>(Exception error) implements Result<R> {}
    }

    /** One job's work. */
    @FunctionalInterface
    public interface Work<J, R> {
        R apply(J job) throws Exception;
    }

    /**
     * Runs every job on {@code workers} workers and returns one result per job, in the order of {@code jobs}.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     * @throws InterruptedException     if the calling thread is interrupted while it waits (the workers then
     *                                  finish the jobs on their own)
     */
    public static <J, R> List<Result<R>> runAll(int workers, List<J> jobs, Work<J, R> work)
            throws InterruptedException {
        throw new UnsupportedOperationException("TODO: send the jobs' indexes on a closed channel,"
                + " start `workers` workers that each take an index i and fill slot i with Ok or Failed (catch per"
                + " job), wait for them, return the slots in order");
    }
}
