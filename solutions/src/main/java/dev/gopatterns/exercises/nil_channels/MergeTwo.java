package dev.gopatterns.exercises.nil_channels;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.Context;

/**
 * Exercise `nil_channels`, solved: two inputs merged into one output by one select loop, in which an input that
 * has closed is set to the nil channel, whose case is never ready.
 *
 * <p>Go equivalent: see README.md in the exercise's directory. How to run: {@code ./learn check nil_channels --solution}
 */
public final class MergeTwo {

    private MergeTwo() {}

    /** What a round of the select got: from which input (1 or 2, 0 for the end of ctx), and what. */
    private record From<T>(int input, Received<T> received) {}

    /**
     * Sends every value of {@code a} and {@code b} to {@code out}, each input's values in their order, until both
     * are closed and drained or {@code ctx} ends; then closes {@code out} and returns. Go: {@code merge(ctx, a, b, out)}.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits ({@code out} is closed then too)
     */
    public static <T> void merge(Context ctx, ReceiveChannel<T> a, ReceiveChannel<T> b, SendChannel<T> out)
            throws InterruptedException {
        ReceiveChannel<T> first = a;
        ReceiveChannel<T> second = b;
        int open = 2;
        try {
            while (open > 0) {
                // A closed channel's case is always ready: once an input has closed, its variable holds the nil
                // channel, whose case never is, so the select waits for the other input (and ctx) alone.
                ReceiveChannel<T> x = first;
                ReceiveChannel<T> y = second;
                From<T> got = Select.select(
                        x.onReceiveOrClosed(r -> new From<>(1, r)),
                        y.onReceiveOrClosed(r -> new From<>(2, r)),
                        ctx.onDone(() -> new From<T>(0, Received.closed())));
                if (got.input() == 0) {
                    return; // ctx has ended
                }
                switch (got.received()) {
                    case Received.Value<T>(T v) -> {
                        // Hand it on, watching ctx: the reader of out may have stopped reading.
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    }
                    case Received.Closed<T>() -> {
                        if (got.input() == 1) {
                            first = Channel.nil();
                        } else {
                            second = Channel.nil();
                        }
                        open--;
                    }
                }
            }
        } finally {
            out.close(); // the one close, after the last send
        }
    }
}
