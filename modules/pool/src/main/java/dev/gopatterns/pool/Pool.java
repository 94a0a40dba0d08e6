package dev.gopatterns.pool;

import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Policy;
import dev.gopatterns.resilience.Retry;
import dev.gopatterns.resilience.RetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** {@link WorkerPool#builder()}'s pool: workers over one {@link JobQueue}, of whatever shape the builder chose. */
final class Pool implements WorkerPool {
    /*
     * A worker loops: (in a rate-limited pool, wait for a token), take a job (the queue counts it running), start
     * it (a CAS that loses to a cancel of a queued job), run it with a fresh cancellable context, count it (in the
     * same locked section that hands over the next job, if one is ready), then complete its handle: counted before
     * completed, so whoever sees a result sees it in the metrics. A job that throws becomes Failed and the worker
     * goes on: nothing a job does ends its worker.
     *
     * A job's context carries the pool's values but is not registered as a child of the pool's context: that
     * registration (and a Context.call hook per job) took two contended locks and a dozen allocations per job.
     * Instead the pool cancels running jobs itself: shutdownNow cancels the pool's context, then sweeps the
     * workers and cancels the job each one is running; a worker, after it publishes its current job, checks the
     * pool's context, so a job starting during the sweep is caught by one side or the other (volatile write then
     * read on both sides). Interrupts go through the worker's claim (Worker), exactly once per job; a job with a
     * timeout has one Context.afterFunc hook that interrupts it through the same claim.
     *
     * Rate limiting, as in Go's worker loop, takes the job and then waits for a token: a worker never holds a
     * token without a job, so N idle workers cannot start N jobs at once when the limiter's burst is smaller. The
     * job counts as waiting (not running) until its token comes; and it is counted and completed before its
     * worker waits for the next token.
     *
     * The pool's context ends at shutdownNow, when the parent ends (a watcher registered with Context.afterFunc
     * then shuts the pool down immediately), or when the pool has terminated.
     */

    /** The cause a job cancelled through its handle reports. */
    private static final Throwable CANCELLED_BY_HANDLE = cancelledError();

    private final String name;
    private final PoolShape shape;
    private final CancellableContext ctx;
    /** The parent of every job's context: the pool's values and clock, without its cancellation. */
    private final Context jobParent;
    private final long defaultTimeoutNanos;
    private final Limiter limiter;
    /** Where failed jobs go, besides their handles; null if nowhere. */
    private final DeadLetters<FailedJob<?>> deadLetters;
    private final JobQueue queue;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Counted down when the parent watcher has run, or was stopped unrun. */
    private final CountDownLatch watcherDone = new CountDownLatch(1);
    private final Context.Stop watcher;

    Pool(WorkerPool.Builder b) {
        this.name = b.name;
        this.shape = b.shape();
        this.ctx = Context.withCancel(b.parent());
        this.jobParent = Context.withoutCancel(ctx);
        this.defaultTimeoutNanos = b.jobTimeout == null ? -1 : b.jobTimeout.toNanos();
        this.limiter = b.limiter;
        this.deadLetters = b.deadLetters;
        ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name(b.name + "-worker-", 1).factory();
        this.queue = new JobQueue(ctx.clock(), shape, b.limiter != null, w -> factory.newThread(() -> work(w)));
        try {
            queue.startWorkers(shape);
        } catch (RuntimeException | Error e) {
            queue.shutdown(); // the workers that did start drain nothing and exit
            ctx.cancel();
            throw e;
        }
        // Registered only now that the workers exist: with a parent that is already done, it runs at once.
        this.watcher = Context.afterFunc(ctx, () -> {
            try {
                shutdownNow();
            } finally {
                watcherDone.countDown();
            }
        });
    }

    // ------------------------------------------------------------------------------------------ submitting

    @Override
    public <T> Job<T> submit(Context callerCtx, JobOptions options, Task<T> task) throws InterruptedException {
        Objects.requireNonNull(callerCtx, "ctx");
        PoolJob<T> job = newJob(options, task);
        callerCtx.throwIfDone();
        Submission.Reason refused = queue.tryOffer(job, false);
        if (refused == null) {
            return job; // the common case: room now, no select needed
        }
        if (refused == Submission.Reason.SHUT_DOWN) {
            throw new RejectedException(refused);
        }
        boolean accepted = Select.select(queue.offerCase(job, () -> true), callerCtx.onDone(() -> false));
        if (!accepted) {
            callerCtx.throwIfDone();
        }
        return job;
    }

    @Override
    public <T> Submission<T> trySubmit(JobOptions options, Task<T> task) {
        PoolJob<T> job = newJob(options, task);
        Submission.Reason refused = queue.tryOffer(job, true);
        return refused == null ? new Submission.Accepted<>(job) : new Submission.Rejected<>(refused);
    }

    @Override
    public <T, R> SelectCase<R> onSubmit(JobOptions options, Task<T> task,
                                         Function<? super Job<T>, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        PoolJob<T> job = newJob(options, task);
        return queue.offerCase(job, () -> then.apply(job));
    }

    private <T> PoolJob<T> newJob(JobOptions options, Task<T> task) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(task, "task");
        if (options.priority() >= shape.levels()) {
            throw new IllegalArgumentException("pool: priority must be < " + shape.levels()
                    + " (the pool's priority levels), was " + options.priority());
        }
        if (!shape.canRun(options.requirements())) {
            throw new IllegalArgumentException("pool: no worker has the capabilities " + options.requirements()
                    + " (this pool has " + shape.offered() + ")");
        }
        long timeout = options.timeout().map(Duration::toNanos).orElse(defaultTimeoutNanos);
        Policy policy = options.policy();
        Task<T> attempt = policy == Policy.none() ? task : ctx -> policy.call(ctx, task::run);
        Retry retry = options.retry();
        if (retry.maxAttempts() == 1) {
            return new PoolJob<>(this, attempt, options, task, timeout);
        }
        if (deadLetters == null) {
            return new PoolJob<>(this, ctx -> retry.call(ctx, attempt::run), options, task, timeout);
        }
        // The dead letter needs every attempt's failure: this operation's own listener keeps them on the job when it
        // gives up, in the worker that then reads them (one thread). `job.it` is written here and published to the
        // worker by the queue's hand-off. The policy object stays the caller's, so its counts include this job.
        var job = new Object() {
            PoolJob<T> it;
        };
        job.it = new PoolJob<>(this, ctx -> retry.call(ctx, attempt::run, e -> {
            if (e instanceof RetryEvent.GaveUp g) {
                job.it.history = g.errors();
            }
        }), options, task, timeout);
        return job.it;
    }

    /**
     * Adds a failed job to the dead letters, waiting while they are full, until the pool is shut down immediately.
     * A letter that cannot be added (shut down, closed, an interrupt from outside) is dropped from the queue only:
     * the job's handle still reports the failure.
     */
    private <T> void toDeadLetters(PoolJob<T> job, Throwable error) {
        List<Throwable> failures = job.history != null ? job.history : List.of(error);
        DeadLetter<FailedJob<?>> letter = new DeadLetter<>(name, new FailedJob<>(job.id, job.options,
                job.submitted), failures, failures.size(), ctx.clock().nanoTime());
        try {
            deadLetters.add(ctx, letter);
        } catch (InterruptedException e) {
            // an outside interrupt: ignored by workers, as in take(); one last try, which a close can still beat
            try {
                deadLetters.offer(letter);
            } catch (ChannelClosedException closed) {
                // closed meanwhile: the handle reports the failure
            }
        } catch (ContextException | ChannelClosedException e) {
            // shut down immediately while it waited, or the queue was closed: the handle reports the failure
        }
    }

    // -------------------------------------------------------------------------------------------- workers

    private void work(Worker w) {
        try {
            PoolJob<?> next = null;
            for (;;) {
                if (next == null) {
                    next = queue.take(w);
                    if (next == null) {
                        break;
                    }
                }
                if (limiter != null && !awaitToken(next, w)) {
                    next = null; // handed back by shutdownNow while it waited for its token
                    continue;
                }
                next = runAndFinish(next, w);
            }
        } finally {
            if (queue.exited(w)) {
                terminated();
            }
        }
    }

    /**
     * Waits for a rate token before {@code job} starts, until the pool stops (then the job does not start: run()
     * sees the pool's context done). A limiter that fails (a burst set to 0 meanwhile) fails the job, not the worker.
     * Returns false if shutdownNow took the job back while it waited.
     */
    private boolean awaitToken(PoolJob<?> job, Worker w) {
        try {
            limiter.await(ctx);
        } catch (ContextException e) {
            // shut down immediately: shutdownNow has taken the job back, or run() ends it Cancelled, unstarted
        } catch (InterruptedException e) {
            // from outside the pool (it interrupts only for a running job): ignored, as in take()
        } catch (RuntimeException | Error e) {
            job.tokenFailure = e;
        }
        return queue.started(w, job);
    }

    /**
     * Runs a job, counts it, then completes its handle (in that order, so whoever sees the result sees it counted);
     * returns the next job if one was ready when it was counted.
     */
    private <T> PoolJob<?> runAndFinish(PoolJob<T> job, Worker w) {
        Result<T> r = run(job, w);
        if (r == null) {
            return null; // it never started, and is counted and completed already
        }
        if (deadLetters != null && r instanceof Result.Failed<T>(Throwable error)) {
            toDeadLetters(job, error); // before the handle completes: whoever sees the failure finds the letter
        }
        PoolJob<?> next = null;
        if (limiter == null) {
            next = queue.finishAndPoll(w, job, r);
        } else {
            queue.finish(job, r); // the next job waits for a token, and this result must not wait with it
        }
        job.complete(r);
        return next;
    }

    /**
     * Runs a job the queue counted as running and returns its result, not yet counted or completed; or null if
     * its handle cancelled it while it was queued (then it is counted here, and completed by the canceller).
     */
    private <T> Result<T> run(PoolJob<T> job, Worker w) {
        if (ctx.isDone()) { // shut down immediately, or the parent ended: queued jobs do not start
            if (job.tryCancelUnstarted()) {
                return new Result.Cancelled<>(ctx.err().orElseThrow(), false);
            }
            queue.neverStarted(job);
            return null;
        }
        if (job.tokenFailure != null && job.tryCancelUnstarted()) {
            return new Result.Failed<>(job.tokenFailure); // never ran: the rate limiter failed
        }
        CancellableContext jobCtx = job.tryStart(jobParent, w);
        if (jobCtx == null) {
            queue.neverStarted(job); // its handle cancelled it while it was queued, and completes it
            return null;
        }
        w.enter(job);
        // A cancel between the start and enter() found no job on this worker to interrupt, and shutdownNow's sweep
        // may have passed it: so look again, now that the job is published (each side writes, then reads the
        // other's variable, so at least one of them sees the other).
        if (ctx.isDone()) {
            jobCtx.cancel();
        }
        Context.Stop timeoutHook = job.timeoutNanos > 0 ? Context.afterFunc(jobCtx, () -> w.interrupt(job)) : null;
        if (jobCtx.isDone()) {
            w.interrupt(job);
        }
        Result<T> r;
        try {
            r = ok(job.task.run(jobCtx));
        } catch (Throwable t) {
            r = jobCtx.isDone() && isCancellation(t)
                    ? new Result.Cancelled<>(jobCtx.err().orElseThrow(), true)
                    : new Result.Failed<>(t);
        } finally {
            if (timeoutHook != null) {
                timeoutHook.stop();
            }
            w.leave(job);
        }
        return r;
    }

    /** {@code Ok(null)}, the result of every {@code Task<Void>}: one shared instance (a record: equal to any other). */
    private static final Result.Ok<Object> OK_NULL = new Result.Ok<>(null);

    @SuppressWarnings("unchecked")
    private static <T> Result<T> ok(T value) {
        return value == null ? (Result<T>) OK_NULL : new Result.Ok<>(value);
    }

    /** An exception by which a job reports that it stopped because its context ended. */
    private static boolean isCancellation(Throwable t) {
        return t instanceof InterruptedException || t instanceof UncheckedInterruptedException
                || t instanceof ContextException;
    }

    /** Called by a job's handle that cancelled it before it started. */
    void cancelledWhileQueued(PoolJob<?> job) {
        queue.cancelledWhileQueued(job);
        completeCancelled(job, CANCELLED_BY_HANDLE);
    }

    private static <T> void completeCancelled(PoolJob<T> job, Throwable cause) {
        job.complete(new Result.Cancelled<>(cause, false));
    }

    // ------------------------------------------------------------------------------------------- resizing

    @Override
    public void resize(int min, int max) {
        shape.checkResizable();
        WorkerPool.Builder.checkBounds(min, max, !shape.groups().isEmpty());
        queue.resize(min, max);
    }

    // ------------------------------------------------------------------------------------------- shutdown

    @Override
    public void shutdown() {
        if (queue.shutdown()) {
            terminated();
        }
    }

    @Override
    public List<Job<?>> shutdownNow() {
        if (!stopped.compareAndSet(false, true)) {
            shutdown();
            return List.of();
        }
        List<PoolJob<?>> drained = queue.shutdownAndDrain();
        ctx.cancel();
        for (Worker w : queue.workers()) { // the running jobs: cancel their contexts and interrupt them
            PoolJob<?> running = w.current();
            if (running != null) {
                running.cancelRunning();
            }
        }
        Throwable cause = ctx.err().orElseThrow();
        for (PoolJob<?> job : drained) {
            completeCancelled(job, cause);
        }
        if (queue.allExited()) {
            terminated();
        }
        return List.copyOf(drained);
    }

    /** The last worker has exited after shutdown: release the watcher and the registration on the parent. */
    private void terminated() {
        if (ended.compareAndSet(false, true)) {
            if (watcher != null && watcher.stop()) {
                watcherDone.countDown();
            }
            ctx.cancel();
        }
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        queue.awaitTermination(Long.MAX_VALUE);
        watcherDone.await();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return queue.awaitTermination(Math.max(0, timeout.toNanos()))
                && watcherDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Joins {@code threads}, by {@code deadline} on {@link System#nanoTime()} (MAX_VALUE: no limit). */
    static boolean joinAll(List<Thread> threads, long deadline) throws InterruptedException {
        for (Thread t : threads) {
            if (deadline == Long.MAX_VALUE) {
                t.join();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    if (t.isAlive()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public boolean isShutdown() {
        return queue.snapshotShutdown();
    }

    @Override
    public boolean isTerminated() {
        return queue.allExited() && watcherDone.getCount() == 0;
    }

    @Override
    public PoolMetrics metrics() {
        return queue.snapshot();
    }

    @Override
    public Context context() {
        return ctx;
    }

    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        for (;;) {
            try {
                awaitTermination();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    shutdownNow();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + ", " + metrics() + "]";
    }

    private static Throwable cancelledError() {
        CancellableContext c = Context.withCancel(Context.background());
        c.cancel();
        return c.err().orElseThrow();
    }
}
