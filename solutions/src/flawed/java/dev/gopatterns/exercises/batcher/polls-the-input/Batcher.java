/*
 * Flawed solution of exercise `batcher`.
 * Mistake: the batcher loops on in.tryReceive(), checks the clock for the batch's deadline and sleeps a millisecond between looks, instead of blocking in one select.
 * Verdict: the batcher polls
 */
package dev.gopatterns.exercises.batcher;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public final class Batcher {

    private Batcher() {}

    public static <T> ReceiveChannel<List<T>> start(Context ctx, Clock clock, ReceiveChannel<T> in, int maxSize,
                                                   Duration maxWait) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be > 0, was " + maxWait);
        }
        Channel<List<T>> out = Channel.make(0);
        Thread.ofVirtual().name("batcher").start(() -> {
            List<T> batch = new ArrayList<>(maxSize);
            long deadline = 0; // when the batch's first item has waited maxWait
            try {
                while (ctx.err().isEmpty()) {
                    switch (in.tryReceive()) {
                        case Received.Value<T>(T item) -> {
                            batch.add(item);
                            if (batch.size() == 1) {
                                deadline = clock.nanoTime() + maxWait.toNanos();
                            }
                        }
                        case Received.Closed<T>() -> {
                            if (!batch.isEmpty()) {
                                send(ctx, out, batch);
                            }
                            return;
                        }
                        case TryReceived.NotReady<T>() -> { }
                    }
                    boolean full = batch.size() == maxSize;
                    boolean due = !batch.isEmpty() && clock.nanoTime() - deadline >= 0;
                    if (full || due) {
                        if (!send(ctx, out, batch)) {
                            return;
                        }
                        batch = new ArrayList<>(maxSize);
                    } else {
                        Thread.sleep(1); // nothing to do yet: look again in a moment, without burning the processor
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out.close();
            }
        });
        return out.receiveOnly();
    }

    private static <T> boolean send(Context ctx, Channel<List<T>> out, List<T> batch) throws InterruptedException {
        return Select.select(out.onSend(batch, () -> true), ctx.onDone(() -> false));
    }
}
