/*
 * Flawed solution of exercise `tee_or_done`.
 * Mistake: tee sends to the first output, then the second, with plain blocking sends and no ctx case.
 * Verdict: tee stayed blocked on a send after ctx was cancelled
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
                for (T v : orDone(ctx, in)) { // orDone watches ctx, so the loop does too... only between values
                    out1.send(v);
                    out2.send(v);
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
