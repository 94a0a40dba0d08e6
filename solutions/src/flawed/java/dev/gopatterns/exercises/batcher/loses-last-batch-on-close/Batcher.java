/*
 * Flawed solution of exercise `batcher`.
 * Mistake: when in is closed the batcher closes its output at once, and the items still pending, a partial batch, are lost.
 * Verdict: the last, partial batch must be sent when in is closed
 */
package dev.gopatterns.exercises.batcher;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public final class Batcher {

    private Batcher() {}

    /** What woke the batcher. */
    private sealed interface Event<T> {
        record Item<T>(T item) implements Event<T> {}

        record InClosed<T>() implements Event<T> {}

        record Due<T>() implements Event<T> {}

        record Stop<T>() implements Event<T> {}
    }

    /**
     * Starts the batcher: it receives the items of {@code in} and sends them on the returned channel in batches of
     * at most {@code maxSize}, each sent as soon as it is full or {@code maxWait} after its first item arrived, on
     * {@code clock}.
     *
     * @return the batches (unbuffered), closed once when {@code in} is closed and the last batch sent, or when
     *         {@code ctx} ends
     * @throws IllegalArgumentException if {@code maxSize < 1} or {@code maxWait} is not positive
     */
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
            Timer timer = null; // started by the first item of a batch; null while the batch is empty
            try {
                for (;;) {
                    ReceiveChannel<Long> due = timer == null ? Channel.nil() : timer.channel(); // nil: never ready
                    Event<T> e = Select.select(
                            in.onReceiveOrClosed(r -> switch (r) {
                                case Received.Value<T>(T item) -> new Event.Item<>(item);
                                case Received.Closed<T>() -> new Event.InClosed<>();
                            }),
                            due.onReceive(t -> new Event.Due<>()),
                            ctx.onDone(Event.Stop::new));
                    switch (e) {
                        case Event.Item<T>(T item) -> {
                            batch.add(item);
                            if (batch.size() == 1) {
                                timer = Timer.start(clock, maxWait); // the oldest item's clock starts now
                            }
                            if (batch.size() < maxSize) {
                                continue;
                            }
                        }
                        case Event.Due<T>() -> { } // the oldest item has waited maxWait: send what there is
                        case Event.InClosed<T>() -> {
                            return; // no more items: done
                        }
                        case Event.Stop<T>() -> {
                            return; // ctx ended: what the batch holds is dropped, as Go's would be
                        }
                    }
                    timer.stop(); // a full batch: its timer must not fire on the next one
                    timer = null;
                    if (!send(ctx, out, batch)) {
                        return;
                    }
                    batch = new ArrayList<>(maxSize); // the sent list is the reader's now: never touch it again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (timer != null) {
                    timer.stop();
                }
                out.close();
            }
        });
        return out.receiveOnly();
    }

    /** Sends {@code batch} unless {@code ctx} ends first; true if it was sent. */
    private static <T> boolean send(Context ctx, Channel<List<T>> out, List<T> batch) throws InterruptedException {
        return Select.select(out.onSend(batch, () -> true), ctx.onDone(() -> false));
    }
}
