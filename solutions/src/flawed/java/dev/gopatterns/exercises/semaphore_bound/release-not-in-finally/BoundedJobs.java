/*
 * Flawed solution of exercise `semaphore_bound`.
 * Mistake: the job's thread releases its units on the line after the work, so a job that throws never gives them back.
 * Verdict: give the units back in a finally
 */
package dev.gopatterns.exercises.semaphore_bound;

import dev.gopatterns.context.Context;
import dev.gopatterns.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        List<Future<?>> started = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Job job : jobs) {
                units.acquire(ctx, job.weight());
                started.add(threads.submit(() -> {
                    job.work().run();
                    units.release(job.weight()); // the job is done: give its units back
                }));
            }
        }
        for (int i = 0; i < started.size(); i++) {
            if (started.get(i).state() == Future.State.FAILED) {
                throw new IllegalStateException("job '" + jobs.get(i).name() + "' threw, but jobs must not",
                        started.get(i).exceptionNow());
            }
        }
    }
}
