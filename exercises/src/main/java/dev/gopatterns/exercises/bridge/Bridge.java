package dev.gopatterns.exercises.bridge;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;

/**
 * Exercise `bridge`: the bridge channel of "Concurrency in Go" (Cox-Buday, ch. 4), which flattens a channel of
 * channels into one channel.
 *
 * <p>The rules of {@code bridge(ctx, chans)}:
 * <ol>
 *   <li>It returns at once an unbuffered channel {@code out}; one thread of its own does the work.
 *   <li>It takes a channel from {@code chans}, sends every value of it to {@code out}, in order, until it is
 *       closed and drained, and only then takes the next one: the values come out in the order of their channels.
 *   <li>An inner channel ending does not end the bridge: only {@code chans} being closed and drained does.
 *   <li>Every wait also waits for the end of {@code ctx}: for the next inner channel, for the next value of one, and
 *       for a reader of {@code out}. Whatever it is waiting on, the end of {@code ctx} ends the thread.
 *   <li>It closes {@code out} once, as the last thing its thread does.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check bridge}
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
        throw new UnsupportedOperationException(
                "TODO: bridge: in a thread of its own, select on chans and ctx.onDone() for the next channel, drain"
                        + " it with a select on it and ctx.onDone(), send each value with a select on out.onSend(v)"
                        + " and ctx.onDone(); close out in a finally");
    }
}
