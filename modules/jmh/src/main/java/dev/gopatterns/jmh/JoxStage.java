package dev.gopatterns.jmh;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelClosed;
import com.softwaremill.jox.ChannelError;
import com.softwaremill.jox.Select;

/**
 * The Go-style stage operations on jox channels, for the pipeline benchmarks' {@code jox:N} variants: jox 1.0.1 has
 * channels and select but no flows artifact that resolves here (none is in the local repository or the package
 * lists), so its pipelines are written by hand, the same way as the gopatterns ones. The cancellation token is Go's
 * {@code done} channel: a jox channel nobody sends on, completed with {@link Channel#done()} by the consumer when it
 * stops ({@code defer close(done)}).
 */
final class JoxStage {

    private static final Object SENT = new Object();

    private JoxStage() {}

    /** {@code make(chan T, capacity)}: a rendezvous channel for 0, else a buffered one. */
    static <T> Channel<T> make(int capacity) {
        return capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
    }

    /**
     * Go's {@code select { case out <- v: case <-done: return }}: {@code true} if sent, {@code false} if
     * {@code done} completed first (or {@code out} was closed).
     */
    static <T> boolean send(Channel<T> out, T v, Channel<?> done) throws InterruptedException {
        Object r = Select.<Object>selectOrClosed(out.sendClause(v, () -> SENT), done.receiveClause());
        if (r == SENT) {
            return true;
        }
        if (r instanceof ChannelClosed) {
            return false;
        }
        throw new IllegalStateException("a value arrived on the done channel, which nobody sends on: " + r);
    }

    /** The next value of {@code in}, or null once it is done (jox's {@code receiveOrClosed}, unwrapped). */
    @SuppressWarnings("unchecked")
    static <T> T receiveOrNull(Channel<T> in) throws InterruptedException {
        Object r = in.receiveOrClosed();
        if (r instanceof ChannelError e) {
            throw e.toException(); // closed with an error: a stage failed
        }
        if (r instanceof ChannelClosed) {
            return null;
        }
        return (T) r;
    }
}
