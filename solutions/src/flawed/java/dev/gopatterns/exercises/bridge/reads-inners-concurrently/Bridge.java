/*
 * Flawed solution of exercise `bridge`.
 * Mistake: bridge starts a thread per inner channel, each forwarding its values to out, and closes out when all have ended: the values of the inner channels mix.
 * Verdict: bridge must read the inner channels one after another
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
                List<Thread> forwarders = new ArrayList<>();
                try {
                    for (;;) {
                        Received<ReceiveChannel<T>> next =
                                Select.select(chans.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                        if (!(next instanceof Received.Value<ReceiveChannel<T>>(ReceiveChannel<T> in))) {
                            break;
                        }
                        forwarders.add(Thread.ofVirtual().name("bridge-forwarder").start(() -> {
                            try {
                                for (;;) {
                                    Received<T> r =
                                            Select.select(in.onReceiveOrClosed(v -> v), ctx.onDone(Received::closed));
                                    if (!(r instanceof Received.Value<T>(T v))) {
                                        return;
                                    }
                                    if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                                        return;
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
                    }
                } finally {
                    for (Thread t : forwarders) {
                        t.join();
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
