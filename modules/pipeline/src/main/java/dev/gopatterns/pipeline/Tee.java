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
 * Go's tee: splits one channel into two that both deliver every value, in order, like the Unix {@code tee}.
 *
 * <pre>{@code
 * // Go:                                             // Java:
 * out1, out2 := tee(done, in)                        Tee<T> t = Tee.tee(ctx, in);
 * for v1 := range out1 {                             for (T v1 : t.first()) {
 *     v2 := <-out2                                       T v2 = t.second().receive();
 * }                                                  }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Lock step: each value is delivered to both outputs before the next one is received from the input, so
 *       neither output runs ahead and no value waits in a buffer. The two deliveries of one value happen in
 *       whichever order the consumers are ready (a select over both sends, as in Go).
 *   <li>Both outputs are closed, each exactly once, when the input closes or {@code ctx} ends. A tee whose one
 *       consumer stopped reading blocks the other too (it is lock step): ending {@code ctx} releases them.
 *   <li>Memory consistency effects: a send into {@code in} happens-before the receive of that value from either
 *       output.
 * </ul>
 *
 * <p>Where it differs from Go: the two outputs come back as one object, because Java returns one value.
 *
 * @param <T> the element type
 */
public final class Tee<T> {

    private final ReceiveChannel<T> first;
    private final ReceiveChannel<T> second;

    private Tee(ReceiveChannel<T> first, ReceiveChannel<T> second) {
        this.first = first;
        this.second = second;
    }

    /** Starts a tee of {@code in}: one thread, which ends when both outputs are closed. */
    public static <T> Tee<T> tee(Context ctx, ReceiveChannel<? extends T> in) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        Channel<T> a = Stages.output();
        Channel<T> b = Stages.output();
        Stages.run("tee", () -> {
            while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
                // Go sets each output to nil once it has the value; here the spent send case is left out.
                boolean toA = true;
                boolean toB = true;
                while (toA || toB) {
                    if (ctx.isDone()) {
                        return;
                    }
                    List<SelectCase<Integer>> cases = new ArrayList<>(3);
                    if (toA) {
                        cases.add(a.onSend(v, () -> 1));
                    }
                    if (toB) {
                        cases.add(b.onSend(v, () -> 2));
                    }
                    cases.add(ctx.onDone(() -> 0));
                    switch (Select.select(cases)) {
                        case 1 -> toA = false;
                        case 2 -> toB = false;
                        default -> {
                            return;
                        }
                    }
                }
            }
        }, a, b);
        return new Tee<>(a.receiveOnly(), b.receiveOnly());
    }

    /** The first output: Go's {@code out1}. */
    public ReceiveChannel<T> first() {
        return first;
    }

    /** The second output: Go's {@code out2}. */
    public ReceiveChannel<T> second() {
        return second;
    }
}
