package dev.gopatterns.pool;

import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** {@link WorkerPool#builder()}'s pool: a fixed number of workers over one {@link JobQueue}. */
final class FixedPool implements WorkerPool {
    /*
     * A worker loops: take a job (the queue counts it running), start it (a CAS that loses to a cancel of a queued
     * job), run it with a fresh cancellable context, count it, complete its handle. A job that throws becomes
     * Failed and the worker goes on: nothing a job does ends its worker.
     *
     * A job's context carries the pool's values but is not registered as a child of the pool's context: that
     * registration (and a Context.call hook per job) took two contended locks and a dozen allocations per job.
     * Instead the pool cancels running jobs itself: shutdownNow cancels the pool's context, then sweeps the
     * workers and cancels the job each one is running; a worker, after it publishes its current job, checks the
     * pool's context, so a job starting during the sweep is caught by one side or the other (volatile write then
     * read on both sides). Interrupts go through the worker's claim (Worker), exactly once per job.
     *
     * The pool's context ends at shutdownNow, when the parent ends (a watcher registered with Context.afterFunc
     * then shuts the pool down immediately), or when the last worker exits. The watcher is counted in `live`, so
     * awaitTermination waits for it too, and after termination no thread of the pool is left.
     */

    /** The cause a job cancelled through its handle reports. */
    private static final Throwable CANCELLED_BY_HANDLE = cancelledError();

    private final String name;
    private final int workerCount;
    private final CancellableContext ctx;
    /** The parent of every job's context: the pool's values and clock, without its cancellation. */
    private final Context jobParent;
    private final JobQueue queue;
    private final List<Thread> threads;
    private final List<Worker> workers;
    /** The workers and the parent watcher: counted down as each ends (the watcher: or is stopped unrun). */
    private final CountDownLatch live;
    private final AtomicInteger workersLeft;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Context.Stop watcher;

    FixedPool(WorkerPool.Builder b) {
        this.name = b.name;
        this.workerCount = b.workers;
        this.ctx = Context.withCancel(b.parent);
        this.jobParent = Context.withoutCancel(ctx);
        int capacity = b.queueCapacity >= 0 ? b.queueCapacity : 4 * b.workers;
        this.queue = new JobQueue(capacity, b.workers);
        this.workersLeft = new AtomicInteger(b.workers);
        ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name(b.name + "-worker-", 1).factory();
        this.live = new CountDownLatch(b.workers + 1);
        List<Thread> started = new ArrayList<>(b.workers);
        List<Worker> made = new ArrayList<>(b.workers);
        try {
            for (int i = 0; i < b.workers; i++) {
                Worker w = new Worker();
                Thread t = factory.newThread(() -> work(w));
                if (t == null) {
                    throw new IllegalStateException("pool: the thread factory returned null");
                }
                w.thread = t;
                started.add(t);
                made.add(w);
            }
        } catch (RuntimeException | Error e) {
            ctx.cancel(); // nothing was started: release the registration on the parent
            throw e;
        }
        this.threads = List.copyOf(started);
        this.workers = List.copyOf(made);
        // Registered only now that the workers exist: with a parent that is already done, it runs at once.
        this.watcher = Context.afterFunc(ctx, () -> {
            try {
                shutdownNow();
            } finally {
                live.countDown();
            }
        });
        threads.forEach(Thread::start);
    }

    // ------------------------------------------------------------------------------------------ submitting

    @Override
    public <T> Job<T> submit(Context callerCtx, Task<T> task) throws InterruptedException {
        Objects.requireNonNull(callerCtx, "ctx");
        PoolJob<T> job = newJob(task);
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
    public <T> Submission<T> trySubmit(Task<T> task) {
        PoolJob<T> job = newJob(task);
        Submission.Reason refused = queue.tryOffer(job, true);
        return refused == null ? new Submission.Accepted<>(job) : new Submission.Rejected<>(refused);
    }

    @Override
    public <T, R> SelectCase<R> onSubmit(Task<T> task, Function<? super Job<T>, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        PoolJob<T> job = newJob(task);
        return queue.offerCase(job, () -> then.apply(job));
    }

    private <T> PoolJob<T> newJob(Task<T> task) {
        return new PoolJob<>(this, Objects.requireNonNull(task, "task"));
    }

    // -------------------------------------------------------------------------------------------- workers

    private void work(Worker w) {
        try {
            Result<?> previous = null;
            for (PoolJob<?> job; (job = queue.take(previous)) != null; ) {
                previous = run(job, w);
            }
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                if (watcher.stop()) {
                    live.countDown();
                }
                ctx.cancel(); // terminated: release the pool's registration on its parent
            }
            live.countDown();
        }
    }

    /**
     * Runs a job the queue counted as running; returns its result for the queue to count with the next take, or
     * null if the job turned out never to have started (already counted).
     */
    private <T> Result<T> run(PoolJob<T> job, Worker w) {
        if (ctx.isDone()) { // shut down immediately, or the parent ended: queued jobs do not start
            if (job.tryCancelUnstarted()) {
                Result<T> r = new Result.Cancelled<>(ctx.err().orElseThrow(), false);
                job.complete(r);
                return r;
            }
            queue.neverStarted();
            return null;
        }
        CancellableContext jobCtx = job.tryStart(jobParent, w);
        if (jobCtx == null) {
            queue.neverStarted(); // its handle cancelled it while it was queued, and completes it
            return null;
        }
        w.enter(job);
        // A cancel between the start and enter() found no job on this worker to interrupt, and shutdownNow's sweep
        // may have passed it: so look again, now that the job is published (each side writes, then reads the
        // other's variable, so at least one of them sees the other).
        if (ctx.isDone()) {
            jobCtx.cancel();
        }
        if (jobCtx.isDone()) {
            w.interrupt(job);
        }
        Result<T> r;
        try {
            r = new Result.Ok<>(job.task.run(jobCtx));
        } catch (Throwable t) {
            r = jobCtx.isDone() && isCancellation(t)
                    ? new Result.Cancelled<>(jobCtx.err().orElseThrow(), true)
                    : new Result.Failed<>(t);
        } finally {
            w.leave(job);
        }
        job.complete(r);
        return r;
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

    // ------------------------------------------------------------------------------------------- shutdown

    @Override
    public void shutdown() {
        queue.shutdown();
    }

    @Override
    public List<Job<?>> shutdownNow() {
        if (!stopped.compareAndSet(false, true)) {
            queue.shutdown();
            return List.of();
        }
        List<PoolJob<?>> drained = queue.shutdownAndDrain();
        ctx.cancel();
        for (Worker w : workers) { // the running jobs: cancel their contexts and interrupt them
            PoolJob<?> running = w.current();
            if (running != null) {
                running.cancelRunning();
            }
        }
        Throwable cause = ctx.err().orElseThrow();
        for (PoolJob<?> job : drained) {
            completeCancelled(job, cause);
        }
        return List.copyOf(drained);
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        live.await();
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!live.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return !t.isAlive();
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
        return live.getCount() == 0 && threads.stream().noneMatch(Thread::isAlive);
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
