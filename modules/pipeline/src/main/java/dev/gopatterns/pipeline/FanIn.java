package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fan-in: many channels into one. {@link #merge} delivers in arrival order; {@link #mergeSequenced} restores the
 * order given by {@link Sequenced} numbers, with a bounded reorder window.
 *
 * <pre>{@code
 * // Go ("Pipelines and cancellation"):              // Java:
 * func merge(done <-chan struct{}, cs ...<-chan int) <-chan int {
 *     var wg sync.WaitGroup                          ReceiveChannel<Integer> out = FanIn.merge(ctx, c1, c2);
 *     out := make(chan int)
 *     output := func(c <-chan int) {
 *         defer wg.Done()
 *         for n := range c {
 *             select {
 *             case out <- n:
 *             case <-done:
 *                 return
 *             }
 *         }
 *     }
 *     wg.Add(len(cs))
 *     for _, c := range cs {
 *         go output(c)
 *     }
 *     go func() { wg.Wait(); close(out) }()
 *     return out
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@code merge}: every value of every input is delivered once; values of one input keep their order; the
 *       output is closed exactly once, after every input has closed (and every value been delivered), or when
 *       {@code ctx} ends. One thread per input; the last to end closes the output, so after the close no thread of
 *       the merge is left but on its way out.
 *   <li>{@code mergeSequenced}: values come out in ascending sequence number, never more than {@code window} held
 *       at once; one thread.
 *   <li>Either stops promptly when {@code ctx} ends, also while blocked sending to a consumer that stopped
 *       reading. Values still in the inputs then are left there.
 *   <li>Memory consistency effects: a send into an input happens-before the receive of that value from the output.
 * </ul>
 *
 * <p>Where it differs from Go: Go's extra goroutine that waits for the WaitGroup and closes is folded into the last
 * forwarding thread (a countdown; see {@code Stages}); the effect is Go's: one close, after every forwarder is done.
 */
public final class FanIn {

    private FanIn() {}

    /** Merges {@code inputs} in arrival order. With no inputs, the output is closed at once. */
    @SafeVarargs
    public static <T> ReceiveChannel<T> merge(Context ctx, ReceiveChannel<? extends T>... inputs) {
        return merge(ctx, List.of(inputs));
    }

    /** {@link #merge(Context, ReceiveChannel[])} over a list. */
    public static <T> ReceiveChannel<T> merge(Context ctx, List<? extends ReceiveChannel<? extends T>> inputs) {
        Objects.requireNonNull(ctx, "ctx");
        List<ReceiveChannel<? extends T>> ins = List.copyOf(inputs);
        Channel<T> out = Stages.output();
        Stages.runShared("merge", ins.size(), i -> () -> Stages.forward(ctx, ins.get(i), out), out);
        return out.receiveOnly();
    }

    /**
     * Merges numbered values and delivers them in ascending {@link Sequenced#seq()} order, starting at 0.
     *
     * <p>Rules for the inputs: each number appears once in all inputs together, and <em>within each input the
     * numbers ascend</em>, as they do in the output of each worker of {@link FanOut#workers} fed by
     * {@link Sequenced#numbered}. Numbers may be missing: a missing number is skipped as soon as it can no longer
     * arrive, that is when every input still open has already offered a larger one (and at the end, when every
     * input has closed).
     *
     * <p>The window, and what happens when it is exceeded: the stage holds at most {@code window} values that
     * arrived early (numbers in {@code [next, next + window)}, where {@code next} is the number it waits for),
     * plus one value per input. A value beyond the window is held for its input, and that input is not read again
     * until the window has moved up to the value: that is backpressure. The input's producer blocks in its send;
     * nothing is buffered without bound and nothing is dropped.
     *
     * @throws IllegalArgumentException if {@code window < 1}. A number that arrives twice, or after it was skipped
     *                                  or delivered, breaks the rules: the stage ends (its output closed) with an
     *                                  {@code IllegalStateException} to its thread's uncaught-exception handler
     */
    @SafeVarargs
    public static <T> ReceiveChannel<T> mergeSequenced(Context ctx, int window,
                                                       ReceiveChannel<Sequenced<T>>... inputs) {
        return mergeSequenced(ctx, window, List.of(inputs));
    }

    /** {@link #mergeSequenced(Context, int, ReceiveChannel[])} over a list. */
    public static <T> ReceiveChannel<T> mergeSequenced(Context ctx, int window,
                                                       List<? extends ReceiveChannel<Sequenced<T>>> inputs) {
        Objects.requireNonNull(ctx, "ctx");
        if (window < 1) {
            throw new IllegalArgumentException("reorder window must be >= 1, was " + window);
        }
        List<ReceiveChannel<Sequenced<T>>> ins = List.copyOf(inputs);
        Channel<T> out = Stages.output();
        Stages.run("mergeSequenced", () -> new Reorder<>(ctx, window, ins, out).run(), out);
        return out.receiveOnly();
    }

    /**
     * The reorder loop of {@link #mergeSequenced}, confined to the stage's one thread (no locks: Go's "stateful
     * goroutine").
     */
    private static final class Reorder<T> {

        /*
         * State: next, the number to deliver next; window[s % size], the value numbered s for s in
         * [next, next + size), or null; early[i], a value of input i beyond the window, or null.
         *
         * Loop: deliver window[next] while present, moving next up and pulling early values into the window as it
         * moves. Then, if some open input has no early value, select over those inputs and ctx.done(); an arrival
         * goes into the window, or, beyond it, into early[i], which takes input i out of the select (backpressure).
         *
         * Why it neither stalls nor skips wrongly: if every open input holds an early value, each of them (its
         * numbers ascend) can only offer numbers larger than its early value, all >= next + size > next; closed
         * inputs offer nothing. So next can no longer arrive, and neither can any number below the smallest held
         * value: next jumps to that value. The window then holds at most size values with distinct numbers in
         * [next, next + size), and early values at most one per input, so the memory is bounded.
         */

        private final Context ctx;
        private final int size;
        private final List<ReceiveChannel<Sequenced<T>>> inputs;
        private final Channel<T> out;
        private final Object[] window;
        private final List<Sequenced<T>> early;
        private final boolean[] open;
        private long next;

        Reorder(Context ctx, int size, List<ReceiveChannel<Sequenced<T>>> inputs, Channel<T> out) {
            this.ctx = ctx;
            this.size = size;
            this.inputs = inputs;
            this.out = out;
            this.window = new Object[size];
            this.early = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), null));
            this.open = new boolean[inputs.size()];
            java.util.Arrays.fill(open, true);
        }

        /** An input's receive: its index and what it got. */
        private record Arrival<T>(int input, Received<Sequenced<T>> received) {}

        void run() throws InterruptedException {
            for (;;) {
                if (!deliverReady()) {
                    return;
                }
                List<SelectCase<Arrival<T>>> cases = new ArrayList<>(inputs.size() + 1);
                for (int i = 0; i < inputs.size(); i++) {
                    if (open[i] && early.get(i) == null) {
                        int input = i;
                        cases.add(inputs.get(i).onReceiveOrClosed(r -> new Arrival<>(input, r)));
                    }
                }
                if (cases.isEmpty()) { // every open input is held back, or none is open
                    if (!skipToSmallestHeld()) {
                        return; // nothing held and nothing open: done
                    }
                    continue;
                }
                if (ctx.isDone()) {
                    return;
                }
                cases.add(ctx.onDone(() -> null));
                Arrival<T> a = Select.select(cases);
                if (a == null) {
                    return; // ctx ended
                }
                switch (a.received()) {
                    case Received.Value<Sequenced<T>>(var s) -> place(a.input(), s);
                    case Received.Closed<Sequenced<T>>() -> open[a.input()] = false;
                }
            }
        }

        /** Delivers window[next] while it is there; false if ctx ended. */
        private boolean deliverReady() throws InterruptedException {
            for (;;) {
                int slot = (int) (next % size);
                @SuppressWarnings("unchecked")
                T v = (T) window[slot];
                if (v == null) {
                    return true;
                }
                if (!Stages.send(ctx, out, v)) {
                    return false;
                }
                window[slot] = null;
                next++;
                admitEarly();
            }
        }

        private void place(int input, Sequenced<T> s) {
            long seq = s.seq();
            if (seq < next) {
                throw new IllegalStateException("mergeSequenced: sequence number " + seq
                        + " arrived after it was delivered or skipped (next is " + next + "): a number arrived twice,"
                        + " or an input's numbers do not ascend");
            }
            if (seq - next >= size) {
                early.set(input, s); // backpressure: input is not read until the window reaches seq
                return;
            }
            int slot = (int) (seq % size);
            if (window[slot] != null) {
                throw new IllegalStateException("mergeSequenced: sequence number " + seq + " arrived twice");
            }
            window[slot] = s.value();
        }

        /** Moves every early value that the window now covers into it. */
        private void admitEarly() {
            for (int i = 0; i < early.size(); i++) {
                Sequenced<T> s = early.get(i);
                if (s != null && s.seq() - next < size) {
                    early.set(i, null);
                    place(i, s);
                }
            }
        }

        /** No held number can be preceded by one still to come: jump next to the smallest held; false if none. */
        private boolean skipToSmallestHeld() {
            for (int d = 0; d < size; d++) {
                if (window[(int) ((next + d) % size)] != null) {
                    next += d;
                    return true;
                }
            }
            long smallest = Long.MAX_VALUE;
            for (Sequenced<T> s : early) {
                if (s != null) {
                    smallest = Math.min(smallest, s.seq());
                }
            }
            if (smallest == Long.MAX_VALUE) {
                return false;
            }
            next = smallest;
            admitEarly();
            return true;
        }
    }
}
