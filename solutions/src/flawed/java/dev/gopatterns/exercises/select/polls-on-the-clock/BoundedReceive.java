/*
 * Flawed solution of exercise `select`.
 * Mistake: firstOrTimeout polls: tryReceive, then a 1 ms park on the clock it was given, again and again until
 * the deadline; it waits on the right clock and answers interrupts, but it is a polling loop, not a blocking wait.
 * Verdict: firstOrTimeout polls instead of blocking
 */
package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/** Exercise `select`, flawed: a polling loop that naps 1 ms on the clock between tries. */
public final class BoundedReceive {

    private static final long NAP = Duration.ofMillis(1).toNanos();

    private BoundedReceive() {}

    /** Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}. */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        for (;;) {
            TryReceived<T> r = in.tryReceive();
            if (r instanceof Received.Value<T>(T v)) {
                return Optional.of(v);
            }
            if (r instanceof Received.Closed<T>) {
                in.receive(); // closed and drained: throws ChannelClosedException
            }
            long now = clock.nanoTime();
            if (now - deadline >= 0) {
                return Optional.empty();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            clock.parkUntil(Math.min(deadline, now + NAP), in); // nap 1 ms, then look again
        }
    }

    /** Receives a value from {@code in} only if one is ready now; never waits. */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        return Select.selectNow(Optional::<T>empty, in.onReceive(Optional::of));
    }
}
