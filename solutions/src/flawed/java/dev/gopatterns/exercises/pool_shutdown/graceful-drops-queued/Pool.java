/*
 * Flawed solution of exercise `pool_shutdown`.
 * Mistake: shutdown cancels the pool's context as shutdownNow does, so the queued jobs never run.
 * Verdict: graceful shutdown drains every queued job
 */
package dev.gopatterns.exercises.pool_shutdown;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

public final class Pool<J> {

    /** A job's work. It is given the pool's context, and returns or throws soon after that context ends. */
    @FunctionalInterface
    public interface Work<J> {
        void run(Context ctx, J job) throws Exception;
    }

    private final Work<J> work;
    /** Ends with the caller's context, or at shutdownNow. */
    private final CancellableContext ctx;
    private final Channel<J> queue;
    private final WaitGroup workers = new WaitGroup();
    private final AtomicBoolean queueClosed = new AtomicBoolean();
    /** Jobs a worker received in the same instant the context ended: handed back, never run. */
    private final Queue<J> handedBack = new ConcurrentLinkedQueue<>();

    /**
     * Starts {@code workers} workers over a queue of {@code capacity} jobs.
     *
     * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 0}
     */
    public Pool(Context parent, int workers, int capacity, Work<J> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.work = work;
        this.ctx = Context.withCancel(parent); // the caller's end is the pool's end
        this.queue = Channel.make(capacity);
        for (int w = 0; w < workers; w++) {
            this.workers.go(this::work);
        }
    }

    private void work() {
        try {
            for (;;) {
                Received<J> next = ctx.receive(queue); // throws once the context has ended
                if (!(next instanceof Received.Value<J>(J job))) {
                    return; // the queue is closed and drained: graceful end
                }
                if (ctx.isDone()) {
                    // The select may pick the job even though the context ended in the same instant: not run.
                    handedBack.add(job);
                    return;
                }
                try {
                    work.run(ctx, job);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception jobFailed) {
                    // the job's own failure (or its cancellation): the worker goes on with the next one
                }
            }
        } catch (ContextException stopped) {
            // the pool's context ended: take no more jobs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues {@code job}, waiting while the queue is full.
     *
     * @throws dev.gopatterns.chan.ChannelClosedException after shutdown ("send on closed channel")
     */
    public void submit(J job) throws InterruptedException {
        queue.send(job);
    }

    /**
     * Graceful: accepts no more jobs, lets the workers run every queued job, and returns once they have all ended.
     *
     * @return the jobs that were not run: none, unless the caller's context ended meanwhile
     */
    public List<J> shutdown() throws InterruptedException {
        return stop(false);
    }

    /**
     * Immediate: cancels the pool's context (the running jobs see it end), stops the workers, and returns once they
     * have all ended.
     *
     * @return every job that was queued and not run
     */
    public List<J> shutdownNow() throws InterruptedException {
        return stop(true);
    }

    private List<J> stop(boolean now) throws InterruptedException {
        ctx.cancel(); // stop the workers either way
        if (queueClosed.compareAndSet(false, true)) {
            queue.close();
        }
        workers.await(); // no worker is left running when shutdown returns
        ctx.cancel(); // releases the parent's reference to it
        List<J> notRun = new ArrayList<>(handedBack);
        handedBack.clear();
        while (queue.tryReceive() instanceof Received.Value<J>(J job)) {
            notRun.add(job);
        }
        return notRun;
    }
}
