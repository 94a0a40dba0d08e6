package dev.gopatterns.exercises.find_the_bug_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Exercise `find_the_bug_pool`, fixed. The two bugs of the shipped version, and their fixes:
 * <ol>
 *   <li>The jobs channel was never closed, so every worker's range over it waited forever once the jobs ran out:
 *       the results were right, and the workers leaked. Fix: {@code queue.close()} after sending the jobs.
 *   <li>Each worker closed the results channel when its own range ended, so the first worker to end closed it
 *       while the others were still running, and their sends failed ("send on closed channel"). Fix: close it
 *       once, after every worker has ended ({@code wg.await()}), or not at all, since the caller counts.
 * </ol>
 *
 * <p>How to run: {@code ./learn check find_the_bug_pool --solution}
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
                }
            });
        }
        wg.await(); // every worker has ended...
        results.close(); // fix 2: ...so this one close cannot cut a send short
        List<R> out = new ArrayList<>();
        for (R r : results) {
            out.add(r);
        }
        return out;
    }
}
