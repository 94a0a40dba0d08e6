/*
 * Flawed solution of exercise `nil_channels`.
 * Mistake: merge returns as soon as either input is closed, losing the values the other still sends.
 * Verdict: merge returned when only one input was closed
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
        ReceiveChannel<T> x = a;
        ReceiveChannel<T> y = b;
        try {
            for (;;) {
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
                        return; // one input is done, so merge is done?
                    }
                }
            }
        } finally {
            out.close();
        }
    }
}
