package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a pipeline's values come from: Go's generator, {@code repeat} and {@code repeatFn}, and {@code take}, which
 * bounds an endless source. Each returns a channel fed by one new virtual thread.
 *
 * <p>Go equivalent (from "Concurrency in Go", chapter 4):
 * <pre>{@code
 * generator := func(done <-chan struct{}, values ...int) <-chan int {
 *     out := make(chan int)
 *     go func() {
 *         defer close(out)
 *         for _, v := range values {
 *             select {
 *             case <-done:
 *                 return
 *             case out <- v:
 *             }
 *         }
 *     }()
 *     return out
 * }
 * }</pre>
 * Java: {@code ReceiveChannel<Integer> out = Sources.generator(ctx, 1, 2, 3);}
 *
 * <h2>Guarantees, for every function here</h2>
 * <ul>
 *   <li>The output is unbuffered and is closed exactly once, by the stage's thread, as the last thing it does:
 *       when the values are exhausted (or {@code take}'s count reached, or its input closed), or when {@code ctx}
 *       ends. After that, receives report {@link Received.Closed}.
 *   <li>A stage blocked sending to a consumer that stopped reading returns when {@code ctx} ends: cancel the
 *       context and the thread ends, whoever is (not) reading. Nothing is sent after a cancellation that happened
 *       before the send was attempted.
 *   <li>Memory consistency effects: actions in a thread prior to calling the function happen-before the stage's
 *       thread starts; each value is then delivered with the channel's guarantee (a send happens-before the
 *       matching receive).
 * </ul>
 *
 * <p>Where it differs from Go: the token is a {@link Context} rather than a bare {@code done} channel (its
 * {@code done()} is that channel); {@code null} is not a value, so the functions reject it; {@code repeat} with no
 * values fails at once, where Go's would spin.
 */
public final class Sources {

    private Sources() {}

    /**
     * A channel that delivers {@code values} in order, then closes. The array is copied: later changes to it are not
     * seen.
     *
     * @throws NullPointerException if {@code values} or one of them is null
     */
    @SafeVarargs
    public static <T> ReceiveChannel<T> generator(Context ctx, T... values) {
        Objects.requireNonNull(ctx, "ctx");
        return generator(ctx, List.of(values));
    }

    /**
     * A channel that delivers the elements of {@code values} in iteration order, then closes. The iteration runs
     * in the stage's thread, lazily, one element ahead of the consumer at most: an endless iterable is a fine
     * source. A {@code null} element ends the stage with a {@link NullPointerException}, after the output is closed.
     */
    public static <T> ReceiveChannel<T> generator(Context ctx, Iterable<? extends T> values) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(values, "values");
        Channel<T> out = Stages.output();
        Stages.run("generator", () -> {
            for (T v : values) {
                if (!Stages.send(ctx, out, v)) {
                    return;
                }
            }
        }, out);
        return out.receiveOnly();
    }

    /**
     * A channel that delivers {@code values} in order, again and again, until {@code ctx} ends. Bound it with
     * {@link #take}. Go: {@code repeat(done, values...)}.
     *
     * @throws IllegalArgumentException if there are no values ("repeat needs at least one value")
     */
    @SafeVarargs
    public static <T> ReceiveChannel<T> repeat(Context ctx, T... values) {
        Objects.requireNonNull(ctx, "ctx");
        List<T> cycle = List.of(values);
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("repeat needs at least one value");
        }
        Channel<T> out = Stages.output();
        Stages.run("repeat", () -> {
            for (;;) {
                for (T v : cycle) {
                    if (!Stages.send(ctx, out, v)) {
                        return;
                    }
                }
            }
        }, out);
        return out.receiveOnly();
    }

    /**
     * A channel that delivers {@code fn.get()} again and again until {@code ctx} ends; {@code fn} is called in the
     * stage's thread, once per value, just before it is sent. Go: {@code repeatFn(done, fn)}. If {@code fn} throws
     * or returns {@code null}, the stage ends: its output is closed and the exception goes to the thread's
     * uncaught-exception handler.
     */
    public static <T> ReceiveChannel<T> repeatFn(Context ctx, Supplier<? extends T> fn) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(fn, "fn");
        Channel<T> out = Stages.output();
        Stages.run("repeatFn", () -> {
            while (Stages.send(ctx, out, fn.get())) {
                // one value per round
            }
        }, out);
        return out.receiveOnly();
    }

    /**
     * A channel that delivers the first {@code n} values of {@code in}, then closes; it closes earlier if {@code in}
     * closes or {@code ctx} ends. Go: {@code take(done, in, n)}. It receives exactly the values it delivers: the
     * rest of {@code in} is left to whoever else reads it, and an upstream stage blocked sending the (n+1)-th value
     * is released by ending {@code ctx}, as in Go.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static <T> ReceiveChannel<T> take(Context ctx, ReceiveChannel<? extends T> in, long n) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        if (n < 0) {
            throw new IllegalArgumentException("take count must be >= 0, was " + n);
        }
        Channel<T> out = Stages.output();
        Stages.run("take", () -> {
            for (long i = 0; i < n; i++) {
                if (!(Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) || !Stages.send(ctx, out, v)) {
                    return;
                }
            }
        }, out);
        return out.receiveOnly();
    }
}
