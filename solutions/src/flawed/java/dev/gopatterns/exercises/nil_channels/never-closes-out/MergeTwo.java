/*
 * Flawed solution of exercise `nil_channels`.
 * Mistake: merge returns when both inputs are closed, without closing out.
 * Verdict: out must be closed once both inputs are closed
 */
package dev.gopatterns.exercises.nil_channels;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.Context;

public final class MergeTwo {

    private MergeTwo() {}

    private record From<T>(int input, Received<T> received) {}

    public static <T> void merge(Context ctx, ReceiveChannel<T> a, ReceiveChannel<T> b, SendChannel<T> out)
            throws InterruptedException {
        ReceiveChannel<T> first = a;
        ReceiveChannel<T> second = b;
        int open = 2;
        while (open > 0) {
            ReceiveChannel<T> x = first;
            ReceiveChannel<T> y = second;
            From<T> got = Select.select(
                    x.onReceiveOrClosed(r -> new From<>(1, r)),
                    y.onReceiveOrClosed(r -> new From<>(2, r)),
                    ctx.onDone(() -> new From<T>(0, Received.closed())));
            if (got.input() == 0) {
                return;
            }
            switch (got.received()) {
                case Received.Value<T>(T v) -> {
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
    }
}
