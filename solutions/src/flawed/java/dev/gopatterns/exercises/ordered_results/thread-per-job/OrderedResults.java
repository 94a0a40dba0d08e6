/*
 * Flawed solution of exercise `ordered_results`.
 * Mistake: a thread per job instead of `workers` workers: nothing bounds how many run at once.
 * Verdict: at most 2 jobs may run at once
 */
package dev.gopatterns.exercises.ordered_results;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        // The jobs channel carries indexes: a worker that takes index i owns slot i, so order costs no lock.
        Channel<Integer> indexes = Channel.make(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            indexes.send(i);
        }
        indexes.close();
        @SuppressWarnings("unchecked")
        Result<R>[] slots = new Result[jobs.size()];
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < jobs.size(); w++) {
            wg.go(() -> {
                try {
                    for (int i : indexes) {
                        slots[i] = attempt(work, jobs.get(i));
                    }
                } catch (UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        wg.await(); // everything a worker wrote happens-before this returns
        return Arrays.stream(slots).map(Objects::requireNonNull).toList();
    }

    /** The job's result; its exception, whatever it is, stays in its slot and does not reach the worker. */
    private static <J, R> Result<R> attempt(Work<J, R> work, J job) {
        try {
            return new Result.Ok<>(work.apply(job));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the worker's next receive sees it and ends
            return new Result.Failed<>(e);
        } catch (Exception e) {
            return new Result.Failed<>(e);
        }
    }
}
