package dev.gopatterns.exercises.merge;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.List;
import java.util.function.Function;

/**
 * Exercise `merge`: fan-out and fan-in. {@link #fanOut} starts workers that share one input; {@link #merge} joins
 * several channels into one, as in the Go blog's "Pipelines and cancellation".
 *
 * <p>The rules of {@link #merge}:
 * <ol>
 *   <li>It returns the output channel (unbuffered) at once, and starts one forwarder per input.
 *   <li>Each forwarder receives from its input until it is closed and drained, and sends each value on the output.
 *       The inputs are forwarded at the same time: an input that stays open does not hold up the others.
 *   <li>The output is closed exactly once, after every forwarder has ended: never by a forwarder, never before
 *       the last input has ended. Every value of every input comes out exactly once.
 *   <li>Every send on the output has a {@code ctx.done()} case: when the consumer stops and cancels {@code ctx},
 *       every forwarder ends, the output is closed, and no thread is left.
 * </ol>
 *
 * <p>The rules of {@link #fanOut}: {@code workers < 1} is refused ({@code "workers must be >= 1, was 0"}); each of
 * the {@code workers} workers ranges over {@code in}, sends {@code work.apply(v)} on an output of its own (with a
 * {@code ctx.done()} case) and closes that output when it ends. Every value of {@code in} is worked on exactly once.
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check merge}
 */
public final class Merge {

    private Merge() {}

    /**
     * Merges {@code inputs} into one channel, which is closed once every input has been drained (or {@code ctx}
     * has ended and every forwarder has stopped).
     */
    @SafeVarargs
    public static <T> ReceiveChannel<T> merge(Context ctx, ReceiveChannel<T>... inputs) {
        return merge(ctx, List.of(inputs));
    }

    /** {@link #merge(Context, ReceiveChannel[])} for a list of inputs. */
    public static <T> ReceiveChannel<T> merge(Context ctx, List<? extends ReceiveChannel<T>> inputs) {
        throw new UnsupportedOperationException("TODO: merge: make the output, start one forwarder"
                + " per input with a WaitGroup (each: for (T v : input) select { out.onSend(v) | ctx.onDone }), then a"
                + " closer thread: wg.await(), out.close(); return the output at once");
    }

    /**
     * Starts {@code workers} workers over {@code in}, each with an output of its own, closed when the worker ends.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <T, R> List<ReceiveChannel<R>> fanOut(Context ctx, ReceiveChannel<T> in, int workers,
                                                        Function<T, R> work) {
        throw new UnsupportedOperationException("TODO: fanOut: for each of `workers` workers make"
                + " an output and start a thread: for (T v : in) select { out.onSend(work.apply(v)) | ctx.onDone },"
                + " then out.close(); return the outputs");
    }
}
