/*
 * Flawed solution of exercise `semaphore_bound`.
 * Mistake: the release is in a finally around the submit in runAll's loop, so the units come back as soon as the job is started, not when it ends, and nothing is bounded.
 * Verdict: not in the loop that starts it
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
                try {
                    started.add(threads.submit(job.work()));
                } finally {
                    units.release(job.weight()); // release in a finally, however the job ends
                }
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
