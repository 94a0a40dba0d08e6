package dev.gopatterns.exercises.batcher;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.List;

/**
 * Exercise `batcher`: gather the items sent on a channel into batches, each sent when it is full or when its oldest
 * item has waited long enough, whichever comes first.
 *
 * <p>The rules of {@code start(ctx, clock, in, maxSize, maxWait)}:
 * <ol>
 *   <li>{@code maxSize < 1} is refused at once with {@code IllegalArgumentException("maxSize must be >= 1, was 0")},
 *       a {@code maxWait} that is not positive with {@code IllegalArgumentException("maxWait must be > 0, was
 *       PT0S")}.
 *   <li>It returns at once the batches channel (unbuffered). One thread does the work: it receives the items of
 *       {@code in} and adds them, in order, to the current batch.
 *   <li>A batch is sent as soon as it holds {@code maxSize} items, or when {@code maxWait} has passed, on
 *       {@code clock}, since its first item arrived: a {@code Timer} on {@code clock} started by the first item of
 *       the batch (not by the batcher, not restarted by later items), and stopped when the batch is sent full.
 *   <li>When {@code in} is closed and drained, the items still pending are sent as a last, partial batch; then
 *       the batches channel is closed.
 *   <li>A batch is never empty. Each batch is a new list: once sent, the batcher never touches it again.
 *   <li>When {@code ctx} ends, while waiting for an item or for a reader of a batch, the batcher stops at once: the
 *       items it holds are dropped, its timer is stopped, and the batches channel is closed.
 *   <li>It never polls: it waits in one {@code select} over {@code in}, the timer's channel and
 *       {@code ctx.onDone()}.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check batcher}
 */
public final class Batcher {

    private Batcher() {}

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
        throw new UnsupportedOperationException(
                "TODO: batcher: check the arguments; in one thread, select on in, the batch's timer (the nil channel"
                        + " while the batch is empty) and ctx.onDone(); start a Timer on clock with the first item;"
                        + " send the batch (a new list each time) when full or when the timer fires; send the last"
                        + " one when in closes; close the batches channel at the end");
    }
}
