/*
 * Flawed solution of exercise `bridge`.
 * Mistake: bridge's thread ends without closing out, so the reader's range never ends.
 * Verdict: out must be closed once the outer channel is closed
 */
package dev.gopatterns.exercises.bridge;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;

public final class Bridge {

    private Bridge() {}

    public static <T> ReceiveChannel<T> bridge(Context ctx, ReceiveChannel<ReceiveChannel<T>> chans) {
        Channel<T> out = Channel.make(0);
        Thread.ofVirtual().name("bridge").start(() -> {
            try {
                for (;;) {
                    Received<ReceiveChannel<T>> next =
                            Select.select(chans.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                    if (!(next instanceof Received.Value<ReceiveChannel<T>>(ReceiveChannel<T> in))) {
                        return;
                    }
                    for (;;) {
                        Received<T> r = Select.select(in.onReceiveOrClosed(v -> v), ctx.onDone(Received::closed));
                        if (!(r instanceof Received.Value<T>(T v))) {
                            break;
                        }
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    }
                    if (ctx.isDone()) {
                        return;
                    }
                }
            } catch (InterruptedException | UncheckedInterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return out.receiveOnly();
    }
}
