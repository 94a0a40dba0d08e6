package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import java.util.Objects;

/**
 * Go's bridge channel: flattens a channel of channels into one channel, in order. It takes the first inner channel,
 * delivers its values until it closes, then takes the next, and closes its output once the outer channel is closed
 * and the last inner channel drained, or when {@code ctx} ends.
 *
 * <pre>{@code
 * // Go:                                             // Java:
 * for v := range bridge(done, chanStream) {          for (T v : Bridge.bridge(ctx, chans)) {
 *     use(v)                                             use(v);
 * }                                                  }
 * }</pre>
 *
 * <p>Guarantees: values come out in the order of their inner channel in the outer one, and within an inner channel
 * in its order; the output is closed exactly once, by the one thread of the stage, as the last thing it does, also
 * when {@code ctx} ends while it is blocked sending to a consumer that stopped reading. Memory consistency effects:
 * a send into an inner channel happens-before the receive of that value from the output.
 *
 * <p>Where it differs from Go: nothing in the behaviour; an inner channel that never closes holds the bridge, as in
 * Go, until {@code ctx} ends.
 */
public final class Bridge {

    private Bridge() {}

    /** Flattens {@code chans}: see the class description. */
    public static <T> ReceiveChannel<T> bridge(Context ctx, ReceiveChannel<? extends ReceiveChannel<? extends T>> chans) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(chans, "chans");
        Channel<T> out = Stages.output();
        Stages.run("bridge", () -> {
            while (Stages.receive(ctx, chans) instanceof Received.Value<? extends ReceiveChannel<? extends T>>(var in)) {
                if (!Stages.forward(ctx, in, out)) {
                    return;
                }
            }
        }, out);
        return out.receiveOnly();
    }
}
