package dev.gopatterns.exercises.tee_or_done;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;

/**
 * Exercise `tee_or_done`: two channel adapters from "Concurrency in Go" (Cox-Buday, ch. 4), the or-done channel and the tee.
 *
 * <p>The rules of {@code orDone(ctx, in)}:
 * <ol>
 *   <li>It returns at once an unbuffered channel that gives the values of {@code in}, in order.
 *   <li>Its thread waits for {@code in} and for the end of {@code ctx} together (a select), and again when it hands
 *       a value on: whichever it is waiting for, the end of {@code ctx} stops it.
 *   <li>It closes its channel once, when {@code in} is closed and drained or when {@code ctx} ends, and then its
 *       thread ends.
 * </ol>
 *
 * <p>The rules of {@code tee(ctx, in)}:
 * <ol>
 *   <li>It returns at once two unbuffered channels, and each of them gets every value of {@code in}, in order.
 *   <li>It reads the next value from {@code in} only once both channels have taken the current one (in either
 *       order): the slower reader sets the pace, and nothing piles up in between.
 *   <li>Every send waits for the end of {@code ctx} too, so a reader that has stopped cannot keep the tee's thread
 *       forever once {@code ctx} ends.
 *   <li>It closes both channels once, when {@code in} is closed and drained or when {@code ctx} ends.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check tee_or_done}
 */
public final class TeeOrDone {

    private TeeOrDone() {}

    /** The two channels a {@link #tee} returns; each gets every value. */
    public record Outputs<T>(ReceiveChannel<T> first, ReceiveChannel<T> second) {}

    /**
     * The values of {@code in}, until it is closed and drained or {@code ctx} ends. Go: {@code orDone(done, c)}.
     *
     * @return an unbuffered channel, closed once when {@code in} is closed and drained or {@code ctx} ends
     */
    public static <T> ReceiveChannel<T> orDone(Context ctx, ReceiveChannel<T> in) {
        throw new UnsupportedOperationException(
                "TODO: orDone: in a thread of its own, select on in and ctx.onDone(), then on"
                        + " out.onSend(v) and ctx.onDone(); close out when in closes or ctx ends");
    }

    /**
     * Two channels that each get every value of {@code in}, in order. Go: {@code tee(done, in)}.
     *
     * @return two unbuffered channels, both closed once when {@code in} is closed and drained or {@code ctx} ends
     */
    public static <T> Outputs<T> tee(Context ctx, ReceiveChannel<T> in) {
        throw new UnsupportedOperationException(
                "TODO: tee: for each value of orDone(ctx, in), send it to both outputs (a select"
                        + " with ctx.onDone(), twice), then read the next; close both when done");
    }
}
