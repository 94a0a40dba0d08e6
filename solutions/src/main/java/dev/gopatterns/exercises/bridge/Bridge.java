package dev.gopatterns.exercises.bridge;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;

/**
 * Exercise `bridge`, solved: the bridge channel of "Concurrency in Go" (Cox-Buday, ch. 4), which flattens a channel
 * of channels into one channel, in order, and ends when the context ends, whichever channel it is waiting on.
 *
 * <p>Go equivalent: see README.md in the exercise's directory. How to run: {@code ./learn check bridge --solution}
 */
public final class Bridge {

    private Bridge() {}

    /**
     * The values of every channel {@code chans} gives, one channel after another, each in its order, until
     * {@code chans} is closed and its last channel drained or {@code ctx} ends. Go: {@code bridge(done, chanStream)}.
     *
     * @return an unbuffered channel, closed once when {@code chans} is closed and its last channel drained, or
     *     when {@code ctx} ends
     */
    public static <T> ReceiveChannel<T> bridge(Context ctx, ReceiveChannel<ReceiveChannel<T>> chans) {
        Channel<T> out = Channel.make(0);
        Thread.ofVirtual().name("bridge").start(() -> {
            try {
                for (;;) {
                    // The outer level, or-done: the next channel, or the end of ctx.
                    Received<ReceiveChannel<T>> next =
                            Select.select(chans.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                    if (!(next instanceof Received.Value<ReceiveChannel<T>>(ReceiveChannel<T> in))) {
                        return; // chans is closed and drained, or ctx has ended
                    }
                    // The inner level, or-done too: drain this channel before taking the next one, so the order
                    // of the values is the order of their channels.
                    for (;;) {
                        Received<T> r = Select.select(in.onReceiveOrClosed(v -> v), ctx.onDone(Received::closed));
                        if (!(r instanceof Received.Value<T>(T v))) {
                            break; // this channel is closed and drained, or ctx has ended
                        }
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return; // the reader may have stopped reading: the end of ctx ends the wait
                        }
                    }
                    if (ctx.isDone()) {
                        return; // not another round: the outer select could pick a ready channel over ctx
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop: end, keeping the flag
            } finally {
                out.close(); // the one close, by the one sender
            }
        });
        return out.receiveOnly();
    }
}
