package dev.gopatterns.exercises.semaphore_bound;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exercise `semaphore_bound`, reference solution: bound the work in flight with a weighted semaphore.
 *
 * <p>Why the bound holds: a job starts only after its units were acquired, and gives them back only when it has
 * finished, so the units held are always at least the weight of the jobs running, and the semaphore never hands
 * out more than its size.
 *
 * <p>Why a big job is not starved: this thread acquires for the jobs one at a time, in list order, and waits in
 * {@code acquire} until the current job's units are free. A small job listed after a big one cannot start first,
 * even when a unit or two would be free for it, because nobody asks for its units before the big job has its own.
 * (The semaphore itself is first come, first served too: with many threads acquiring, a waiting big request is not
 * overtaken by smaller ones that arrive later.)
 *
 * <p>Why nothing outlives the call: the executor's {@code close()} at the end of the try-with-resources block waits
 * for every job started, also when {@code acquire} throws because the context ended.
 *
 * <p>How to run: {@code ./learn check semaphore_bound --solution}
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
        for (Job job : jobs) {
            if (job.weight() > units.size()) {
                // acquire would wait for it until the context ends: refuse before anything has started
                throw new IllegalArgumentException("job '" + job.name() + "' weighs " + job.weight()
                        + ", more than the " + units.size() + " units there are: it could never run");
            }
        }
        List<Future<?>> started = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Job job : jobs) {
                units.acquire(ctx, job.weight()); // waits its turn; throws if ctx ends first
                started.add(threads.submit(() -> {
                    try {
                        job.work().run();
                    } finally {
                        units.release(job.weight()); // Go: defer units.Release(w)
                    }
                }));
            }
        } // waits for every job started, on every path
        // A job's exception would otherwise stay inside its Future, unseen. Jobs must not throw; say so if one did.
        for (int i = 0; i < started.size(); i++) {
            if (started.get(i).state() == Future.State.FAILED) {
                throw new IllegalStateException("job '" + jobs.get(i).name() + "' threw, but jobs must not",
                        started.get(i).exceptionNow());
            }
        }
    }
}
