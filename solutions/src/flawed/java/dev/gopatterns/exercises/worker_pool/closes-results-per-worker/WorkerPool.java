/*
 * Flawed solution of exercise `worker_pool`.
 * Mistake: each worker closes the results channel when its own range over the jobs ends (no WaitGroup).
 * Verdict: results channel closed by each worker
 */
package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import java.util.function.Function;

public final class WorkerPool {

    private WorkerPool() {}

    public static <J, R> ReceiveChannel<R> run(int workers, ReceiveChannel<J> jobs, Function<J, R> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        Channel<R> results = Channel.make(0);
        for (int w = 0; w < workers; w++) {
            Thread.ofVirtual().start(() -> {
                try {
                    for (J job : jobs) {
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        results.close(); // this worker is done... but the others may not be
                    } catch (RuntimeException closedAlready) {
                        // another worker closed it first
                    }
                }
            });
        }
        return results;
    }
}
