package dev.gopatterns.exercises.generator;

import dev.gopatterns.chan.ReceiveChannel;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Exercise `generator`: a generator that closes its channel, and a consumer that ranges over it.
 *
 * <p>A generator is a function that returns a channel and keeps sending to it from a thread of its own. Its
 * consumer receives with a plain for-each loop, {@code for (T v : ch)}, Java's {@code for v := range ch}. The loop
 * ends when, and only when, the channel is closed and drained. So the generator owes its consumer one thing after
 * the last value: {@code close()}. Forget it and the consumer waits forever.
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check generator}
 */
public final class Generator {

    private Generator() {}

    /**
     * Returns, at once, the receiving end of a new unbuffered channel, and sends every one of {@code values} on it,
     * in order, from one new thread made by {@code threads}; after the last value that thread closes the channel
     * and ends. Go: {@code func generate(values ...T) <-chan T}.
     *
     * <p>If the generator's thread is interrupted while it waits for a receiver, it stops sending, still closes
     * the channel, and ends with its interrupt flag set.
     *
     * @param threads makes the generator's thread; production code passes {@code Thread.ofVirtual().factory()}
     */
    public static <T> ReceiveChannel<T> generate(List<T> values, ThreadFactory threads) {
        throw new UnsupportedOperationException(
                "TODO: generate: start a thread that sends each value, then closes the channel");
    }

    /**
     * Receives from {@code in} until it is closed and drained, and returns the values in the order received.
     * Go: {@code for v := range in { out = append(out, v) }}.
     */
    public static <T> List<T> collect(ReceiveChannel<T> in) {
        throw new UnsupportedOperationException(
                "TODO: collect: range over the channel with a for-each loop");
    }
}
