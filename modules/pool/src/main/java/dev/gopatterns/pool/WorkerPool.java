package dev.gopatterns.pool;

import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * A pool of workers that run submitted {@link Task}s, with a bounded queue in front of them: Go's worker pool
 * (a jobs channel, N goroutines ranging over it, a WaitGroup), as one object that also counts, cancels and shuts
 * down properly.
 *
 * <pre>{@code
 * // Go:                                          // Java:
 * jobs := make(chan Job, 100)                     try (WorkerPool pool = WorkerPool.builder()
 * for w := 0; w < 4; w++ {                                .workers(4).queueCapacity(100).build()) {
 *     wg.Add(1)                                       Job<Report> job = pool.submit(ctx, c -> fetch(c, url));
 *     go func() { defer wg.Done()                     ...
 *         for j := range jobs { run(ctx, j) }         job.result();            // Ok, Failed or Cancelled
 *     }()                                         }                            // graceful: drains, then joins
 * }
 * jobs <- job; close(jobs); wg.Wait()
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Nothing is lost.</b> Every submission is either rejected at once (an exception or a
 *       {@link Submission.Rejected} naming the reason) or accepted, and every accepted job ends with exactly one
 *       {@link Result}: it ran and returned ({@code Ok}), it threw ({@code Failed}), or it was cancelled, before or
 *       while running ({@code Cancelled}). A job that throws never kills its worker.
 *   <li><b>Backpressure.</b> The queue is bounded: {@link #submit} waits for room (and gives up when the caller's
 *       context ends), {@link #trySubmit} rejects with {@code QUEUE_FULL}, and {@link #onSubmit} is the submission
 *       as a {@code select} case, so a producer can wait for "room in the pool" and "told to quit" at once.
 *   <li><b>Graceful shutdown</b> ({@link #shutdown}, {@link #close}): no new jobs; the queue is drained, every
 *       queued job runs; then the workers end. <b>Immediate shutdown</b> ({@link #shutdownNow}): no new jobs; the
 *       pool's context is cancelled, so running jobs are interrupted; queued jobs end {@code Cancelled} without
 *       running and are handed back. The end of the pool's parent context is an immediate shutdown too.
 *   <li><b>Nothing outlives the pool.</b> When {@link #close} or a successful {@link #awaitTermination} returns,
 *       every worker thread has ended.
 *   <li>{@link #metrics()} is one consistent snapshot; its invariants hold at every instant ({@link PoolMetrics}).
 *   <li>Memory consistency effects: actions of a thread prior to submitting a job happen-before the job's actions;
 *       the job's actions happen-before the return of anything that observes its result.
 * </ul>
 *
 * <p>Where it differs from Go: a Go pool is a pattern, not a type, and leaves counting, cancelling and draining
 * to the program; here they are the pool's job. Compared with {@link java.util.concurrent.ThreadPoolExecutor}: the
 * queue is always bounded, the workers are virtual threads by default, a job gets a {@link Context} rather than a
 * {@code Future.cancel(true)}, and queued jobs cancelled by {@code shutdownNow} still complete their handles.
 */
public interface WorkerPool extends AutoCloseable {

    /** A builder with safe defaults: 4 virtual-thread workers, a queue of 4 per worker, no parent context. */
    static Builder builder() {
        return new Builder();
    }

    /** A pool of {@code workers} virtual-thread workers with the default queue. */
    static WorkerPool fixed(int workers) {
        return builder().workers(workers).build();
    }

    /**
     * Submits {@code task}, waiting for room in the queue if it is full.
     *
     * @throws RejectedException    "pool: submit after shutdown" if the pool is, or is while waiting, shut down
     * @throws ContextException     if {@code ctx} ends before the job is accepted; nothing was submitted
     * @throws InterruptedException if interrupted while waiting; nothing was submitted
     */
    <T> Job<T> submit(Context ctx, Task<T> task) throws InterruptedException;

    /** {@link #submit(Context, Task)} with a context that never ends. */
    default <T> Job<T> submit(Task<T> task) throws InterruptedException {
        return submit(Context.background(), task);
    }

    /** Submits {@code task} only if the queue has room now; never blocks. */
    <T> Submission<T> trySubmit(Task<T> task);

    /**
     * A {@link dev.gopatterns.chan.Select} case that submits {@code task} when the queue has room, and then returns
     * {@code then.apply(job)}. If another case fires first, nothing is submitted. If the pool is shut down, the
     * select throws {@link RejectedException}: select on the pool only while it runs, or also on your own quit
     * channel. Go: {@code case jobs <- job:}.
     */
    <T, R> SelectCase<R> onSubmit(Task<T> task, Function<? super Job<T>, ? extends R> then);

    /** Graceful shutdown: stop accepting; queued jobs still run. Does not wait; idempotent. */
    void shutdown();

    /**
     * Immediate shutdown: stop accepting, cancel the pool's context (running jobs are interrupted), and end every
     * queued job {@code Cancelled} without running it. Does not wait for running jobs; idempotent.
     *
     * @return the queued jobs this call cancelled, in queue order: they never ran and may be submitted again
     */
    List<Job<?>> shutdownNow();

    /** Waits until every worker has ended, after a shutdown. */
    void awaitTermination() throws InterruptedException;

    /** Waits up to {@code timeout} for every worker to end; returns whether they all have. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Whether a shutdown has begun. */
    boolean isShutdown();

    /** Whether the pool is shut down and every worker has ended. */
    boolean isTerminated();

    /** A consistent snapshot of the pool's counters. */
    PoolMetrics metrics();

    /**
     * The pool's context: every job's context is a child of it. It ends at {@link #shutdownNow}, when the parent
     * ends, or when the pool has terminated.
     */
    Context context();

    /**
     * Graceful shutdown, then waits for every worker to end. If interrupted while waiting, it shuts down
     * immediately and keeps waiting, then sets the interrupt flag again, as {@code ExecutorService.close} does.
     */
    @Override
    void close();

    /** Configures a {@link WorkerPool}. Every setting has a safe default. */
    final class Builder {
        int workers = 4;
        int queueCapacity = -1;
        ThreadFactory threadFactory;
        Clock clock = Clock.system();
        Context parent = Context.background();
        String name = "pool";

        Builder() {}

        /** The number of workers, {@code >= 1}; default 4. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("pool: workers must be >= 1, was " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * How many accepted jobs may wait for a worker, {@code >= 0}; default 4 per worker. 0 is Go's unbuffered
         * jobs channel: a submission waits until a worker takes it. There is no unbounded queue: that would hide
         * overload until memory runs out.
         */
        public Builder queueCapacity(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("pool: queue capacity must be >= 0, was " + n);
            }
            this.queueCapacity = n;
            return this;
        }

        /** Where worker threads come from; default virtual threads named {@code NAME-worker-N}. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /** The clock for the pool's timing; a {@code FakeClock} in tests. Default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The parent of the pool's context: when it ends, the pool shuts down immediately. */
        public Builder parent(Context parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /** A name for threads and messages; default "pool". */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Starts the pool's workers. */
        public WorkerPool build() {
            return new FixedPool(this);
        }
    }
}
