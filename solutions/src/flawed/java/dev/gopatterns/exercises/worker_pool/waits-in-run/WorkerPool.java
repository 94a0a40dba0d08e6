/*
 * Flawed solution of exercise `worker_pool`.
 * Mistake: run itself waits for the workers (wg.await(), then close) before it returns the results channel; the
 * workers block on their first send, which nobody can receive yet.
 * Verdict: run did not return within 1 s
 */
package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.sync.WaitGroup;
import java.util.function.Function;

public final class WorkerPool {

    private WorkerPool() {}

    public static <J, R> ReceiveChannel<R> run(int workers, ReceiveChannel<J> jobs, Function<J, R> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        Channel<R> results = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < workers; w++) {
            wg.go(() -> {
                try {
                    for (J job : jobs) {
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            wg.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        results.close();
        return results;
    }
}
