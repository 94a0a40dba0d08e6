package dev.gopatterns.exercises.rate_limited_pool;

import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.List;

/**
 * Exercise `rate_limited_pool`: a worker pool whose jobs start at a bounded rate, whose queue is bounded, and which reports how it
 * is doing.
 *
 * <p>The rules of {@code RateLimitedPool}:
 * <ol>
 *   <li>The constructor refuses {@code workers < 1} ({@code "workers must be >= 1, was 0"}) and {@code capacity < 1},
 *       makes the pool's one {@code Limiter(perSecond, burst, clock)}, its context (on {@code clock}), a queue
 *       channel of {@code capacity} jobs, and starts {@code workers} workers.
 *   <li>A worker takes a job from the queue, then waits for a token ({@code limiter.await(ctx)}), and only then
 *       runs it. So jobs start at most {@code burst} at once and {@code perSecond} a second on average, however
 *       many workers are free.
 *   <li>{@link #submit} waits while the queue is full, and gives up when the caller's context ends (the job is
 *       then not queued). {@link #trySubmit} never waits: it says why a job was refused.
 *   <li>{@link #stats} tells the jobs queued (never more than the capacity), completed, and completed in the last
 *       second of the clock.
 *   <li>{@link #shutdownNow} cancels the pool's context, waits for every worker, and hands back the jobs not
 *       started.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check rate_limited_pool}
 */
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

    /**
     * Starts {@code workers} workers over a queue of {@code capacity} jobs; jobs start at most {@code perSecond}
     * a second on average, in bursts of up to {@code burst}, on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 1}, or the rate or burst is
     *                                  negative
     */
    public RateLimitedPool(int workers, int capacity, double perSecond, int burst, Clock clock, Work<J> work) {
        throw new UnsupportedOperationException("TODO: make one Limiter(perSecond, burst, clock), a"
                + " context on the clock, a queue Channel.make(capacity), and start `workers` workers: receive a"
                + " job, limiter.await(ctx), then run it");
    }

    /**
     * Queues {@code job}, waiting while the queue is full, unless {@code ctx} ends first.
     *
     * @throws ContextException       if {@code ctx} ends (or has ended) before there is room; the job is not queued
     * @throws ChannelClosedException if the pool is shut down
     */
    public void submit(Context ctx, J job) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: submit: send on the queue unless the caller's"
                + " context ends first (ctx.send(queue, job))");
    }

    /** Queues {@code job} only if there is room now; never waits. */
    public Offer trySubmit(J job) {
        throw new UnsupportedOperationException("TODO: trySubmit: queue.trySend(job), and say why"
                + " not");
    }

    /** The queue length and the throughput, now. */
    public Stats stats() {
        throw new UnsupportedOperationException("TODO: stats: the queue's length, the jobs completed,"
                + " and those completed in the last second of the clock");
    }

    /**
     * Stops at once: cancels the pool's context (running jobs see it end, workers waiting for a token stop
     * waiting), waits for every worker, and returns the jobs that were queued and not started.
     */
    public List<J> shutdownNow() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: shutdownNow: cancel, close the queue, wait"
                + " for the workers, hand back the jobs not started");
    }
}
