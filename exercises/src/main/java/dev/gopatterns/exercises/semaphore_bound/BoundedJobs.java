package dev.gopatterns.exercises.semaphore_bound;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.Semaphore;
import java.util.List;

/**
 * Exercise `semaphore_bound`: bound the work in flight with a weighted semaphore.
 *
 * <p>Some jobs are heavier than others: a report that needs four database connections, a lookup that needs one.
 * A pool of four connections bounds the work by weight, not by count: four lookups may run side by side, or one
 * report alone. A weighted {@link Semaphore} is that pool: {@code acquire(ctx, n)} takes {@code n} units, waiting
 * until they are free or until the context ends, and {@code release(n)} gives them back. Its waiters are served in
 * order of arrival, so a big job that is waiting is not overtaken, and starved, by a stream of small ones.
 *
 * <p>The rules of {@link #runAll}:
 * <ol>
 *   <li>A job heavier than the whole semaphore ({@code weight > units.size()}) could never run: refuse it before
 *       starting any job, with {@code IllegalArgumentException} naming the job, its weight and the size.
 *   <li>In list order, for each job: take its weight in units with {@code units.acquire(ctx, weight)}, then start
 *       it in a thread of its own, which gives the units back ({@code units.release(weight)}) however the job ends.
 *       So at most {@code units.size()} units of work are in flight, and no job starts before one listed earlier.
 *   <li>Return once every job has finished.
 *   <li>If {@code ctx} ends (or has ended) while waiting for units: start no more jobs, wait for the ones running
 *       to finish, then throw the context's error. If the thread is interrupted while it waits: the same, but
 *       throw {@code InterruptedException}.
 *   <li>If a job throws, anything at all: its units still come back, the other jobs still run, and once every job
 *       has finished, throw {@code IllegalStateException} naming the job, with what it threw as the cause.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check semaphore_bound}
 */
public final class BoundedJobs {

    private BoundedJobs() {}

    /**
     * A piece of work that holds {@code weight} units while it runs. The work should not throw (failing fast was
     * exercise `errgroup_fetch`'s subject); if it does, even a checked exception it was not declared to throw, its
     * units still come back, the other jobs still run, and {@link #runAll} reports it once they have finished.
     */
    public record Job(String name, long weight, Runnable work) {}

    /**
     * Runs every job, in list order, each as soon as its units are free, with at most {@code units.size()} units
     * in use at once. Go: {@code units.Acquire(ctx, w)} before {@code go job()}, {@code defer units.Release(w)} in it.
     *
     * @throws IllegalArgumentException if a job weighs more than {@code units.size()}; no job is started
     * @throws ContextException         if {@code ctx} ends before every job could start; the jobs already started
     *                                  have finished
     * @throws InterruptedException     if the calling thread is interrupted while it waits; the jobs already
     *                                  started have finished
     * @throws IllegalStateException    if a job threw: "job 'name' threw, but jobs must not", with what the first
     *                                  one in list order threw as the cause; every job has run and finished
     */
    public static void runAll(Context ctx, Semaphore units, List<Job> jobs) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: check the weights, then for each job in order"
                + " units.acquire(ctx, weight) and start it in its own thread, releasing in finally; wait for all");
    }
}
