/*
 * Flawed solution of exercise `ordered_results`.
 * Mistake: each worker adds its result to a shared list as the job finishes, so the results come in the order the jobs finish.
 * Verdict: results must come back in submission order
 */
package dev.gopatterns.exercises.ordered_results;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.Arrays;
import java.util.ArrayList;
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
        List<Result<R>> finished = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            wg.go(() -> {
                try {
                    for (int i : indexes) {
                        Result<R> r = attempt(work, jobs.get(i));
                        synchronized (finished) {
                            finished.add(r);
                        }
                    }
                } catch (UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        wg.await(); // everything a worker wrote happens-before this returns
        return finished;
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
