/*
 * Flawed solution of exercise `semaphore_bound`.
 * Mistake: acquire is inside the try whose finally gives the units back if the job was not started, so when acquire throws (context ended, interrupt) runAll releases units it never took.
 * Verdict: units were given back that were never taken
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
                boolean submitted = false;
                try {
                    units.acquire(ctx, job.weight());
                    started.add(threads.submit(() -> {
                        try {
                            job.work().run();
                        } finally {
                            units.release(job.weight());
                        }
                    }));
                    submitted = true;
                } finally {
                    if (!submitted) {
                        units.release(job.weight()); // the job never started: do not keep its units
                    }
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
