/*
 * Flawed solution of exercise `find_the_bug_pool` (a half-fixed BatchPool).
 * Mistake: the results channel is fixed (closed once, after wg.await()), but the jobs channel is still never closed: the workers wait forever for more jobs, so wg.await() never returns... unless the consumer counts, as this one does, and the workers leak.
 * Verdict: a pool that leaks workers
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
                }
            });
        }
        List<R> out = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            out.add(results.receive());
        }
        return out;
    }
}
