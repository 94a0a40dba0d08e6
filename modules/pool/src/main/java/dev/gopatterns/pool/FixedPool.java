package dev.gopatterns.pool;

import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
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
     * job), run it under Context.call with a fresh child of the pool's context (so job.cancel() and shutdownNow
     * interrupt exactly that job's thread, and the interrupt is cleared before the next job), count it, complete
     * its handle. A job that throws becomes Failed and the worker goes on: nothing a job does ends its worker.
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
    private final JobQueue queue;
    private final List<Thread> threads;
    /** The workers and the parent watcher: counted down as each ends (the watcher: or is stopped unrun). */
    private final CountDownLatch live;
    private final AtomicInteger workersLeft;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Context.Stop watcher;

    FixedPool(WorkerPool.Builder b) {
        this.name = b.name;
        this.workerCount = b.workers;
        this.ctx = Context.withCancel(b.parent);
        int capacity = b.queueCapacity >= 0 ? b.queueCapacity : 4 * b.workers;
        this.queue = new JobQueue(capacity, b.workers);
        this.workersLeft = new AtomicInteger(b.workers);
        ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name(b.name + "-worker-", 1).factory();
        this.live = new CountDownLatch(b.workers + 1);
        this.watcher = Context.afterFunc(ctx, () -> {
            try {
                shutdownNow();
            } finally {
                live.countDown();
            }
        });
        List<Thread> started = new ArrayList<>(b.workers);
        for (int i = 0; i < b.workers; i++) {
            Thread t = factory.newThread(this::work);
            if (t == null) {
                throw new IllegalStateException("pool: the thread factory returned null");
            }
            started.add(t);
        }
        this.threads = List.copyOf(started);
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

    private void work() {
        try {
            Result<?> previous = null;
            for (PoolJob<?> job; (job = queue.take(previous)) != null; ) {
                previous = run(job);
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
    private <T> Result<T> run(PoolJob<T> job) {
        if (ctx.isDone()) { // shut down immediately, or the parent ended: queued jobs do not start
            if (job.tryCancelUnstarted()) {
                Result<T> r = new Result.Cancelled<>(ctx.err().orElseThrow(), false);
                job.complete(r);
                return r;
            }
            queue.neverStarted();
            return null;
        }
        CancellableContext jobCtx = job.tryStart(ctx);
        if (jobCtx == null) {
            queue.neverStarted(); // its handle cancelled it while it was queued, and completes it
            return null;
        }
        Result<T> r;
        try {
            r = new Result.Ok<>(Context.call(jobCtx, () -> job.task.run(jobCtx)));
        } catch (ContextException e) {
            r = jobCtx.isDone() ? new Result.Cancelled<>(e, true) : new Result.Failed<>(e);
        } catch (Throwable t) {
            r = new Result.Failed<>(t);
        }
        job.complete(r);
        return r;
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
        ctx.cancel(); // running jobs are interrupted through their contexts
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
