package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Fan-out: {@code n} workers compete for the values of one channel, each applying {@code fn}, so a slow stage runs
 * {@code n} times in parallel. {@link #fanOut} merges their results into one channel, in no promised order;
 * {@link #workers} returns each worker's results on its own channel, which is what
 * {@link FanIn#mergeSequenced} needs to restore the input order. Two routers split one channel into {@code n}
 * without applying anything: {@link #roundRobin} (in turn) and {@link #partition} (by key, so per-key order holds
 * in whatever reads each output).
 *
 * <pre>{@code
 * // Go ("Pipelines and cancellation": distribute the work, then merge):
 * workers := make([]<-chan R, n)
 * for i := range workers {
 *     workers[i] = sq(done, in)              // each ranges over in, the same channel
 * }
 * for r := range merge(done, workers...) { use(r) }
 *
 * // Java:
 * for (R r : FanOut.fanOut(ctx, in, n, fn)) { use(r); }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Each value of {@code in} is taken by exactly one worker (competing receives on one channel), and its
 *       result delivered once. A worker's results come out in the order it took the values.
 *   <li>{@code fanOut}'s output is closed exactly once, when every worker has ended: {@code in} closed and every
 *       result delivered, or {@code ctx} ended. {@code workers}' outputs are closed each by its own worker.
 *       Either way, every worker's thread ends, also when blocked sending to a consumer that stopped reading.
 *   <li>No buffers: a worker holds the one value it is working on; {@code n} bounds the parallelism.
 *   <li>Memory consistency effects: a send into {@code in} happens-before {@code fn} is applied to that value,
 *       which happens-before the receive of its result.
 * </ul>
 *
 * <p>Where it differs from Go: {@code fn} is a plain {@link Function}, run in the worker's virtual thread. If it
 * throws (or returns null), that worker ends, the exception goes to its thread's uncaught-exception handler, and the
 * other workers carry on; a Go panic would end the program. Errors as values are the pipeline's business
 * (issue 13), not this function's.
 */
public final class FanOut {

    private FanOut() {}

    /**
     * Starts {@code n} workers over {@code in} and merges their results, unordered.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T, R> ReceiveChannel<R> fanOut(Context ctx, ReceiveChannel<? extends T> in, int n,
                                                  Function<? super T, ? extends R> fn) {
        check(ctx, in, n, fn);
        Channel<R> out = Stages.output();
        Stages.runShared("fanOut", n, i -> () -> work(ctx, in, fn, out), out);
        return out.receiveOnly();
    }

    /**
     * Starts {@code n} workers over {@code in}; worker {@code i}'s results arrive, in the order it took the values,
     * on element {@code i} of the list. Read all of them (or end {@code ctx}): a worker whose output nobody reads
     * stops taking values, and the others take its share.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T, R> List<ReceiveChannel<R>> workers(Context ctx, ReceiveChannel<? extends T> in, int n,
                                                         Function<? super T, ? extends R> fn) {
        check(ctx, in, n, fn);
        List<ReceiveChannel<R>> outs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Channel<R> out = Stages.output();
            Stages.run("worker-" + i, () -> work(ctx, in, fn, out), out);
            outs.add(out.receiveOnly());
        }
        return List.copyOf(outs);
    }

    /**
     * Deals the values of {@code in} to {@code n} outputs in turn: value {@code k} to output {@code k % n}, each
     * output keeping the input's order. One router thread, waiting for output {@code k % n} to take value {@code k}
     * (a slow reader holds up the others: round-robin is fair in count, not in time; use {@link #fanOut} when the
     * workers should share the load by speed). Every output is closed when {@code in} is closed and drained, or
     * when {@code ctx} ends.
     *
     * <pre>{@code
     * // Go: a router goroutine
     * for i := 0; ; i++ {
     *     v, ok := <-in
     *     if !ok { break }
     *     select { case outs[i%n] <- v: case <-ctx.Done(): return }
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T> List<ReceiveChannel<T>> roundRobin(Context ctx, ReceiveChannel<? extends T> in, int n) {
        return route(ctx, in, n, "roundRobin", new java.util.function.ToIntFunction<T>() {
            private long next;

            @Override
            public int applyAsInt(T value) {
                return (int) (next++ % n);
            }
        });
    }

    /**
     * Routes each value of {@code in} to output {@code floorMod(key(value).hashCode(), n)}: values with equal keys go
     * to the same output, in the input's order, so a worker per output sees each of its keys' values in order
     * (per-key order across parallel workers). One router thread; a slow output holds up the router (head-of-line
     * blocking). Every output is closed when {@code in} is closed and drained, or when {@code ctx} ends. If
     * {@code key} throws, the router ends (outputs closed) and the exception goes to its thread's
     * uncaught-exception handler.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T> List<ReceiveChannel<T>> partition(Context ctx, ReceiveChannel<? extends T> in, int n,
                                                        Function<? super T, ?> key) {
        Objects.requireNonNull(key, "key");
        return route(ctx, in, n, "partition", v -> Math.floorMod(Objects.hashCode(key.apply(v)), n));
    }

    private static <T> List<ReceiveChannel<T>> route(Context ctx, ReceiveChannel<? extends T> in, int n,
                                                     String name, java.util.function.ToIntFunction<T> choose) {
        check(ctx, in, n, v -> v);
        List<Channel<T>> outs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            outs.add(Stages.output());
        }
        Stages.run(name, () -> {
            while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
                if (!Stages.send(ctx, outs.get(choose.applyAsInt(v)), v)) {
                    return;
                }
            }
        }, outs.toArray(new Channel<?>[0]));
        return outs.stream().map(Channel::receiveOnly).toList();
    }

    private static <T, R> void work(Context ctx, ReceiveChannel<? extends T> in,
                                    Function<? super T, ? extends R> fn, Channel<R> out) throws InterruptedException {
        while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
            if (!Stages.send(ctx, out, fn.apply(v))) {
                return;
            }
        }
    }

    private static void check(Context ctx, ReceiveChannel<?> in, int n, Function<?, ?> fn) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fn, "fn");
        if (n < 1) {
            throw new IllegalArgumentException("fan-out needs at least one worker, was " + n);
        }
    }
}
