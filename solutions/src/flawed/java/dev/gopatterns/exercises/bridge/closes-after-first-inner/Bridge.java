/*
 * Flawed solution of exercise `bridge`.
 * Mistake: bridge returns, closing out, as soon as the first inner channel is closed, dropping the channels after it.
 * Verdict: only the end of the outer channel (or of ctx) ends the bridge
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
                Received<ReceiveChannel<T>> next =
                        Select.select(chans.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                if (!(next instanceof Received.Value<ReceiveChannel<T>>(ReceiveChannel<T> in))) {
                    return;
                }
                for (;;) {
                    Received<T> r = Select.select(in.onReceiveOrClosed(v -> v), ctx.onDone(Received::closed));
                    if (!(r instanceof Received.Value<T>(T v))) {
                        return; // the inner channel is done: so is the bridge?
                    }
                    if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                        return;
                    }
                }
            } catch (InterruptedException | UncheckedInterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out.close();
            }
        });
        return out.receiveOnly();
    }
}
