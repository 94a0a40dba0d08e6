/*
 * Flawed solution of exercise `heartbeat`.
 * Mistake: a thread of its own ranges over the ticks and beats, apart from the worker, so it beats on while the work hangs.
 * Verdict: heartbeats went on while the worker was stuck in its work
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

    @FunctionalInterface
    public interface Work<J, R> {
        R apply(J job) throws InterruptedException;
    }

    public record Worker<R>(ReceiveChannel<Long> heartbeats, ReceiveChannel<R> results) {}

    public static <J, R> Worker<R> start(Context ctx, Clock clock, Duration interval, ReceiveChannel<J> jobs,
                                         Work<J, R> work) {
        Channel<Long> heartbeats = Channel.make(1);
        Channel<R> results = Channel.make(0);
        Channel<Void> finished = Channel.make(0);
        Ticker pulse = Ticker.every(clock, interval);
        // The pulse, kept simple: its own thread, so the worker's loop only has to care about jobs.
        Thread.ofVirtual().name("heartbeat pulse").start(() -> {
            try {
                while (Select.select(
                        pulse.channel().onReceive(t -> {
                            heartbeats.trySend(t);
                            return true;
                        }),
                        finished.onReceiveOrClosed(r -> false))) {
                    // beat again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pulse.stop();
                heartbeats.close();
            }
        });
        Thread.ofVirtual().name("heartbeat worker").start(() -> {
            try {
                for (;;) {
                    Received<J> next = Select.select(jobs.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                    if (!(next instanceof Received.Value<J>(J job))) {
                        return;
                    }
                    R result = work.apply(job);
                    if (!Select.select(results.onSend(result, () -> true), ctx.onDone(() -> false))) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                results.close();
                finished.close();
            }
        });
        return new Worker<>(heartbeats.receiveOnly(), results.receiveOnly());
    }
}
