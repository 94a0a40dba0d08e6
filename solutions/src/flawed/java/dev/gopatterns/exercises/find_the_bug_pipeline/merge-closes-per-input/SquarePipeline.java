/*
 * Flawed solution of exercise `find_the_bug_pipeline` (a half-fixed SquarePipeline).
 * Mistake: square is fixed (its send has a ctx.done() case), but each merge forwarder still closes the output when its own input ends.
 * Verdict: merge closed its output more than once
 */
package dev.gopatterns.exercises.find_the_bug_pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
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
                    if (!Select.select(out.onSend(n * n, () -> true), ctx.onDone(() -> false))) {
                        return; // fix 1: the consumer has stopped; do not wait for it forever
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

    /** Stage 3: forwards every value of every input to one output, closed once they are all drained. */
    public static ReceiveChannel<Integer> merge(Context ctx, List<ReceiveChannel<Integer>> inputs) {
        Channel<Integer> out = Channel.make(0);
        for (ReceiveChannel<Integer> in : inputs) {
            Thread.ofVirtual().name("merge").start(() -> {
                try {
                    while (Select.select(in.onReceiveOrClosed(r -> r), ctx.onDone(Received::<Integer>closed))
                            instanceof Received.Value<Integer>(Integer v)) {
                        if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    out.close(); // this input is drained: no more values
                }
            });
        }
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
