/*
 * Flawed solution of exercise `select`.
 * Mistake: firstOrTimeout loops over tryReceive until the deadline passes on the clock, instead of one select; it
 * checks the interrupt flag, but it never waits: the thread spins.
 * Verdict: firstOrTimeout spins instead of blocking
 */
package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/** Exercise `select`, flawed: a busy loop over tryReceive. */
public final class BoundedReceive {

    private BoundedReceive() {}

    /** Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}. */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (clock.nanoTime() - deadline < 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            TryReceived<T> r = in.tryReceive();
            if (r instanceof Received.Value<T>(T v)) {
                return Optional.of(v);
            }
            if (r instanceof Received.Closed<T>) {
                in.receive(); // closed and drained: throws ChannelClosedException
            }
            Thread.onSpinWait();
        }
        return Optional.empty();
    }

    /** Receives a value from {@code in} only if one is ready now; never waits. */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        return Select.selectNow(Optional::<T>empty, in.onReceive(Optional::of));
    }
}
