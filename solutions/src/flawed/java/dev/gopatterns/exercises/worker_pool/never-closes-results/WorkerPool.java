/*
 * Flawed solution of exercise `worker_pool`.
 * Mistake: nobody closes the results channel, so the caller's range over it never ends.
 * Verdict: the results channel was never closed
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
                }
            });
        }
        return results;
    }
}
