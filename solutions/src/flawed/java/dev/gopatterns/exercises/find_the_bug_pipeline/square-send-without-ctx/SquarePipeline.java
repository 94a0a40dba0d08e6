/*
 * Flawed solution of exercise `find_the_bug_pipeline` (a half-fixed SquarePipeline).
 * Mistake: merge is fixed (closed once, after a WaitGroup), but square still sends with a plain out.send(n * n): when the consumer stops early, the square thread waits on its send forever.
 * Verdict: square's send has no ctx.done() case
 */
package dev.gopatterns.exercises.find_the_bug_pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.WaitGroup;
import java.util.List;

public final class SquarePipeline {

    private SquarePipeline() {}

    /** Stage 1: sends {@code numbers} in order, then closes its output. */
    public static ReceiveChannel<Integer> source(Context ctx, List<Integer> numbers) {
        Channel<Integer> out = Channel.make(0);
        Thread.ofVirtual().name("source").start(() -> {
            try {
                for (int n : numbers) {
                    if (!Select.select(out.onSend(n, () -> true), ctx.onDone(() -> false))) {
                        return; // the consumer has stopped
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

    /** Stage 2: sends the square of each number it receives, until its input is closed; then closes its output. */
    public static ReceiveChannel<Integer> square(Context ctx, ReceiveChannel<Integer> in) {
        Channel<Integer> out = Channel.make(0);
        Thread.ofVirtual().name("square").start(() -> {
            try {
                for (int n : in) {
                    out.send(n * n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out.close();
            }
        });
        return out.receiveOnly();
    }

    /** Stage 3: forwards every value of every input to one output, closed once they are all drained. */
    public static ReceiveChannel<Integer> merge(Context ctx, List<ReceiveChannel<Integer>> inputs) {
        Channel<Integer> out = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        for (ReceiveChannel<Integer> in : inputs) {
            wg.go(() -> {
                try {
                    while (Select.select(in.onReceiveOrClosed(r -> r), ctx.onDone(Received::<Integer>closed))
                            instanceof Received.Value<Integer>(Integer v)) {
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Thread.ofVirtual().name("merge closer").start(() -> {
            try {
                wg.await(); // fix 2: every forwarder has ended...
                out.close(); // ...so this is the one close, and no send can follow it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return out.receiveOnly();
    }

    /** The sum of the squares of {@code numbers}: source, two square workers, merge, sum. */
    public static long sumOfSquares(Context parent, List<Integer> numbers) {
        try (CancellableContext ctx = Context.withCancel(parent)) {
            ReceiveChannel<Integer> src = source(ctx, numbers);
            long sum = 0;
            for (int sq : merge(ctx, List.of(square(ctx, src), square(ctx, src)))) {
                sum += sq;
            }
            return sum;
        }
    }

    /** The sum of the first {@code n} squares to come out of the pipeline; then it stops the pipeline. */
    public static long sumOfFirst(Context parent, List<Integer> numbers, int n) {
        try (CancellableContext ctx = Context.withCancel(parent)) {
            ReceiveChannel<Integer> src = source(ctx, numbers);
            long sum = 0;
            int taken = 0;
            for (int sq : merge(ctx, List.of(square(ctx, src), square(ctx, src)))) {
                sum += sq;
                if (++taken == n) {
                    break; // enough: the cancel (closing ctx) stops the stages
                }
            }
            return sum;
        }
    }
}
