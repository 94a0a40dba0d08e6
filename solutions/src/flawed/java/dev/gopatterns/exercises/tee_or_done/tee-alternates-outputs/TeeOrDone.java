/*
 * Flawed solution of exercise `tee_or_done`.
 * Mistake: tee sends each value to one output only, taking turns, as if the two readers shared the work.
 * Verdict: tee must send every value to both outputs
 */
package dev.gopatterns.exercises.tee_or_done;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.Context;

public final class TeeOrDone {

    private TeeOrDone() {}

    /** The two channels a {@link #tee} returns; each gets every value. */
    public record Outputs<T>(ReceiveChannel<T> first, ReceiveChannel<T> second) {}

    /**
     * The values of {@code in}, until it is closed and drained or {@code ctx} ends. Go: {@code orDone(done, c)}.
     *
     * @return an unbuffered channel, closed once when {@code in} is closed and drained or {@code ctx} ends
     */
    public static <T> ReceiveChannel<T> orDone(Context ctx, ReceiveChannel<T> in) {
        Channel<T> out = Channel.make(0);
        Thread.ofVirtual().name("orDone").start(() -> {
            try {
                for (;;) {
                    // Wait for a value and for the end of ctx together: a plain in.receive() would outlive ctx.
                    Received<T> r = Select.select(in.onReceiveOrClosed(v -> v), ctx.onDone(Received::closed));
                    if (!(r instanceof Received.Value<T>(T v))) {
                        return; // in is closed and drained, or ctx has ended
                    }
                    // And again while handing it on: the reader may have stopped reading.
                    if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop: end, keeping the flag
            } finally {
                out.close(); // the one close, by the one sender
            }
        });
        return out.receiveOnly();
    }

    public static <T> Outputs<T> tee(Context ctx, ReceiveChannel<T> in) {
        Channel<T> out1 = Channel.make(0);
        Channel<T> out2 = Channel.make(0);
        Thread.ofVirtual().name("tee").start(() -> {
            try {
                int i = 0;
                for (T v : orDone(ctx, in)) {
                    Channel<T> out = i++ % 2 == 0 ? out1 : out2; // share the values out between the readers
                    if (!Select.select(out.onSend(v, () -> true), ctx.onDone(() -> false))) {
                        return;
                    }
                }
            } catch (InterruptedException | UncheckedInterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out1.close();
                out2.close();
            }
        });
        return new Outputs<>(out1.receiveOnly(), out2.receiveOnly());
    }
}
