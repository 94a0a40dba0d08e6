/*
 * Flawed solution of exercise `semaphore_bound`.
 * Mistake: runAll waits for units in a loop of tryAcquire (checking the context and the interrupt flag) instead of parking in acquire.
 * Verdict: it polls instead of waiting in units.acquire
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
                while (!units.tryAcquire(job.weight())) { // not free yet: try again
                    ctx.throwIfDone();
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    Thread.onSpinWait();
                }
                started.add(threads.submit(() -> {
                    try {
                        job.work().run();
                    } finally {
                        units.release(job.weight());
                    }
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
