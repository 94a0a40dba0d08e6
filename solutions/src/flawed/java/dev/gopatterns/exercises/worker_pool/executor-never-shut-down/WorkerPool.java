/*
 * Flawed solution of exercise `worker_pool`.
 * Mistake: the workers are the threads of an Executors.newFixedThreadPool that nobody shuts down: the results are
 * right, but its threads wait for more tasks forever.
 * Verdict: THREAD LEAK
 */
package dev.gopatterns.exercises.worker_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

public final class WorkerPool {

    private WorkerPool() {}

    public static <J, R> ReceiveChannel<R> run(int workers, ReceiveChannel<J> jobs, Function<J, R> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        Channel<R> results = Channel.make(0);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch ended = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            pool.execute(() -> {
                try {
                    for (J job : jobs) {
                        results.send(work.apply(job));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ended.countDown();
                }
            });
        }
        Thread.ofVirtual().start(() -> {
            try {
                ended.await();
                results.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return results;
    }
}
