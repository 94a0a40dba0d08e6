/*
 * Flawed solution of exercise `tee_or_done`.
 * Mistake: tee reads in as fast as it can into an unbounded queue per output, so a slow reader never holds it up.
 * Verdict: tee read ahead of its slowest output
 */
package dev.gopatterns.exercises.tee_or_done;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.Context;
import java.util.concurrent.LinkedBlockingQueue;

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

    private static final Object END = new Object();

    public static <T> Outputs<T> tee(Context ctx, ReceiveChannel<T> in) {
        Channel<T> out1 = Channel.make(0);
        Channel<T> out2 = Channel.make(0);
        // Each output gets its own queue, so a slow reader never holds up a fast one.
        LinkedBlockingQueue<Object> q1 = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Object> q2 = new LinkedBlockingQueue<>();
        Thread.ofVirtual().name("tee reader").start(() -> {
            try {
                for (T v : orDone(ctx, in)) {
                    q1.add(v);
                    q2.add(v);
                }
            } catch (UncheckedInterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                q1.add(END);
                q2.add(END);
            }
        });
        forward(ctx, q1, out1);
        forward(ctx, q2, out2);
        return new Outputs<>(out1.receiveOnly(), out2.receiveOnly());
    }

    @SuppressWarnings("unchecked")
    private static <T> void forward(Context ctx, LinkedBlockingQueue<Object> q, Channel<T> out) {
        Thread.ofVirtual().name("tee forwarder").start(() -> {
            try {
                for (Object o = q.take(); o != END; o = q.take()) {
                    if (!Select.select(out.onSend((T) o, () -> true), ctx.onDone(() -> false))) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out.close();
            }
        });
    }
}
