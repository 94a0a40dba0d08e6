package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.function.Function;

/**
 * Exercise `worker_pool`, solved: a worker pool, as in Go by Example.
 *
 * <p>Go equivalent: see README.md in the exercise's directory. How to run: {@code ./learn check worker_pool --solution}
 */
public final class WorkerPool {

    private WorkerPool() {}

    /**
     * Starts {@code workers} workers over {@code jobs} and returns the channel their results come out of; it is
     * closed once every worker has ended. {@code work} must not return {@code null}.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <J, R> ReceiveChannel<R> run(int workers, ReceiveChannel<J> jobs, Function<J, R> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        Channel<R> results = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < workers; w++) {
            wg.go(() -> { // add(1) before the thread starts, done() when it ends
                try {
                    for (J job : jobs) { // ends when jobs is closed and drained
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException | UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt(); // asked to stop: end, keeping the flag
                }
            });
        }
        // The one place results is closed: after the last worker has ended, so no send can follow the close.
        Thread.ofVirtual().name("worker pool closer").start(() -> {
            try {
                wg.await();
                results.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return results.receiveOnly();
    }
}
