package dev.gopatterns.exercises.nil_channels;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.Context;

/**
 * Exercise `nil_channels`: two inputs merged into one output by one select loop, using the nil channel to switch off
 * the case of an input that has closed.
 *
 * <p>The rules of {@code merge(ctx, a, b, out)}:
 * <ol>
 *   <li>It sends every value of {@code a} and of {@code b} to {@code out}, once each, each input's values in their
 *       order, in the calling thread, from one loop around one {@code Select.select}.
 *   <li>It waits: while nothing is ready, its thread is blocked in the select, not polling.
 *   <li>When an input is closed it stops receiving from it (it sets it to {@code Channel.nil()}) and keeps reading
 *       the other; it returns once both are closed and drained.
 *   <li>The end of {@code ctx} ends it, whether it is waiting for the inputs or waiting to send to {@code out}.
 *   <li>It closes {@code out} once, when it returns, whatever the reason.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check nil_channels}
 */
public final class MergeTwo {

    private MergeTwo() {}

    /**
     * Sends every value of {@code a} and {@code b} to {@code out}, each input's values in their order, until both
     * are closed and drained or {@code ctx} ends; then closes {@code out} and returns. Go: {@code merge(ctx, a, b, out)}.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits ({@code out} is closed then too)
     */
    public static <T> void merge(Context ctx, ReceiveChannel<T> a, ReceiveChannel<T> b, SendChannel<T> out)
            throws InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: merge: loop on Select.select(a.onReceiveOrClosed(...), b.onReceiveOrClosed(...),"
                        + " ctx.onDone(...)); set a closed input to Channel.nil(); send with a select on"
                        + " out.onSend(v) and ctx.onDone(); close out in a finally");
    }
}
