/*
 * Flawed solution of exercise `heartbeat`.
 * Mistake: the worker sends each heartbeat with a plain blocking send, so it stalls once nobody reads them.
 * Verdict: a heartbeat nobody reads must be dropped
 */
package dev.gopatterns.exercises.heartbeat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.Ticker;
import java.time.Duration;

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
        Channel<Long> heartbeats = Channel.make(1);
        Channel<R> results = Channel.make(0);
        Ticker pulse = Ticker.every(clock, interval); // on the given clock: a test moves it, nothing sleeps
        Thread.ofVirtual().name("heartbeat worker").start(() -> {
            try {
                for (;;) {
                    // Idle: wait for a job, a tick or the end of ctx, all at once.
                    Received<J> next = Select.select(
                            jobs.onReceiveOrClosed(r -> r),
                            pulse.channel().onReceive(t -> {
                                beat(heartbeats, t);
                                return null; // no job: select again
                            }),
                            ctx.onDone(Received::closed));
                    if (next == null) {
                        continue;
                    }
                    if (!(next instanceof Received.Value<J>(J job))) {
                        return; // jobs closed, or ctx ended
                    }
                    R result = work.apply(job); // no heartbeats while this runs: that is the point
                    // Busy handing the result on: keep beating while the reader is away.
                    Boolean sent = null;
                    while (sent == null) {
                        sent = Select.select(
                                results.onSend(result, () -> true),
                                pulse.channel().onReceive(t -> {
                                    beat(heartbeats, t);
                                    return null;
                                }),
                                ctx.onDone(() -> false));
                    }
                    if (!sent) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pulse.stop(); // a ticker nobody stops keeps its timer for ever
                heartbeats.close();
                results.close();
            }
        });
        return new Worker<>(heartbeats.receiveOnly(), results.receiveOnly());
    }

    /** Sends a heartbeat. */
    private static void beat(Channel<Long> heartbeats, long t) {
        try {
            heartbeats.send(t); // waits until someone reads the last one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
