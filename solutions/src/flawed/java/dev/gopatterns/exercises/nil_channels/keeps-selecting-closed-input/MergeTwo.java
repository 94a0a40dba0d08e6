/*
 * Flawed solution of exercise `nil_channels`.
 * Mistake: merge notes in a flag that an input has closed, but leaves the closed channel in the select, so it is chosen again and again and the loop spins.
 * Verdict: it keeps receiving from the closed input
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
        boolean aDone = false;
        boolean bDone = false;
        ReceiveChannel<T> x = a;
        ReceiveChannel<T> y = b;
        try {
            while (!(aDone && bDone)) {
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
                            aDone = true; // but a stays in the select: a closed channel is always ready
                        } else {
                            bDone = true;
                        }
                    }
                }
            }
        } finally {
            out.close();
        }
    }
}
