/*
 * Flawed solution of exercise `generator`.
 * Mistake: collect polls: tryReceive, and a 1 ms sleep between tries while nothing is ready.
 * Verdict: collect polls instead of blocking
 */
package dev.gopatterns.exercises.generator;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Exercise `generator`, reference solution: a generator that closes its channel, and a consumer that ranges over it.
 *
 * <p>The generator's thread ends on its own: it sends the values one at a time, each send waiting for the
 * consumer to take it (the channel is unbuffered, so the generator never runs ahead), then closes the channel in a
 * {@code finally}, Java's {@code defer close(out)}, and returns. The consumer's loop ends because of that close:
 * the channel's iterator reports "no more" once the channel is closed and every value sent before has been
 * received.
 *
 * <p>Memory consistency: everything the generator did before sending a value happens-before the consumer's use
 * of it, and everything before {@code close()} happens-before the loop's end.
 *
 * <p>How to run: {@code ./learn check generator --solution}
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
        List<T> toSend = List.copyOf(values); // the caller may change its list after we return
        Channel<T> out = Channel.unbuffered();
        threads.newThread(() -> {
            try {
                for (T value : toSend) {
                    out.send(value); // waits until the consumer takes it
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop: stop sending, keep the flag for whoever looks
            } finally {
                out.close(); // Go: defer close(out). Without it, the consumer's loop never ends.
            }
        }).start();
        return out.receiveOnly(); // the caller may receive, but not send or close: that is the generator's job
    }

    /**
     * Receives from {@code in} until it is closed and drained, and returns the values in the order received.
     * Go: {@code for v := range in { out = append(out, v) }}.
     */
    public static <T> List<T> collect(ReceiveChannel<T> in) {
        List<T> received = new ArrayList<>();
        for (;;) {
            switch (in.tryReceive()) {
                case Received.Value<T>(T value) -> received.add(value);
                case Received.Closed<T>() -> {
                    return received;
                }
                case TryReceived.NotReady<T>() -> {
                    try {
                        Thread.sleep(1); // nothing yet: look again in a millisecond
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return received;
                    }
                }
            }
        }
    }
}
