package dev.gopatterns.jmh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * N long-lived threads, all platform or all virtual, that each run one batch of work per {@link #runBatch()}: the
 * harness of every benchmark whose work must run on virtual threads, because JMH's own threads are platform threads.
 * The JMH thread only starts a batch on every worker and waits for all of them to finish it; the benchmark reports
 * the batch time divided by its size ({@code @OperationsPerInvocation}). Platform threads use the same harness, so
 * the two rows differ only in the kind of thread. {@link ThreadPair} is the two-worker case.
 *
 * <p>Cost of the harness: per batch, one semaphore release per worker and one acquire by the JMH thread, that is
 * N + 1 wake-ups: for two workers about 35 us per batch on platform threads and 10 us on virtual ones, measured
 * with empty batches on 2 cores, and roughly proportional to N. Each benchmark's batch size keeps that near or
 * under 1% of the batch time; see its javadoc.
 *
 * <p>Failure and shutdown rules:
 * <ul>
 *   <li>An exception in any batch fails {@link #runBatch()} with that exception as its cause, at once, without
 *       waiting for the other workers, which may now be blocked forever on their peers.
 *   <li>A batch that has not finished after {@link #BATCH_TIMEOUT} fails {@link #runBatch()} with every worker's
 *       stack trace: a lost wake-up in the code under test shows up as a failed benchmark, not a hung build.
 *   <li>If the JMH thread is interrupted (JMH's own iteration timeout), {@link #runBatch()} throws
 *       {@link InterruptedException}.
 *   <li>{@link #close()} interrupts every worker, whatever it is doing, and joins it; a worker that does not end
 *       within {@link #JOIN_TIMEOUT} makes {@code close} throw, naming the thread. Nothing outlives the trial.
 *       Platform workers are daemons, so even then they cannot keep a JMH fork alive.
 * </ul>
 *
 * <p>Memory consistency effects: actions of the JMH thread before {@link #runBatch()} happen-before the batches it
 * starts, and the batches happen-before {@link #runBatch()} returns (semaphore release/acquire).
 */
final class ThreadTeam {

    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** One worker's share of a batch. */
    @FunctionalInterface
    interface Batch {
        void run() throws Exception;
    }

    private final List<Thread> workers = new ArrayList<>();
    /** One "go" semaphore per worker, released once per batch. */
    private final List<Semaphore> go = new ArrayList<>();
    /** One permit per worker per finished batch, whether it succeeded or failed. */
    private final Semaphore done = new Semaphore(0);
    /** The first failure of any batch; once set, the team is broken and every later runBatch fails. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Starts one worker of the given kind per batch.
     *
     * @param threads "platform" or "virtual"
     * @param name    prefix of the threads' names, for thread dumps
     */
    ThreadTeam(String threads, String name, Batch... batches) {
        if (batches.length == 0) {
            throw new IllegalArgumentException("a team needs at least one batch");
        }
        Thread.Builder builder = switch (threads) {
            case "platform" -> Thread.ofPlatform().daemon(true);
            case "virtual" -> Thread.ofVirtual();
            default -> throw new IllegalArgumentException("threads must be platform or virtual, was \"" + threads + "\"");
        };
        for (int i = 0; i < batches.length; i++) {
            Semaphore mine = new Semaphore(0);
            Batch batch = batches[i];
            go.add(mine);
            workers.add(builder.name(name + "-" + (i + 1)).unstarted(() -> work(mine, batch)));
        }
        workers.forEach(Thread::start);
    }

    private void work(Semaphore mine, Batch batch) {
        try {
            for (;;) {
                mine.acquire();
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

    /** Runs one batch on each worker and returns when all have finished it. */
    void runBatch() throws Exception {
        Throwable earlier = failure.get();
        if (earlier != null) {
            throw new IllegalStateException("an earlier batch failed; the team is broken", earlier);
        }
        go.forEach(Semaphore::release);
        // Usually one timed park (more: an early finisher wakes us too early). Only a batch slower than the poll
        // interval loops here, checking for a failed worker and for the deadline.
        long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
        while (!done.tryAcquire(workers.size(), 100, TimeUnit.MILLISECONDS)) {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("a batch failed: " + t, t);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("a batch did not finish within " + BATCH_TIMEOUT
                        + " (lost wake-up or deadlock in the code under test?)\n"
                        + workers.stream().map(ThreadTeam::dump).collect(Collectors.joining()));
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a batch failed: " + t, t);
        }
    }

    /** Interrupts every worker and waits for it to end. Idempotent. */
    void close() throws InterruptedException {
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
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
