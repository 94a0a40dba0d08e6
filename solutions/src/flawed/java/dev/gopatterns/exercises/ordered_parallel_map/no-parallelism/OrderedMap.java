/*
 * Flawed solution of exercise `ordered_parallel_map`.
 * Mistake: the dispatcher calls f itself, one value at a time: the order is right and nothing runs in parallel (the workers have nothing to do).
 * Verdict: items must be in flight at once
 */
package dev.gopatterns.exercises.ordered_parallel_map;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.WaitGroup;

public final class OrderedMap {

    private OrderedMap() {}

    /** The function mapped over the input; it is given the stage's context. */
    @FunctionalInterface
    public interface Work<T, R> {
        R apply(Context ctx, T value) throws Exception;
    }

    /** A value and the channel its result goes in. */
    private record Job<T, R>(T value, SendChannel<R> result) {}

    /**
     * Applies {@code f} to every value of {@code in}, {@code parallelism} at a time, and sends the results in the
     * order of {@code in}.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public static <T, R> ReceiveChannel<R> orderedMap(Context parent, ReceiveChannel<T> in, int parallelism,
                                                      Work<T, R> f) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        }
        CancellableContext ctx = Context.withCancel(parent); // cancelled by a failing f, and when the stage ends
        Channel<Channel<R>> order = Channel.make(parallelism); // the reorder window
        Channel<Job<T, R>> jobs = Channel.make(0);
        Channel<R> out = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < parallelism; w++) {
            wg.go(() -> work(ctx, f, jobs));
        }
        wg.go(() -> dispatch(ctx, in, order, jobs, f));
        Thread.ofVirtual().name("ordered-map emitter").start(() -> {
            try {
                emit(ctx, order, out);
            } finally {
                ctx.cancel(); // whatever ended the emitter, the rest of the stage stops too...
                try {
                    wg.await(); // ...and has ended before the output is closed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.close(); // the emitter is the output's only sender
            }
        });
        return out.receiveOnly();
    }

    /** For each value: its result channel into {@code order} (input order), then the job to a worker. */
    private static <T, R> void dispatch(Context ctx, ReceiveChannel<T> in, SendChannel<Channel<R>> order,
                                        SendChannel<Job<T, R>> jobs, Work<T, R> f) {
        try {
            while (receive(ctx, in) instanceof Received.Value<T>(T v)) {
                Channel<R> result = Channel.make(1);
                if (!send(ctx, order, result)) {
                    return;
                }
                try {
                    result.send(f.apply(ctx, v)); // one call at a time, in order: simple
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            jobs.close(); // the workers' range ends
            order.close(); // the emitter's range ends, once it has sent what is in it
        }
    }

    /** A worker: for each job, the result in its channel. A failing f stops the stage. */
    private static <T, R> void work(CancellableContext ctx, Work<T, R> f, ReceiveChannel<Job<T, R>> jobs) {
        try {
            for (Job<T, R> job : jobs) {
                R r;
                try {
                    r = f.apply(ctx, job.value());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    ctx.cancel(e); // the context's end, or f failed: either way the stage stops
                    return;
                }
                job.result().send(r); // capacity 1, one send: never blocks
            }
        } catch (InterruptedException | UncheckedInterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The results, in the order of their channels in {@code order}, onto the output. */
    private static <R> void emit(Context ctx, ReceiveChannel<Channel<R>> order, SendChannel<R> out) {
        try {
            while (receive(ctx, order) instanceof Received.Value<Channel<R>>(Channel<R> result)) {
                if (!(receive(ctx, result) instanceof Received.Value<R>(R r)) || !send(ctx, out, r)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next value of {@code in}, or Closed when it is drained or {@code ctx} has ended. */
    private static <T> Received<T> receive(Context ctx, ReceiveChannel<T> in) throws InterruptedException {
        return Select.select(in.onReceiveOrClosed(r -> r), ctx.onDone(Received::<T>closed));
    }

    /** Sends {@code v} unless {@code ctx} ends first; false if it did. */
    private static <T> boolean send(Context ctx, SendChannel<T> out, T v) throws InterruptedException {
        return Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false));
    }
}
