/*
 * Flawed solution of exercise `rate_limited_pool`.
 * Mistake: the monitor reports every job completed since the start as the jobs completed in the last second.
 * Verdict: jobs completed in the last second
 */
package dev.gopatterns.exercises.rate_limited_pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

public final class RateLimitedPool<J> {

    /** A job's work, given the pool's context. */
    @FunctionalInterface
    public interface Work<J> {
        void run(Context ctx, J job) throws Exception;
    }

    /** What {@link #trySubmit} did with a job. */
    public enum Offer {
        /** The job is queued. */
        ACCEPTED,
        /** The queue was full: the job was not queued (load shed). */
        QUEUE_FULL,
        /** The pool is shut down: the job was not queued. */
        SHUT_DOWN
    }

    /**
     * A look at the pool: the jobs queued now (never more than {@code capacity}), the jobs completed so far, and
     * those completed in the last second of the pool's clock (after {@code now - 1 s}, up to {@code now}).
     */
    public record Stats(int queued, int capacity, long completed, long completedInLastSecond) {}

    private static final long ONE_SECOND = 1_000_000_000L;

    private final Work<J> work;
    private final Clock clock;
    /** The pool's one bucket: every job takes its token here before it starts. */
    private final Limiter limiter;
    private final CancellableContext ctx;
    private final Channel<J> queue;
    private final WaitGroup workers = new WaitGroup();
    private final AtomicBoolean queueClosed = new AtomicBoolean();
    private final Queue<J> handedBack = new ConcurrentLinkedQueue<>();
    /** Guarded by itself: the clock's time of each completion in the last second, oldest first. */
    private final ArrayDeque<Long> recent = new ArrayDeque<>();
    /** Guarded by {@link #recent}. */
    private long completed;

    /**
     * Starts {@code workers} workers over a queue of {@code capacity} jobs; jobs start at most {@code perSecond}
     * a second on average, in bursts of up to {@code burst}, on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 1}, or the rate or burst is
     *                                  negative
     */
    public RateLimitedPool(int workers, int capacity, double perSecond, int burst, Clock clock, Work<J> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.work = work;
        this.clock = clock;
        this.limiter = new Limiter(perSecond, burst, clock);
        this.ctx = Context.withCancel(Context.background(clock));
        this.queue = Channel.make(capacity); // bounded: a full queue pushes back on the submitters
        for (int w = 0; w < workers; w++) {
            this.workers.go(this::work);
        }
    }

    private void work() {
        try {
            for (;;) {
                if (!(ctx.receive(queue) instanceof Received.Value<J>(J job))) {
                    return; // closed and drained
                }
                try {
                    limiter.await(ctx); // the token comes before the job starts: the start rate is bounded
                } catch (ContextException stopped) {
                    handedBack.add(job);
                    return;
                }
                try {
                    work.run(ctx, job);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception jobFailed) {
                    // the job's own failure: the worker goes on
                }
                completed(clock.nanoTime());
            }
        } catch (ContextException stopped) {
            // shut down: take no more jobs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void completed(long now) {
        synchronized (recent) {
            completed++;
            recent.addLast(now);
            prune(now);
        }
    }

    /** Drops completions older than a second. Call only when holding {@link #recent}'s lock. */
    private void prune(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst() >= ONE_SECOND) {
            recent.removeFirst();
        }
    }

    /**
     * Queues {@code job}, waiting while the queue is full, unless {@code ctx} ends first.
     *
     * @throws ContextException       if {@code ctx} ends (or has ended) before there is room; the job is not queued
     * @throws ChannelClosedException if the pool is shut down
     */
    public void submit(Context ctx, J job) throws InterruptedException {
        ctx.send(queue, job);
    }

    /** Queues {@code job} only if there is room now; never waits. */
    public Offer trySubmit(J job) {
        try {
            return queue.trySend(job) ? Offer.ACCEPTED : Offer.QUEUE_FULL;
        } catch (ChannelClosedException shutDown) {
            return Offer.SHUT_DOWN;
        }
    }

    /** The queue length and the throughput, now. */
    public Stats stats() {
        long now = clock.nanoTime();
        synchronized (recent) {
            prune(now);
            return new Stats(queue.length(), queue.capacity(), completed, completed);
        }
    }

    /**
     * Stops at once: cancels the pool's context (running jobs see it end, workers waiting for a token stop
     * waiting), waits for every worker, and returns the jobs that were queued and not started.
     */
    public List<J> shutdownNow() throws InterruptedException {
        ctx.cancel();
        if (queueClosed.compareAndSet(false, true)) {
            queue.close();
        }
        workers.await();
        List<J> notRun = new ArrayList<>(handedBack);
        handedBack.clear();
        while (queue.tryReceive() instanceof Received.Value<J>(J job)) {
            notRun.add(job);
        }
        return notRun;
    }
}
