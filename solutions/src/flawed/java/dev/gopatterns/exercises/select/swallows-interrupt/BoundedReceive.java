/*
 * Flawed solution of exercise `select`.
 * Mistake: firstOrTimeout catches the InterruptedException of its select and selects again, so an interrupted
 * caller keeps waiting (and its timeout starts over).
 * Verdict: firstOrTimeout went back to waiting after its thread was interrupted
 */
package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/** Exercise `select`, flawed: an interrupt swallowed. */
public final class BoundedReceive {

    private BoundedReceive() {}

    /** Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}. */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        for (;;) {
            try {
                return Select.select(in.onReceive(Optional::of), Select.after(timeout, clock, Optional::<T>empty));
            } catch (InterruptedException e) {
                // not now: keep waiting for the value
            }
        }
    }

    /** Receives a value from {@code in} only if one is ready now; never waits. */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        return Select.selectNow(Optional::<T>empty, in.onReceive(Optional::of));
    }
}
