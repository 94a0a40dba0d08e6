/*
 * Flawed solution of exercise `tee_or_done`.
 * Mistake: orDone waits for in and ctx together, but hands each value on with a plain blocking send, so a reader that has stopped keeps it forever.
 * Verdict: not stay blocked until a reader comes
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
                    out.send(v); // the reader is there: it asked for the values
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop: end, keeping the flag
            } finally {
                out.close(); // the one close, by the one sender
            }
        });
        return out.receiveOnly();
    }

    /**
     * Two channels that each get every value of {@code in}, in order. Go: {@code tee(done, in)}.
     *
     * @return two unbuffered channels, both closed once when {@code in} is closed and drained or {@code ctx} ends
     */
    public static <T> Outputs<T> tee(Context ctx, ReceiveChannel<T> in) {
        Channel<T> out1 = Channel.make(0);
        Channel<T> out2 = Channel.make(0);
        Thread.ofVirtual().name("tee").start(() -> {
            try {
                for (T v : orDone(ctx, in)) {
                    // Both sends, in whichever order the readers come; a side that has taken v is set to the nil
                    // channel, whose case is never ready, so the second select can only send to the other side.
                    SendChannel<T> first = out1;
                    SendChannel<T> second = out2;
                    for (int sent = 0; sent < 2; sent++) {
                        SendChannel<T> a = first;
                        SendChannel<T> b = second;
                        int which = Select.select(a.onSend(v, () -> 1), b.onSend(v, () -> 2), ctx.onDone(() -> 0));
                        switch (which) {
                            case 1 -> first = Channel.nil();
                            case 2 -> second = Channel.nil();
                            default -> {
                                return; // ctx has ended: the orDone thread ends on its own
                            }
                        }
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
