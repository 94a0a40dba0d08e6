package dev.gopatterns.exercises.find_the_bug_pool;

import dev.gopatterns.chan.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Exercise `find_the_bug_pool`: find the bugs. This pool was written in a hurry, and it seems to work: give it jobs, get their
 * results. Its tests fail nonetheless. Read README.md for the symptoms, then fix the code so that every rule below
 * holds; the fix is small.
 *
 * <p>The rules of {@link #runAll}:
 * <ol>
 *   <li>Fewer than 1 worker is refused at once: {@code IllegalArgumentException("workers must be >= 1, was 0")}.
 *   <li>Every job is run exactly once, on one of {@code workers} workers (at most {@code workers} at once), and its
 *       result is in the list returned (in any order).
 *   <li>When {@code runAll} returns, every worker has ended: the pool leaves no thread behind.
 *   <li>A job that finishes early does not cut the others short.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check find_the_bug_pool}
 */
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
        for (int w = 0; w < workers; w++) {
            Thread.ofVirtual().name("batch worker " + w).start(() -> {
                try {
                    for (J job : queue) {
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    results.close(); // no more results from this worker
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
