/*
 * Flawed solution of exercise `bridge`.
 * Mistake: bridge ranges over each inner channel with a plain for loop, so an inner channel that is never closed holds it after ctx ends.
 * Verdict: bridge must watch ctx while it waits on an inner channel
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
                    for (T v : in) {
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
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
