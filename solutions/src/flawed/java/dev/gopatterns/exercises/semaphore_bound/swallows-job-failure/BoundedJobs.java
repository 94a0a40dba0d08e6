/*
 * Flawed solution of exercise `semaphore_bound`.
 * Mistake: runAll submits the jobs and closes the executor, but never looks at their Futures, so a job's exception stays inside its Future and runAll returns normally.
 * Verdict: a job's failure must reach the caller
 */
package dev.gopatterns.exercises.semaphore_bound;

import dev.gopatterns.context.Context;
import dev.gopatterns.sync.Semaphore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public final class BoundedJobs {

    private BoundedJobs() {}

    /** A piece of work that holds {@code weight} units while it runs. */
    public record Job(String name, long weight, Runnable work) {}

    public static void runAll(Context ctx, Semaphore units, List<Job> jobs) throws InterruptedException {
        for (Job job : jobs) {
            if (job.weight() > units.size()) {
                throw new IllegalArgumentException("job '" + job.name() + "' weighs " + job.weight()
                        + ", more than the " + units.size() + " units there are: it could never run");
            }
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Job job : jobs) {
                units.acquire(ctx, job.weight());
                threads.submit(() -> {
                    try {
                        job.work().run();
                    } finally {
                        units.release(job.weight());
                    }
                });
            }
        }
    }
}
