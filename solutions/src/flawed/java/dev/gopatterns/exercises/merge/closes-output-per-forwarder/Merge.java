/*
 * Flawed solution of exercise `merge`.
 * Mistake: each forwarder closes the output when its own input ends (no WaitGroup): the first close ends the consumer's range early, the next ones throw "close of closed channel".
 * Verdict: the output was closed more than once
 */
package dev.gopatterns.exercises.merge;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

public final class Merge {

    private Merge() {}

    @SafeVarargs
    public static <T> ReceiveChannel<T> merge(Context ctx, ReceiveChannel<T>... inputs) {
        return merge(ctx, List.of(inputs));
    }

    public static <T> ReceiveChannel<T> merge(Context ctx, List<? extends ReceiveChannel<T>> inputs) {
        Channel<T> out = Channel.make(0);
        for (ReceiveChannel<T> input : inputs) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (receive(ctx, input) instanceof Received.Value<T>(T v) && send(ctx, out, v)) {
                        // forwarded one value
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    out.close(); // this input is done, so the output is done
                }
            });
        }
        return out.receiveOnly();
    }

    /**
     * Starts {@code workers} workers over {@code in}, each with an output of its own, closed when the worker ends.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <T, R> List<ReceiveChannel<R>> fanOut(Context ctx, ReceiveChannel<T> in, int workers,
                                                        Function<T, R> work) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        List<ReceiveChannel<R>> outputs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Channel<R> out = Channel.make(0);
            Thread.ofVirtual().name("fan-out worker " + w).start(() -> {
                try {
                    while (receive(ctx, in) instanceof Received.Value<T>(T v) && send(ctx, out, work.apply(v))) {
                        // one value taken, worked on and sent
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    out.close(); // this worker is the output's only sender, so it may close it
                }
            });
            outputs.add(out.receiveOnly());
        }
        return List.copyOf(outputs);
    }

    /** The next value of {@code in}, or Closed when it is drained or {@code ctx} has ended. */
    private static <T> Received<T> receive(Context ctx, ReceiveChannel<T> in) throws InterruptedException {
        return Select.select(in.onReceiveOrClosed(r -> r), ctx.onDone(Received::<T>closed));
    }

    /** Sends {@code v} unless {@code ctx} ends first; false if it did. Go: select { case out <- v: case <-ctx.Done(): } */
    private static <T> boolean send(Context ctx, SendChannel<T> out, T v) throws InterruptedException {
        return Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false));
    }
}
