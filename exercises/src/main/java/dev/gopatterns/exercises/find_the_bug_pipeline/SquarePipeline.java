package dev.gopatterns.exercises.find_the_bug_pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.List;

/**
 * Exercise `find_the_bug_pipeline`: find the bugs. A pipeline of the Go blog's shape: a source sends numbers, two square workers share
 * it (fan-out), a merge joins their outputs (fan-in), and a consumer sums what comes out. It compiles, and for some
 * inputs it even gives the right sum. Its tests fail nonetheless: read README.md for the symptoms, then fix the code
 * so that every rule below holds. Each fix is a few lines.
 *
 * <p>The rules:
 * <ol>
 *   <li>Every stage returns its output at once and sends on it from a thread of its own; the output is closed
 *       exactly once, when the stage has nothing more to send.
 *   <li>{@link #merge} closes its output once, after every input has been drained: never before the last one.
 *   <li>Every send of every stage has a {@code ctx.done()} case: when the consumer stops and cancels the context,
 *       every stage ends, and no thread is left.
 *   <li>{@link #sumOfSquares} returns the sum of the squares of all the numbers; {@link #sumOfFirst} the sum of the
 *       first {@code n} squares to come out, and then stops the pipeline.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check find_the_bug_pipeline}
 */
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
