/*
 * Flawed solution of exercise `nil_channels`.
 * Mistake: merge polls both inputs with tryReceive in a loop instead of waiting in a select, and keeps a CPU busy while they are silent.
 * Verdict: it polls instead of waiting
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
        boolean aOpen = true;
        boolean bOpen = true;
        try {
            while ((aOpen || bOpen) && !ctx.isDone()) {
                if (aOpen) {
                    TryReceived<T> r = a.tryReceive();
                    if (r instanceof Received.Value<T>(T v)) {
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    } else if (r instanceof Received.Closed<T>) {
                        aOpen = false;
                    }
                }
                if (bOpen) {
                    TryReceived<T> r = b.tryReceive();
                    if (r instanceof Received.Value<T>(T v)) {
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    } else if (r instanceof Received.Closed<T>) {
                        bOpen = false;
                    }
                }
                Thread.onSpinWait();
            }
        } finally {
            out.close();
        }
    }
}
