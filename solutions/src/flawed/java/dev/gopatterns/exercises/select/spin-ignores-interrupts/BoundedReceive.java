/*
 * Flawed solution of exercise `select`.
 * Mistake: firstOrTimeout spins over tryReceive until the deadline and never looks at the interrupt flag, so an
 * interrupt cannot stop it.
 * Verdict: firstOrTimeout kept spinning after its thread was interrupted
 */
package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/** Exercise `select`, flawed: a spin that ignores interrupts. */
public final class BoundedReceive {

    private BoundedReceive() {}

    /** Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}. */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (clock.nanoTime() - deadline < 0) {
            switch (in.tryReceive()) {
                case Received.Value<T>(T v) -> {
                    return Optional.of(v);
                }
                case Received.Closed<T>() -> in.receive(); // closed and drained: throws ChannelClosedException
                case TryReceived.NotReady<T>() -> { } // not yet: try again
            }
        }
        return Optional.empty();
    }

    /** Receives a value from {@code in} only if one is ready now; never waits. */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        return Select.selectNow(Optional::<T>empty, in.onReceive(Optional::of));
    }
}
