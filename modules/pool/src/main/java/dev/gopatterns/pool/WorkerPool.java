package dev.gopatterns.pool;

import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.resilience.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
public interface WorkerPool extends AutoCloseable, Metered {

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
     * @throws RejectedException        "pool: submit after shutdown" if the pool is, or is while waiting, shut down
     * @throws ContextException         if {@code ctx} ends before the job is accepted; nothing was submitted
     * @throws InterruptedException     if interrupted while waiting; nothing was submitted
     * @throws IllegalArgumentException if the options ask for a priority or capabilities the pool does not have
     */
    <T> Job<T> submit(Context ctx, JobOptions options, Task<T> task) throws InterruptedException;

    /** {@link #submit(Context, JobOptions, Task)} with {@link JobOptions#defaults()}. */
    default <T> Job<T> submit(Context ctx, Task<T> task) throws InterruptedException {
        return submit(ctx, JobOptions.defaults(), task);
    }

    /** {@link #submit(Context, Task)} with a context that never ends. */
    default <T> Job<T> submit(Task<T> task) throws InterruptedException {
        return submit(Context.background(), task);
    }

    /** Submits {@code task} only if the queue has room now; never blocks. */
    <T> Submission<T> trySubmit(JobOptions options, Task<T> task);

    /** {@link #trySubmit(JobOptions, Task)} with {@link JobOptions#defaults()}. */
    default <T> Submission<T> trySubmit(Task<T> task) {
        return trySubmit(JobOptions.defaults(), task);
    }

    /**
     * A {@link dev.gopatterns.chan.Select} case that submits {@code task} when the queue has room, and then returns
     * {@code then.apply(job)}. If another case fires first, nothing is submitted. If the pool is shut down, the
     * select throws {@link RejectedException}: select on the pool only while it runs, or also on your own quit
     * channel. Go: {@code case jobs <- job:}.
     */
    <T, R> SelectCase<R> onSubmit(JobOptions options, Task<T> task, Function<? super Job<T>, ? extends R> then);

    /** {@link #onSubmit(JobOptions, Task, Function)} with {@link JobOptions#defaults()}. */
    default <T, R> SelectCase<R> onSubmit(Task<T> task, Function<? super Job<T>, ? extends R> then) {
        return onSubmit(JobOptions.defaults(), task, then);
    }

    /**
     * Changes how many general (capability-less) workers the pool keeps: at least {@code min}, growing on load up to
     * {@code max}. New workers start at once up to {@code min}; surplus idle workers retire at once, busy ones when
     * their job ends: a running job is never interrupted by a resize. Waiting submitters are admitted if the
     * bigger pool has room. Capability groups keep their sizes.
     *
     * @throws IllegalArgumentException if {@code min < 0}, {@code max < min}, or {@code max < 1} in a pool with no
     *                                  capability group
     * @throws IllegalStateException    "pool: resize after shutdown", or if the pool's workers have their own
     *                                  queues (a {@link Distribution} other than {@code shared}), which live as
     *                                  long as the pool
     */
    void resize(int min, int max);

