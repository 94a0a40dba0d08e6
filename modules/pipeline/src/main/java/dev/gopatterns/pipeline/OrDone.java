package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Go's or-done channel and or-channel: ways to stop waiting on a channel you do not own.
 *
 * <p>{@link #orDone} wraps a channel so that {@code for (T v : orDone(ctx, in))} ends when {@code in} closes or
 * {@code ctx} ends, whichever comes first: the loop needs no {@code select} of its own.
 * <pre>{@code
 * // Go:                                             // Java:
 * for v := range orDone(done, in) {                  for (T v : OrDone.orDone(ctx, in)) {
 *     use(v)                                             use(v);
 * }                                                  }
 * }</pre>
 *
 * <p>{@link #or} combines several done channels into one that is closed when the first of them is:
 * <pre>{@code
 * // Go:                                             // Java:
 * <-or(sig(2*time.Hour), sig(time.Second))           OrDone.or(a.done(), b.done()).receiveOrClosed();
 * }</pre>
 *
 * <p>Guarantees: each output is closed exactly once, by the stage's one thread, as the last thing it does. The
 * or-done stage also ends when {@code ctx} ends while it is blocked sending to a consumer that stopped reading.
 * Memory consistency effects: for {@code orDone}, a send into {@code in} happens-before the receive of that value
 * from the output; for {@code or}, actions before the close of the first input to close happen-before a receive
 * that reports the output closed.
 *
 * <p>Where it differs from Go: Go's or-channel is recursive, a goroutine per pair of inputs; {@link #or} is one
 * thread in one {@link Select} over every input, which this toolkit can do because its select takes a case list
 * built at run time (Go would need {@code reflect.Select}).
 */
public final class OrDone {

    private OrDone() {}

    /**
     * The values of {@code in}, in order, until {@code in} closes or {@code ctx} ends; then the output closes.
     * Values still in {@code in} when the context ends are left there.
     */
    public static <T> ReceiveChannel<T> orDone(Context ctx, ReceiveChannel<? extends T> in) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        Channel<T> out = Stages.output();
        Stages.run("orDone", () -> Stages.forward(ctx, in, out), out);
        return out.receiveOnly();
    }

    /**
     * A channel that is closed as soon as any of {@code dones} is closed or delivers a value (a Go receive
     * {@code <-ch} completes either way); nothing is ever sent on it. With no inputs it is the
     * {@linkplain Channel#nil() nil channel}, never closed, as in Go.
     *
     * <p>It uses one thread, which ends when the output closes. Like Go's, that thread waits as long as no input
     * closes: pass a context's {@code done()} among the inputs to bound it.
     */
    public static ReceiveChannel<Void> or(ReceiveChannel<?>... dones) {
        return or(List.of(dones));
    }

    /** {@link #or(ReceiveChannel[])} over a list. */
    public static ReceiveChannel<Void> or(List<? extends ReceiveChannel<?>> dones) {
        List<ReceiveChannel<?>> inputs = List.copyOf(dones);
        if (inputs.isEmpty()) {
            return Channel.nil();
        }
        List<SelectCase<Boolean>> cases = new ArrayList<>(inputs.size());
        for (ReceiveChannel<?> in : inputs) {
            cases.add(in.onReceiveOrClosed(r -> true));
        }
        Channel<Void> out = Stages.output();
        Stages.run("or", () -> Select.select(cases), out);
        return out.receiveOnly();
    }
}
