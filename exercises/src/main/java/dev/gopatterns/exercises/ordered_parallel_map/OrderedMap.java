package dev.gopatterns.exercises.ordered_parallel_map;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;

/**
 * Exercise `ordered_parallel_map`: a parallel map that keeps the input's order, with Go's channel-of-channels idiom: for each value
 * the dispatcher makes a result channel of capacity 1 and sends it, in input order, into an {@code order} channel of
 * capacity {@code parallelism}; workers fill the result channels; the emitter takes them from {@code order} one by
 * one and sends what each holds.
 *
 * <p>The rules of {@link #orderedMap}:
 * <ol>
 *   <li>{@code parallelism < 1} is refused at once: {@code IllegalArgumentException("parallelism must be >= 1, was
 *       0")}. Otherwise it returns the output (unbuffered) at once.
 *   <li>The output holds {@code f(v)} for every value {@code v} of {@code in}, in the order of {@code in}, whatever
 *       order the calls finish in; it is closed once {@code in} is closed and every result has been sent.
 *   <li>{@code f} runs {@code parallelism} calls at once, never more: with enough values waiting, that many are in
 *       flight.
 *   <li>The reordering is bounded: however slow the consumer, at most {@code parallelism + 2} values are taken from
 *       {@code in} ahead of it (the {@code order} channel's capacity, one the emitter holds, one the dispatcher
 *       holds).
 *   <li>Every blocking step has a {@code ctx.done()} case: when the consumer cancels {@code ctx}, every thread of
 *       the stage ends (a running {@code f} is given {@code ctx} and should return soon after it ends), and the
 *       output is closed. If {@code f} throws, the stage stops the same way.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check ordered_parallel_map}
 */
public final class OrderedMap {

    private OrderedMap() {}

    /** The function mapped over the input; it is given the stage's context. */
    @FunctionalInterface
    public interface Work<T, R> {
        R apply(Context ctx, T value) throws Exception;
    }

    /**
     * Applies {@code f} to every value of {@code in}, {@code parallelism} at a time, and sends the results in the
     * order of {@code in}.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public static <T, R> ReceiveChannel<R> orderedMap(Context ctx, ReceiveChannel<T> in, int parallelism,
                                                      Work<T, R> f) {
        throw new UnsupportedOperationException("TODO: a stage context; `order` = Channel.make("
                + "parallelism) of result channels; `parallelism` workers over a jobs channel (value + its result"
                + " channel of capacity 1); a dispatcher (for each value: make its result channel, send it on order,"
                + " then the job); an emitter (for each result channel of order: receive, send on the output);"
                + " every step with a ctx.done() case");
    }
}
