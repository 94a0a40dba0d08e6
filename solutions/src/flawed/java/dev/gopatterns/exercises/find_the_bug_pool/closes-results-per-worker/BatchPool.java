/*
 * Flawed solution of exercise `find_the_bug_pool` (a half-fixed BatchPool).
 * Mistake: the jobs channel is now closed, but each worker still closes the results channel when its own range ends.
 * Verdict: the results channel was closed while jobs were still running
 */
package dev.gopatterns.exercises.find_the_bug_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

public final class BatchPool {

    private BatchPool() {}

    /**
     * Runs every job on {@code workers} workers and returns their results, in the order they finished.
     * {@code work} must not return {@code null}.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <J, R> List<R> runAll(int workers, List<J> jobs, Function<J, R> work) throws InterruptedException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        Channel<J> queue = Channel.make(jobs.size());
        for (J job : jobs) {
            queue.send(job);
        }
        queue.close(); // fix 1: the workers' range ends once the jobs are taken
        Channel<R> results = Channel.make(jobs.size());
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < workers; w++) {
            wg.go(() -> {
                try {
                    for (J job : queue) {
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException | UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        results.close();
                    } catch (RuntimeException closedAlready) {
                        // another worker was first
                    }
                }
            });
        }
        List<R> out = new ArrayList<>();
        for (R r : results) {
            out.add(r);
        }
        return out;
    }
}
