package dev.gopatterns.exercises.heartbeat;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;

/**
 * Exercise `heartbeat`: a worker that says "I am alive" every interval while it works ("Concurrency in Go",
 * Cox-Buday, ch. 5).
 *
 * <p>The rules of {@code start(ctx, clock, interval, jobs, work)}:
 * <ol>
 *   <li>It returns at once two channels: the heartbeats (a buffer of one) and the results (unbuffered).
 *   <li>One thread does everything: it takes the jobs of {@code jobs} in order, runs {@code work.apply(job)} and
 *       sends the result. Every {@code interval}, on a {@code Ticker} made on {@code clock} (never the system
 *       clock, never {@code Thread.sleep}), it offers a heartbeat: the tick's time.
 *   <li>A heartbeat never waits: if the last one is still unread it is dropped (a select with a default, or
 *       {@code trySend}). The worker beats while it waits for a job and while it waits to hand a result on, and
 *       not while {@code work} runs: a worker stuck in its work goes silent, which is what the heartbeat is for.
 *   <li>When {@code jobs} is closed and drained, or {@code ctx} ends, it stops the ticker and closes both
 *       channels, once.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check heartbeat}
 */
public final class Heartbeat {

    private Heartbeat() {}

    /** The work done for one job, in the worker's thread. */
    @FunctionalInterface
    public interface Work<J, R> {
        R apply(J job) throws InterruptedException;
    }

    /** What {@link #start} returns: the heartbeats (each the clock's time of the tick) and the results. */
    public record Worker<R>(ReceiveChannel<Long> heartbeats, ReceiveChannel<R> results) {}

    /**
     * Starts the worker: for each job of {@code jobs}, in order, it sends {@code work.apply(job)} on its results;
     * every {@code interval} on {@code clock} it offers a heartbeat without waiting.
     *
     * @return the heartbeats (a buffer of one) and the results (unbuffered), both closed once when {@code jobs} is
     *         closed and drained or {@code ctx} ends
     */
    public static <J, R> Worker<R> start(Context ctx, Clock clock, Duration interval, ReceiveChannel<J> jobs,
                                         Work<J, R> work) {
        throw new UnsupportedOperationException(
                "TODO: heartbeat: make the two channels and a Ticker on clock; in one thread, select on jobs, the"
                        + " ticks and ctx.onDone(); on a tick trySend a heartbeat (dropped if unread); run the work"
                        + " and send its result in a select that also beats; stop the ticker and close both at the end");
    }
}
