package dev.gopatterns.jmh;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Two long-lived threads, both platform or both virtual, that each run one batch of work per {@link #runBatch()}.
 * This is how the benchmarks put the code under test on virtual threads although JMH's own threads are platform
 * threads: the JMH thread only starts a batch on both workers and waits for both to finish it, and the benchmark
 * reports the batch time divided by its size ({@code @OperationsPerInvocation}). Platform threads use the same
 * harness, so the two rows differ only in the kind of thread.
 *
 * <p>Cost of the harness: per batch, two semaphore releases and one acquire by the JMH thread, that is three
 * wake-ups: about 35 us per batch on platform threads and 10 us on virtual ones, measured with empty batches on
 * 2 cores. The batch sizes keep that near or under 1% of the batch time even for the fastest implementation; see
 * each benchmark's javadoc.
 *
 * <p>Failure and shutdown rules:
 * <ul>
 *   <li>An exception in either batch fails {@link #runBatch()} with that exception as its cause, at once, without
 *       waiting for the other worker, which may now be blocked forever on its peer.
 *   <li>A batch that has not finished after {@link #BATCH_TIMEOUT} fails {@link #runBatch()} with both workers'
 *       stack traces: a lost wake-up in the code under test shows up as a failed benchmark, not a hung build.
 *   <li>If the JMH thread is interrupted (JMH's own iteration timeout), {@link #runBatch()} throws
 *       {@link InterruptedException}.
 *   <li>{@link #close()} interrupts both workers, whatever they are doing, and joins them; a worker that does not
 *       end within {@link #JOIN_TIMEOUT} makes {@code close} throw, naming the thread. Nothing outlives the trial.
 *       Platform workers are daemons, so even then they cannot keep a JMH fork alive.
 * </ul>
 *
 * <p>Memory consistency effects: actions of the JMH thread before {@link #runBatch()} happen-before the batches it
 * starts, and the batches happen-before {@link #runBatch()} returns (semaphore release/acquire).
 */
final class ThreadPair {

    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** One worker's share of a batch. */
    @FunctionalInterface
    interface Batch {
        void run() throws Exception;
    }

    private final Thread first;
    private final Thread second;
    private final Semaphore goFirst = new Semaphore(0);
    private final Semaphore goSecond = new Semaphore(0);
    /** One permit per worker per finished batch, whether it succeeded or failed. */
    private final Semaphore done = new Semaphore(0);
    /** The first failure of any batch; once set, the pair is broken and every later runBatch fails. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Starts two workers of the given kind.
     *
     * @param threads "platform" or "virtual"
     * @param name    prefix of the threads' names, for thread dumps
     */
    ThreadPair(String threads, String name, Batch firstBatch, Batch secondBatch) {
        Thread.Builder builder = switch (threads) {
            case "platform" -> Thread.ofPlatform().daemon(true);
            case "virtual" -> Thread.ofVirtual();
            default -> throw new IllegalArgumentException("threads must be platform or virtual, was \"" + threads + "\"");
        };
        first = builder.name(name + "-1").unstarted(() -> work(goFirst, firstBatch));
        second = builder.name(name + "-2").unstarted(() -> work(goSecond, secondBatch));
        first.start();
        second.start();
    }

    private void work(Semaphore go, Batch batch) {
        try {
            for (;;) {
                go.acquire();
                try {
                    batch.run();
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, e);
                    throw e; // interrupted mid-batch: by close(), so end, as below
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.release();
                }
            }
        } catch (InterruptedException e) {
            // close() asked this worker to end, and ending is how it obeys; keep the flag for whoever looks.
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one batch on each worker and returns when both have finished it. */
    void runBatch() throws Exception {
        Throwable earlier = failure.get();
        if (earlier != null) {
            throw new IllegalStateException("an earlier batch failed; the pair is broken", earlier);
        }
        goFirst.release();
        goSecond.release();
        // Usually one timed park (two: the first worker to finish wakes us too early). Only a batch slower than
        // the poll interval loops here, checking for a failed worker and for the deadline.
        long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
        while (!done.tryAcquire(2, 100, TimeUnit.MILLISECONDS)) {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("a batch failed: " + t, t);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("a batch did not finish within " + BATCH_TIMEOUT
                        + " (lost wake-up or deadlock in the code under test?)\n" + dump(first) + dump(second));
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a batch failed: " + t, t);
        }
    }

    /** Interrupts both workers and waits for them to end. Idempotent. */
    void close() throws InterruptedException {
        first.interrupt();
        second.interrupt();
        for (Thread t : new Thread[] {first, second}) {
            if (!t.join(JOIN_TIMEOUT)) {
                throw new IllegalStateException(
                        "worker did not end within " + JOIN_TIMEOUT + " of being interrupted\n" + dump(t));
            }
        }
    }

    private static String dump(Thread t) {
        return t + " " + t.getState() + Arrays.stream(t.getStackTrace())
                .map(f -> "\n\tat " + f)
                .collect(Collectors.joining()) + "\n";
    }
}
