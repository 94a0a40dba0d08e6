package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import java.util.Objects;

/**
 * A value with its position in a stream: what {@link FanIn#mergeSequenced} needs to restore the order that a
 * fan-out lost. Numbers start at 0.
 *
 * <p>Go equivalent: a struct {@code {seq int64; v T}} sent in place of {@code v}; Go has no standard name for it.
 *
 * @param seq   the position, from 0
 * @param value the value, never null
 * @param <T>   the value type
 */
public record Sequenced<T>(long seq, T value) {

    public Sequenced {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence number must be >= 0, was " + seq);
        }
        Objects.requireNonNull(value, "value");
    }

    /** The same position with another value: how a worker keeps the number while it transforms the value. */
    public <R> Sequenced<R> with(R newValue) {
        return new Sequenced<>(seq, newValue);
    }

    /**
     * Numbers the values of {@code in} 0, 1, 2, ... in the order received; the output closes when {@code in} closes
     * or {@code ctx} ends (one thread, ending with it, as every stage of this package).
     */
    public static <T> ReceiveChannel<Sequenced<T>> numbered(Context ctx, ReceiveChannel<? extends T> in) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        Channel<Sequenced<T>> out = Stages.output();
        Stages.run("numbered", () -> {
            long seq = 0;
            while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
                if (!Stages.send(ctx, out, new Sequenced<>(seq++, v))) {
                    return;
                }
            }
        }, out);
        return out.receiveOnly();
    }
}
