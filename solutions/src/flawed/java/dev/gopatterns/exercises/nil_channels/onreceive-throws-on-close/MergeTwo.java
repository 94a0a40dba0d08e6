/*
 * Flawed solution of exercise `nil_channels`.
 * Mistake: merge selects with onReceive, which makes the select throw ChannelClosedException as soon as an input closes.
 * Verdict: onReceive throws when its input is closed
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
                Received<T> got = Select.select(
                        x.onReceive(v -> new Received.Value<>(v)),
                        y.onReceive(v -> new Received.Value<>(v)),
                        ctx.onDone(Received::closed));
                if (!(got instanceof Received.Value<T>(T v))) {
                    return;
                }
                if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                    return;
                }
            }
        } finally {
            out.close();
        }
    }
}
