/*
 * Flawed solution of exercise `select`.
 * Mistake: firstOrTimeout uses onReceiveOrClosed and turns Closed into Optional.empty(), so a dead channel looks
 * like a slow one.
 * Verdict: A closed channel will never deliver a value, and that is not a timeout
 */
package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/** Exercise `select`, flawed: "closed" reported as "nothing yet". */
public final class BoundedReceive {

    private BoundedReceive() {}

    /** Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}. */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        return Select.select(
                in.onReceiveOrClosed(r -> r instanceof Received.Value<T>(T v) ? Optional.of(v) : Optional.<T>empty()),
                Select.after(timeout, clock, Optional::<T>empty));
    }

    /** Receives a value from {@code in} only if one is ready now; never waits. */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        return Select.selectNow(Optional::<T>empty, in.onReceive(Optional::of));
    }
}