    /** {@link #resize(int, int)} to a fixed size. */
    default void resize(int workers) {
        resize(workers, workers);
    }

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
     * The same consistent snapshot, in the project's one metrics vocabulary (see {@link PoolMetrics#toSnapshot()}
     * for its names), for a {@link dev.gopatterns.metrics.HealthCheck}, {@link dev.gopatterns.metrics.Alerts} or
     * the Micrometer binding.
     */
    @Override
    default Snapshot snapshot() {
        return metrics().toSnapshot();
    }

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

    /**
     * Configures a {@link WorkerPool}. Every setting has a safe default, and the combination is checked when
     * {@link #build()} is called.
     *
     * <p>Choosing a kind (see docs/worker-pool.md for when each wins):
     * <ul>
     *   <li><b>fixed</b>: {@code workers(n)}: n workers for the pool's life (unless {@link WorkerPool#resize}d);
     *   <li><b>dynamic</b>: {@code workers(min, max)} with {@link #idleTimeout}: grows when a job finds no idle
     *       worker, and a worker idle longer than the timeout retires, down to {@code min};
     *   <li><b>priority</b>: {@code priorities(levels)} with {@link #aging}; jobs name their level in
     *       {@link JobOptions#priority};
     *   <li><b>capability-routed</b>: {@link #workerGroup} declares workers with capabilities; a job that
     *       {@linkplain JobOptions#requires requires} some runs only on a worker that has them all;
     *   <li><b>rate-limited</b>: {@link #rateLimit} bounds how fast jobs start;
     *   <li><b>per-worker queues</b>: {@link #distribution} gives each of {@code workers(n)} workers its own queue
     *       and chooses the worker for each job (round-robin, least-loaded, random, weighted).
     * </ul>
     * They combine: a dynamic, rate-limited priority pool is one builder. Per-worker queues combine only with a fixed
     * pool of general workers at one priority level (rate limits and timeouts are fine).
     */
    final class Builder {
        private int minWorkers = 4;
        private int maxWorkers = 4;
        private boolean workersSet;
        private int queueCapacity = -1;
        private Duration idleTimeout = Duration.ofSeconds(10);
        private int priorities = 1;
        private Duration aging = Duration.ofSeconds(1);
        private final List<Worker.Template> groups = new ArrayList<>();
        private Duration window = Duration.ofSeconds(10);
        private Clock clock;
        private Context parent;
        private Distribution distribution = Distribution.shared();
        Duration jobTimeout;
        Limiter limiter;
        DeadLetters<FailedJob<?>> deadLetters;
        ThreadFactory threadFactory;
        String name = "pool";

        Builder() {}

        /** A fixed number of general workers, {@code >= 1}; default 4. */
        public Builder workers(int n) {
            return workers(n, n);
        }

        /**
         * A dynamic pool: at least {@code min} general workers ({@code >= 0}), growing on load to {@code max}. A new
         * worker starts when a job finds none idle; one idle for {@link #idleTimeout} retires, down to {@code min}.
         */
        public Builder workers(int min, int max) {
            checkBounds(min, max, false);
            this.minWorkers = min;
            this.maxWorkers = max;
            this.workersSet = true;
            return this;
        }

        static void checkBounds(int min, int max, boolean hasGroups) {
            if (min < 0) {
                throw new IllegalArgumentException("pool: workers must be >= 0, was " + min);
            }
            if (max < min) {
                throw new IllegalArgumentException("pool: max workers must be >= min workers, was " + max + " < "
                        + min);
            }
            if (max < 1 && !hasGroups) {
                throw new IllegalArgumentException("pool: workers must be >= 1, was " + max);
            }
        }

        /** How long a worker above the minimum may stay idle before it retires, {@code > 0}; default 10 s. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /**
         * A group of {@code n} workers with {@code capabilities}, fixed in size; may be called for several groups.
         * A pool with groups has no general workers unless {@link #workers} is also called.
         */
        public Builder workerGroup(int n, String... capabilities) {
            if (n < 1) {
                throw new IllegalArgumentException("pool: a worker group needs >= 1 workers, was " + n);
            }
            java.util.SortedSet<String> caps = new TreeSet<>();
            for (String c : capabilities) {
                caps.add(Objects.requireNonNull(c, "capability"));
            }
            if (caps.isEmpty()) {
                throw new IllegalArgumentException("pool: a worker group needs at least one capability"
                        + " (general workers are set with workers(n))");
            }
            groups.add(new Worker.Template(n, java.util.Collections.unmodifiableSortedSet(caps), false));
            return this;
        }

        /**
         * How many accepted jobs may wait for a worker, {@code >= 0}; default 4 per worker (at the maximum size). 0
         * is Go's unbuffered jobs channel: a submission waits until a worker takes it. There is no unbounded queue:
         * that would hide overload until memory runs out.
         */
        public Builder queueCapacity(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("pool: queue capacity must be >= 0, was " + n);
            }
            this.queueCapacity = n;
            return this;
        }

        /** Priority levels, {@code >= 1} (default 1: plain FIFO); jobs use levels 0 to {@code levels - 1}. */
        public Builder priorities(int levels) {
            if (levels < 1) {
                throw new IllegalArgumentException("pool: priority levels must be >= 1, was " + levels);
            }
            this.priorities = levels;
            return this;
        }

        /**
         * How long a waiting job takes to rise one priority level, {@code > 0}; default 1 s. A job of level 0 in a
         * pool of L levels is treated as top priority after waiting {@code (L - 1) * aging}, so it is never
         * starved by a stream of higher-priority jobs.
         */
        public Builder aging(Duration perLevel) {
            this.aging = positive(perLevel, "aging");
            return this;
        }

        /** A time limit for every job's run, unless its {@link JobOptions#timeout} says otherwise; default none. */
        public Builder jobTimeout(Duration limit) {
            this.jobTimeout = positive(limit, "job timeout");
            return this;
        }

        /**
         * Bounds how fast jobs start: as in Go's worker loop, a worker takes a job and then waits for a token from
         * {@code limiter} before starting it (a job waiting for its token counts as waiting). A worker never holds
         * a token without a job, so in any span of time at most {@code burst + rate * span} jobs start, however
         * many workers are idle. The queue stays bounded, so submitters feel the backpressure. The limiter's clock
         * should be the pool's.
         */
        public Builder rateLimit(Limiter limiter) {
            Objects.requireNonNull(limiter, "limiter");
            if (limiter.burst() < 1 && limiter.limit() != Limiter.INF) {
                throw new IllegalArgumentException("pool: the rate limiter's burst must be >= 1 (with 0 no job could"
                        + " ever start), was " + limiter.burst());
            }
            this.limiter = limiter;
            return this;
        }

        /**
         * How jobs are spread over the workers: {@link Distribution#shared()} (the default: one queue) or a queue
         * per worker with a strategy that picks each job's worker. Per-worker queues need {@code workers(n)}, no
         * {@link #workerGroup} and one priority level; {@link #build()} checks.
         */
        public Builder distribution(Distribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        /**
         * Where jobs that end {@link Result.Failed} go, besides their handles: each becomes a
         * {@link dev.gopatterns.resilience.DeadLetter} of {@link FailedJob} (the task and options as submitted,
         * every attempt's failure oldest first, the attempts made, the pool's name as its source), added by the
         * worker before it
         * completes the job's handle, so whoever sees the failure finds the letter. A full queue makes the worker
         * wait (back-pressure: a letter is never dropped to make room); if the pool is shut down immediately
         * while it waits, or the queue is closed, that letter is not added, and the job's handle reports the
         * failure as it always does. Cancelled jobs are not dead letters: they were stopped, not given up on.
         * Replay with {@code dlq.replay(ctx, (c, l) -> l.item().resubmit(c, pool))}.
         */
        public Builder deadLetters(DeadLetters<FailedJob<?>> queue) {
            this.deadLetters = Objects.requireNonNull(queue, "deadLetters");
            return this;
        }

        /** The span {@link PoolMetrics#throughput()} is measured over, {@code > 0}; default 10 s. */
        public Builder metricsWindow(Duration window) {
            this.window = positive(window, "metrics window");
            return this;
        }

        /** Where worker threads come from; default virtual threads named {@code NAME-worker-N}. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /**
         * The clock for the pool's timing (timeouts, idle retirement, metrics); a {@code FakeClock} in tests.
         * Default: the parent context's clock, which is {@link Clock#system()} for {@code Context.background()}.
         * Setting both a clock and a parent with a different clock is an error: a pool keeps one time.
         */
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
            return new Pool(this);
        }

        Context parent() {
            if (parent == null) {
                return clock == null ? Context.background() : Context.background(clock);
            }
            if (clock != null && parent.clock() != clock) {
                throw new IllegalArgumentException("pool: the clock must be the parent context's clock"
                        + " (use parent(Context.background(clock)))");
            }
            return parent;
        }

        PoolShape shape() {
            int min = minWorkers;
            int max = maxWorkers;
            if (!groups.isEmpty() && !workersSet) {
                min = 0;
                max = 0;
            }
            distribution.check(min, max, groups, priorities);
            int fixed = groups.stream().mapToInt(Worker.Template::count).sum();
            int capacity = queueCapacity >= 0 ? queueCapacity : 4 * (fixed + max);
            return new PoolShape(List.copyOf(groups), new Worker.Template(0, Set.of(), true), min, max,
                    idleTimeout.toNanos(), capacity, priorities, priorities > 1 ? aging.toNanos() : 0, window,
                    distribution);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("pool: " + what + " must be > 0, was " + d);
            }
            return d;
        }
    }
}
